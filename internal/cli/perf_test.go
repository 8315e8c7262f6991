package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// These benchmarks measure design.md §7's process targets on the real
// binary: start ≤ 300 ms with 10 000 incidents, idle RSS ≤ 40 MB with
// 1 000. They report figures; they assert nothing about time.
//
//	go test -run '^$' -bench 'Start|RSS' -benchtime 5x ./internal/cli/

// buildVigie builds the binary once per benchmark run.
func buildVigie(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "vigie")
	cmd := exec.Command("go", "build", "-o", bin, "../../bot/cmd/vigie")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// seed creates n incidents, all but open of them closed, as a hospital's
// history would hold them. With due set, the open ones were opened three
// hours before it and their reminders are due at it: Vigie coming back
// after an outage.
func seed(tb testing.TB, db string, n, open int, due time.Time) {
	tb.Helper()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	createAll(tb, db, n, func(i int) (*incident.Incident, []incident.Entry) {
		at := t0.Add(time.Duration(i) * time.Hour)
		if i < open && !due.IsZero() {
			at = due.Add(-3 * time.Hour)
		}
		inc := &incident.Incident{Title: "Incident " + strconv.Itoa(i), Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1",
			T0: at, OpenedAt: at, OpenedBy: incident.User{ID: "u", Name: "rssi"}, Channel: "c" + strconv.Itoa(i), Status: incident.StatusOpen}
		entries := []incident.Entry{{Time: at, Actor: "@rssi", Kind: incident.KindOpened, Text: "ouverture",
			Data: map[string]string{"chain": inc.Chain, "version": inc.Version}}}
		switch {
		case i >= open:
			// Closed by an entry, as the bot closes: a record without
			// it is a broken main courante, which the audit at start
			// would announce in its channel.
			inc.Status, inc.ClosedAt, inc.ClosedBy = incident.StatusClosed, at.Add(48*time.Hour), inc.OpenedBy
			entries = append(entries, incident.Entry{Time: inc.ClosedAt, Actor: "@rssi", Kind: incident.KindClosed, Text: "clôture"})
		case !due.IsZero():
			inc.Wake = due.Add(-time.Minute) // the sweep looks at it at once
		}
		inc.Shown = uint64(len(entries)) // its card shows its entries, as after any session: nothing owed
		return inc, entries
	})
}

// createAll creates n incidents in the database at db, build(i) giving the
// i-th with its main courante, on 32 writers at once (the store's group
// commit shares their fsyncs: 10 000 incidents in seconds).
func createAll(tb testing.TB, db string, n int, build func(i int) (*incident.Incident, []incident.Entry)) {
	tb.Helper()
	st, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	var wg sync.WaitGroup
	work := make(chan int)
	for range 32 {
		wg.Go(func() {
			for i := range work {
				inc, entries := build(i)
				if _, err := st.Create(context.Background(), inc, entries); err != nil {
					tb.Error(err)
				}
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}

func BenchmarkStart10k(b *testing.B) {
	bin := buildVigie(b)
	db := filepath.Join(b.TempDir(), "vigie.db")
	seed(b, db, 10_000, 10, time.Time{})
	var total time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		cmd := exec.Command(bin, "--db", db, "console", "--flow", "nouvelle-aquitaine/es-esms", "--sweep", "0")
		cmd.Stdin = strings.NewReader("")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/start")
}

func BenchmarkIdleRSS1k(b *testing.B) {
	bin := buildVigie(b)
	db := filepath.Join(b.TempDir(), "vigie.db")
	seed(b, db, 1_000, 1_000, time.Time{})
	var rss, anon float64
	for range b.N {
		cmd := exec.Command(bin, "--db", db, "console", "--flow", "nouvelle-aquitaine/es-esms")
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		// One command and its answer: the process has started, swept and
		// gone idle.
		fmt.Fprintln(in, "aide")
		sc := bufio.NewScanner(out)
		for sc.Scan() && !strings.Contains(sc.Text(), "#ID") {
		}
		mb, err := vmRSS(cmd.Process.Pid)
		if err != nil {
			b.Skip("no /proc: ", err)
		}
		rss, anon = rss+mb.total, anon+mb.anon
		in.Close()
		cmd.Wait()
	}
	b.ReportMetric(rss/float64(b.N), "MB_rss")
	b.ReportMetric(anon/float64(b.N), "MB_rss_anon")
}

// rssMB is a process's resident memory in MB: all of it, and its anonymous
// part (the heap and stacks; the rest is files mapped, the database's
// pages among them, which the kernel may reclaim).
type rssMB struct{ total, anon float64 }

// vmRSS reads the resident memory of process pid (Linux's /proc).
func vmRSS(pid int) (rssMB, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return rssMB{}, err
	}
	var mb rssMB
	for _, line := range strings.Split(string(status), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			mb.total = kb / 1024
		case "RssAnon:":
			mb.anon = kb / 1024
		}
	}
	if mb.total == 0 {
		return mb, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return mb, nil
}
