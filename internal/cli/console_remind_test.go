package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vigie-sante/vigie/bot/bottest"
)

// TestConsoleCNILNagThenOverdue: an incident whose T0 is 71 h 59 min ago
// and whose DPO, who took the role, just confirmed a breach. The terminal
// prints the CNIL reminder calling the DPO at the next sweep, then the
// overdue escalation calling the DPO and the channel a minute later, with
// cron's timers on synctest's clock: no real waiting.
func TestConsoleCNILNagThenOverdue(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	hotBackups = false
	t.Cleanup(func() { hotBackups = true })
	synctest.Test(t, func(t *testing.T) {
		saved := now
		now = time.Now // the bubble's clock
		defer func() { now = saved }()
		// The bubble starts in 2000; move to the night of the scenario.
		time.Sleep(time.Until(time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)))
		in, feed := io.Pipe()
		out := &bottest.Buffer{}
		var errs bytes.Buffer
		env := Env{Stdin: in, Stdout: out, Stderr: &errs, Getenv: func(string) string { return "" }}
		done := make(chan int, 1)
		go func() {
			done <- Run(context.Background(), env, []string{"--db", db, "console", "--flow", "nouvelle-aquitaine/es-esms", "--user", "dpo", "--sweep", "30s"})
		}()
		var stop sync.Once
		finish := func() int {
			code := -1
			stop.Do(func() { feed.Close(); code = <-done })
			return code
		}
		defer finish() // end the console even when the test fails
		t0 := time.Now().Add(-(71*time.Hour + 59*time.Minute)).Format(time.RFC3339)
		for _, cmd := range []string{
			"ouvrir Fuite de données t0=" + t0, "role dpo",
			"fait cert-sante via=portail ref=CS-1", "fait ars via=email",
			"repondre capacity_impact non", "repondre malicious non", "repondre esms non",
			"repondre personal_data_breach oui", "repondre high_risk non",
			"sans-objet registre-violations tenu par le DPO", "sans-objet resolution pas encore résolu",
			`point conditions="fuite confirmée"`,
		} {
			fmt.Fprintln(feed, cmd)
		}
		synctest.Wait()
		before := out.String()
		if strings.Contains(before, "⏰ Rappel —") {
			t.Fatalf("a reminder before any sweep:\n%s", before)
		}
		time.Sleep(30 * time.Second) // the next tick: T0 + 71 h 59 min 30 s
		synctest.Wait()
		first := strings.TrimPrefix(out.String(), before)
		if !strings.Contains(first, "⏰ Rappel — incident #") || !strings.Contains(first, "Notifier la violation à la CNIL") ||
			!strings.Contains(first, "dans 1 min") || !strings.Contains(first, "📣 @dpo (DPO) : à vous.") {
			t.Fatalf("no CNIL reminder at the first sweep:\n%s\nbefore:\n%s\nstderr:\n%s", first, before[max(0, len(before)-3000):], errs.String())
		}
		time.Sleep(60 * time.Second) // past T0 + 72 h
		synctest.Wait()
		second := strings.TrimPrefix(out.String(), before+first)
		if !strings.Contains(second, "⛔ Échéance dépassée — incident #") || !strings.Contains(second, "@dpo (DPO), @channel : des étapes obligatoires") ||
			!strings.Contains(second, "Notifier la violation à la CNIL") {
			t.Fatalf("no overdue escalation after T0 + 72 h:\n%s", second)
		}
		t.Logf("first sweep:\n%s\nafter T0+72h:\n%s", first, second)
		if code := finish(); code != ExitOK || errs.Len() > 0 {
			t.Fatalf("console: exit %d, stderr %s", code, errs.String())
		}
	})
}
