package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// nightScript is design.md §1, steps 1–4 and 6–7, as typed in the terminal.
// Letters alone are clicks on the buttons shown just before.
const nightScript = `ouvrir Rançongiciel sur le PACS t0=02:10
a
repondre malicious oui
repondre personal_data_breach inconnu
fait cert-sante via=portail ref=CS-1234 at=02:25 ticket reçu
fait ars via=email ref="mail 02:27"
note PACS isolé du réseau, bascule en mode dégradé
point conditions="PACS arrêté" actions="bascule papier" besoins="renfort DSI"
sans-objet
fait police-gendarmerie via=pigeon
exporter json
clore
`

// restartScript carries on after a restart on the same database.
const restartScript = `statut
repondre personal_data_breach oui
fait ror via=telephone ref="SAMU 03:05" at=03:05
exporter md
`

// console runs the console command on db with the script as standard
// input, at the given time, and returns the transcript with the data
// directory replaced by $DATA.
func runConsoleScript(t *testing.T, db string, at time.Time, script string, args ...string) string {
	t.Helper()
	saved := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = saved })
	var out, errs bytes.Buffer
	env := Env{Stdin: strings.NewReader(script), Stdout: &out, Stderr: &errs,
		Getenv: func(k string) string { return map[string]string{"USER": "rssi"}[k] }}
	code := Run(context.Background(), env, append([]string{"--db", db, "console"}, args...))
	if code != ExitOK || errs.Len() > 0 {
		t.Fatalf("console: exit %d, stderr:\n%s\nstdout:\n%s", code, errs.String(), out.String())
	}
	return strings.ReplaceAll(out.String(), filepath.Dir(db), "$DATA")
}

func TestConsoleNightAndRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	night := time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC) // 02:30 in Paris
	// No reminders: the start sweep runs in the background, and one that
	// ran after the first command would print a reminder wherever it
	// landed in the transcript (console_remind_test.go tests them).
	got := runConsoleScript(t, db, night, nightScript, "--flow", "nouvelle-aquitaine/es-esms", "--sweep", "0")
	checkGolden(t, "console-night", got)

	later := night.Add(40 * time.Minute)
	got = runConsoleScript(t, db, later, restartScript, "--flow", "nouvelle-aquitaine/es-esms", "--sweep", "0")
	checkGolden(t, "console-restart", got)

	st, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inc, err := st.Incident(context.Background(), "2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	if inc.Steps["cert-sante"].Proof.Ref != "CS-1234" || inc.Steps["ror"].Proof.Means != "telephone" {
		t.Fatalf("proofs lost across the restart: %+v", inc.Steps)
	}
	es, err := st.Entries(context.Background(), "2026-0001", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	prev := ""
	for _, e := range es {
		kinds = append(kinds, e.Kind)
		if e.Prev != prev || e.Hash != e.ComputeHash() {
			t.Fatalf("main courante broken at entry %d", e.Seq)
		}
		prev = e.Hash
	}
	want := "opened,answer,answer,answer,done,done,note,point,export,answer,done,export"
	if strings.Join(kinds, ",") != want {
		t.Fatalf("main courante kinds\n got %s\nwant %s", strings.Join(kinds, ","), want)
	}
	if inc.Status != incident.StatusOpen {
		t.Fatalf("status %s: the refused close closed it", inc.Status)
	}
}
