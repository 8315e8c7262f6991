package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/storetest"
)

// crashSeed chooses when TestConsoleCrash kills the console; a failure
// names its seed so that it can be replayed with -crash.seed.
var crashSeed = flag.Uint64("crash.seed", 20261123, "seed of the kill points of TestConsoleCrash")

// crashDBEnv carries the database to the child process.
const crashDBEnv = "VIGIE_CONSOLE_CRASH_DB"

const (
	crashRounds   = 5
	crashMaxAcks  = 150 // a round is killed after 1 to crashMaxAcks acks
	crashNotes    = crashMaxAcks + 10
	crashEvery    = 6                // an action after every crashEvery notes
	crashDeadline = 30 * time.Second // safety timeout of a round, never an assertion
)

// crashAction is one answer or one step done, typed as a person would.
// Each one succeeds once; typed again after it was stored, it is refused
// with "rien n'a changé".
type crashAction struct {
	cmd   string
	key   string      // answer: the question
	value flows.Value // answer: the value
	step  string      // done: the step
	ref   string      // done: the reference given
	means string      // done: the means
}

// crashActions go in this order: each one's step or question is brought
// in by the answers before it.
var crashActions = []crashAction{
	{cmd: "repondre capacity_impact oui", key: "capacity_impact", value: flows.Yes},
	{cmd: "repondre malicious oui", key: "malicious", value: flows.Yes},
	{cmd: "fait cert-sante via=portail ref=CRASH-CS", step: "cert-sante", ref: "CRASH-CS", means: "portail"},
	{cmd: "repondre personal_data_breach inconnu", key: "personal_data_breach", value: flows.Unknown},
	{cmd: "fait ars via=email ref=CRASH-ARS", step: "ars", ref: "CRASH-ARS", means: "email"},
	{cmd: "repondre esms non", key: "esms", value: flows.No},
	{cmd: "fait ror via=telephone ref=CRASH-ROR", step: "ror", ref: "CRASH-ROR", means: "telephone"},
	{cmd: "repondre crisis_plan oui", key: "crisis_plan", value: flows.Yes},
	{cmd: "repondre personal_data_breach oui", key: "personal_data_breach", value: flows.Yes}, // a revision
	{cmd: "fait police-gendarmerie via=email ref=CRASH-POL", step: "police-gendarmerie", ref: "CRASH-POL", means: "email"},
	{cmd: "repondre insured oui", key: "insured", value: flows.Yes},
	{cmd: "fait plan-crise-ars via=email ref=CRASH-PLAN", step: "plan-crise-ars", ref: "CRASH-PLAN", means: "email"},
	{cmd: "fait cnil via=portail ref=CRASH-CNIL", step: "cnil", ref: "CRASH-CNIL", means: "portail"},
	{cmd: "repondre high_risk non", key: "high_risk", value: flows.No},
	{cmd: "fait plainte-assurance via=courrier ref=CRASH-PLAINTE", step: "plainte-assurance", ref: "CRASH-PLAINTE", means: "courrier"},
	{cmd: "fait registre-violations via=autre ref=CRASH-REG", step: "registre-violations", ref: "CRASH-REG", means: "autre"},
	{cmd: "fait assureur via=telephone ref=CRASH-ASS", step: "assureur", ref: "CRASH-ASS", means: "telephone"},
	{cmd: "fait resolution via=portail ref=CRASH-FIN", step: "resolution", ref: "CRASH-FIN", means: "portail"},
}

// crashCmd is one line typed in a round, and what came of it.
type crashCmd struct {
	text   string
	open   bool
	note   string // the note's text, for a note
	action int    // index in crashActions, or -1
	// Filled from the child's output.
	replied bool
	acked   bool
	id      string // the incident opened
	seq     uint64 // the entry a note was acknowledged as
	refusal string
}

var (
	crashOpenOK = regexp.MustCompile(`^Incident #(\S+) ouvert : Crash test\.$`)
	crashNoteOK = regexp.MustCompile(`^Incident #(\S+) : note consignée \(entrée (\d+)\)\.$`)
)

// TestConsoleCrash checks design.md §8 as a person at the console sees it:
// kill -9 at any moment, restart, and everything the console acknowledged
// is there. The child process (this test binary, running
// TestConsoleCrashChild) is `vigie console` reading the commands the
// parent writes to its standard input. The parent counts as acknowledged
// each command whose success reply appeared on the child's standard output
// (the console prints it after Bot.Handle returned, and Handle returns
// after the store's fsync), kills the child with SIGKILL after a random
// number of acks, and starts another on the same database, five times.
// Actions not acknowledged are typed again in the next round, as a person
// would; notes are not, so that each note's text is unique.
func TestConsoleCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 rounds re-execute the test binary")
	}
	db := filepath.Join(t.TempDir(), "vigie.db")
	seed := *crashSeed
	t.Logf("seed %d (replay with -crash.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	var (
		id   string
		next int // first action not settled (acknowledged or refused as already stored)
		all  []crashCmd
	)
	for round := range crashRounds {
		cmds := crashRound(round, id == "", next)
		want := 1 + rng.IntN(crashMaxAcks)
		early := rng.IntN(2) == 0
		acks := crashKillAfter(t, db, round, want, early, cmds)
		refused := 0
		for i := range cmds {
			c := &cmds[i]
			if !c.replied {
				break
			}
			switch {
			case c.open && c.acked:
				id = c.id
			case c.action >= 0:
				next = c.action + 1
			}
			if c.refusal != "" && !c.acked {
				// The only refusal expected: an action typed again that
				// the killed console had stored without acknowledging it.
				if c.action < 0 || !strings.Contains(c.refusal, "rien n'a changé") {
					t.Errorf("round %d: %q refused: %s", round, c.text, c.refusal)
				}
				refused++
			}
		}
		t.Logf("round %d: killed after %d acks (wanted %d, early %v); %d refused as already stored; %d actions settled",
			round, acks, want, early, refused, next)
		all = append(all, cmds...)
	}
	if id == "" {
		t.Fatal("no incident was opened")
	}
	crashVerify(t, db, id, all)
}

// crashRound returns the lines typed in a round: ouvrir in the first, then
// notes with the actions not yet settled in between.
func crashRound(round int, open bool, next int) []crashCmd {
	var cmds []crashCmd
	if open {
		cmds = append(cmds, crashCmd{text: "ouvrir Crash test", open: true, action: -1})
	}
	for n := range crashNotes {
		note := fmt.Sprintf("crash-%d-%d", round, n)
		cmds = append(cmds, crashCmd{text: "note " + note, note: note, action: -1})
		if n%crashEvery == crashEvery-1 && next < len(crashActions) {
			cmds = append(cmds, crashCmd{text: crashActions[next].cmd, action: next})
			next++
		}
	}
	return cmds
}

// crashKillAfter runs one console and kills it once want commands were
// acknowledged, or, if early, as soon as the card update of the next
// action shows it was stored, before its reply: the next round then types
// it again, as a person who saw no answer would. Every reply read,
// including those still in the pipe when the child died, is recorded in
// cmds. It returns the number of acks.
func crashKillAfter(t *testing.T, db string, round, want int, early bool, cmds []crashCmd) int {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^TestConsoleCrashChild$", "-test.count=1")
	child.Env = append(os.Environ(), crashDBEnv+"="+db, "VIGIE_USER=crash")
	var stderr strings.Builder
	child.Stderr = &stderr
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	kill := func() {
		if !killed {
			killed = true
			if err := child.Process.Signal(syscall.SIGKILL); err != nil {
				t.Errorf("round %d: kill: %v", round, err)
			}
		}
	}
	waited := false
	wait := func() error {
		waited = true
		return child.Wait()
	}
	// Whatever happens, the child does not outlive the round.
	defer func() {
		if !waited {
			kill()
			_ = wait()
		}
	}()
	fail := func(format string, args ...any) {
		kill()
		_ = wait()
		t.Fatalf("round %d: %s\nchild's stderr:\n%s", round, fmt.Sprintf(format, args...), stderr.String())
	}

	// The commands are typed ahead, as fast as the pipe takes them: the
	// kill then lands wherever the console is.
	typed := make(chan error, 1)
	go func() {
		var b strings.Builder
		for _, c := range cmds {
			b.WriteString(c.text + "\n")
		}
		_, err := io.WriteString(stdin, b.String())
		typed <- err
	}()

	if f, ok := stdout.(*os.File); ok {
		if err := f.SetReadDeadline(time.Now().Add(crashDeadline)); err != nil {
			fail("read deadline: %v", err)
		}
	}
	last := -1 // the last action of the round: early kills aim at actions
	for i, c := range cmds {
		if c.action >= 0 {
			last = i
		}
	}
	r := bufio.NewReader(stdout)
	cur, acks := -1, 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if killed && err == io.EOF {
				break // the child is gone; a fragment without "\n" is not a reply
			}
			fail("after %d of %d acks: %v", acks, want, err)
		}
		line = strings.TrimSuffix(line, "\n")
		if typedLine, ok := strings.CutPrefix(line, "vigie> "); ok {
			cur++
			if cur >= len(cmds) || cmds[cur].text != typedLine {
				fail("echo %q out of order (command %d)", typedLine, cur)
			}
			continue
		}
		if cur < 0 || cmds[cur].replied {
			continue
		}
		c := &cmds[cur]
		if early && acks >= want && (c.action >= 0 || cur > last) && strings.HasPrefix(line, "━━ ↻ ") {
			kill() // stored, not acknowledged
		}
		switch {
		case strings.HasPrefix(line, "⚠️"):
			c.replied, c.refusal = true, line
		case strings.HasPrefix(line, "Incident #"):
			c.replied = true
			if !crashAcked(c, line) {
				fail("%q: unexpected reply %q", c.text, line)
			}
			acks++
			if acks == want && !early {
				kill()
			}
		}
	}
	err = wait()
	ws, _ := child.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("round %d: child ended without being killed: %v\n%s", round, err, stderr.String())
	}
	<-typed // the child is dead: the write has returned, done or broken
	return acks
}

// crashAcked says whether line is the success reply of c, and records it.
func crashAcked(c *crashCmd, line string) bool {
	switch {
	case c.open:
		if m := crashOpenOK.FindStringSubmatch(line); m != nil {
			c.acked, c.id = true, m[1]
		}
	case c.note != "":
		if m := crashNoteOK.FindStringSubmatch(line); m != nil {
			c.seq, _ = strconv.ParseUint(m[2], 10, 64)
			c.acked = true
		}
	default:
		a := crashActions[c.action]
		if a.step != "" {
			c.acked = strings.Contains(line, "» faite, réf. "+a.ref+". ✅")
		} else {
			c.acked = strings.Contains(line, "» → ")
		}
	}
	return c.acked
}

// crashVerify opens the database left by the last kill and checks that
// every acknowledged command is in it.
func crashVerify(t *testing.T, db, id string, cmds []crashCmd) {
	t.Helper()
	ctx := context.Background()
	st, err := boltstore.Open(db, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Errorf("after the last kill: %v", err)
	}
	es := storetest.VerifyChain(t, st, id)
	inc, err := st.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Title != "Crash test" || inc.Status != incident.StatusOpen {
		t.Errorf("incident %s: title %q, status %s", id, inc.Title, inc.Status)
	}

	notes := map[string][]uint64{} // text → seqs of its entries
	logged := map[string][]flows.Value{}
	kinds := map[string]int{}
	for _, e := range es {
		kinds[e.Kind]++
		switch e.Kind {
		case incident.KindNote:
			notes[e.Text] = append(notes[e.Text], e.Seq)
		case incident.KindAnswer:
			logged[e.Data["key"]] = append(logged[e.Data["key"]], flows.Value(e.Data["value"]))
		}
	}
	for text, seqs := range notes {
		if len(seqs) > 1 {
			t.Errorf("note %q logged %d times (entries %v)", text, len(seqs), seqs)
		}
	}

	acked := map[string][]flows.Value{} // question → values acknowledged, in order
	var nNotes, nActions int
	for _, c := range cmds {
		if !c.acked {
			continue
		}
		switch {
		case c.note != "":
			nNotes++
			if seqs := notes[c.note]; len(seqs) != 1 || seqs[0] != c.seq {
				t.Errorf("acknowledged note %q (entrée %d) is in the main courante at entries %v", c.note, c.seq, seqs)
			}
		case c.action >= 0:
			nActions++
			a := crashActions[c.action]
			if a.key != "" {
				acked[a.key] = append(acked[a.key], a.value)
				continue
			}
			s := inc.Steps[a.step]
			if s == nil || s.Status != incident.StepDone || s.Proof == nil || s.Proof.Ref != a.ref || s.Proof.Means != a.means {
				t.Errorf("acknowledged %q: step state %+v", a.cmd, s)
			}
		}
	}
	for key, want := range acked {
		if !isSubsequence(want, logged[key]) {
			t.Errorf("answers to %s: acknowledged %v, in the main courante %v", key, want, logged[key])
		}
	}
	for key := range inc.Answers {
		cur, _ := inc.Answer(key)
		if hist := logged[key]; len(hist) == 0 || cur.Value != hist[len(hist)-1] {
			t.Errorf("answer to %s: incident has %v, main courante %v", key, cur.Value, hist)
		}
	}
	t.Logf("%d entries %v; acknowledged: %d notes, %d actions", len(es), kinds, nNotes, nActions)
}

// isSubsequence says whether sub appears in seq in order, not necessarily
// contiguously.
func isSubsequence[T comparable](sub, seq []T) bool {
	i := 0
	for _, v := range seq {
		if i < len(sub) && sub[i] == v {
			i++
		}
	}
	return i == len(sub)
}

// TestConsoleCrashChild is the console that TestConsoleCrash kills; run
// alone, it skips.
func TestConsoleCrashChild(t *testing.T) {
	db := os.Getenv(crashDBEnv)
	if db == "" {
		t.Skip("child process of TestConsoleCrash")
	}
	env := Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	if code := Run(context.Background(), env, []string{"--db", db, "console", "--flow", "nouvelle-aquitaine/es-esms"}); code != ExitOK {
		t.Fatalf("console: exit %d", code)
	}
}
