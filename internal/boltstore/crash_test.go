package boltstore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/storetest"
)

// The child process of TestKill9 reads its orders from these variables.
const (
	crashDBEnv       = "VIGIE_CRASH_DB"
	crashIncidentEnv = "VIGIE_CRASH_INCIDENT"
	crashRoundEnv    = "VIGIE_CRASH_ROUND"
)

// crashWriters update the incident concurrently in the child, so that kills
// also land in the middle of batched commits.
const crashWriters = 4

// TestKill9 checks design.md §8: kill -9 at any moment, restart, and every
// acknowledged action is there. A child process (this test binary, running
// TestCrashChild) appends entries and prints "ack <text>" only after Update
// returned nil; the parent kills it with SIGKILL after a random number of
// acks, several times, then checks that every acked text is in the main
// courante, that the chain verifies and that bbolt's check passes.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 rounds re-execute the test binary")
	}
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := s.Create(context.Background(), storetest.NewIncident("crash", t0),
		[]incident.Entry{storetest.Entry(incident.KindOpened, "ouverture", t0)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	acked := map[string]bool{}
	for round := range 5 {
		n := killAfter(t, path, inc.ID, round, 1+rng.IntN(200), acked)
		t.Logf("round %d: killed after %d acks", round, n)
	}

	s = MustOpenAt(t, path) // its cleanup runs bbolt's consistency check
	es := storetest.VerifyChain(t, s, inc.ID)
	have := map[string]bool{}
	for _, e := range es {
		have[e.Text] = true
	}
	for text := range acked {
		if !have[text] {
			t.Errorf("acknowledged %q is missing", text)
		}
	}
	// The incident record and its entries commit together: one point per
	// entry after the first.
	if got, err := s.Incident(context.Background(), inc.ID); err != nil || got.Points != len(es)-1 {
		t.Errorf("incident: %v; points %d for %d entries", err, got.Points, len(es))
	}
	t.Logf("%d entries, %d acknowledged", len(es), len(acked))
}

// killAfter runs one child and kills it once it has acknowledged want
// actions. Every ack read, including those still in the pipe when the
// child dies, goes into acked. It returns how many acks the round got.
func killAfter(t *testing.T, path, id string, round, want int, acked map[string]bool) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDBEnv+"="+path, crashIncidentEnv+"="+id, crashRoundEnv+"="+strconv.Itoa(round))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	n, killed := 0, false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break // EOF: the child is gone; a fragment without "\n" is not an ack
		}
		text, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ack ")
		if !ok {
			continue
		}
		acked[text] = true
		n++
		if n == want && !killed {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !killed || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("round %d: child ended after %d of %d acks without being killed: %v\n%s", round, n, want, err, stderr.String())
	}
	return n
}

// TestCrashChild is the child process of TestKill9; run alone, it skips.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashDBEnv)
	if path == "" {
		t.Skip("child process of TestKill9")
	}
	// The previous child is dead (the parent waited for it), so the lock
	// is free; a generous timeout only guards against a stuck parent.
	s, err := boltstore.Open(path, boltstore.Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	id, round := os.Getenv(crashIncidentEnv), os.Getenv(crashRoundEnv)
	deadline := time.Now().Add(time.Minute) // if the parent never kills us
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				text := fmt.Sprintf("r%s-w%d-%d", round, w, i)
				_, err := s.Update(context.Background(), id, func(inc *incident.Incident) ([]incident.Entry, error) {
					inc.Points++
					return []incident.Entry{{Time: time.Now(), Actor: "@crash", Kind: incident.KindNote, Text: text}}, nil
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(3)
				}
				// One write per line: os.Stdout is unbuffered and a short
				// pipe write is atomic, so lines never interleave.
				fmt.Fprintf(os.Stdout, "ack %s\n", text)
			}
		})
	}
	wg.Wait()
}

// lockDBEnv names the file TestLockChild tries to open.
const lockDBEnv = "VIGIE_LOCK_DB"

// TestSecondProcessIsRefused checks the lock across processes: a second
// Vigie on the same file gets ErrInUse after its timeout, not a hang.
func TestSecondProcessIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	MustOpenAt(t, path)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockDBEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if want := "refused: database in use by another Vigie: " + path + "\n"; !strings.Contains(string(out), want) {
		t.Errorf("child said %q, want %q", out, want)
	}
}

// TestLockChild is the child process of TestSecondProcessIsRefused; run
// alone, it skips.
func TestLockChild(t *testing.T) {
	path := os.Getenv(lockDBEnv)
	if path == "" {
		t.Skip("child process of TestSecondProcessIsRefused")
	}
	s, err := boltstore.Open(path, boltstore.Options{Timeout: 100 * time.Millisecond})
	if err == nil {
		s.Close()
		t.Fatal("opened a file another process holds")
	}
	if !errors.Is(err, boltstore.ErrInUse) {
		t.Fatalf("error %v is not ErrInUse", err)
	}
	fmt.Printf("refused: %v\n", err)
}
