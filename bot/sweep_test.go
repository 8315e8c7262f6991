package bot_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// breachAt opens an ES-ESMS incident at T0 whose declarations are done and
// whose DPO answered "breach = yes" 26 h later (design.md §1 step 5).
func breachAt(t *testing.T, cfg bot.Config) *harness {
	t.Helper()
	h := newHarness(t, cfg)
	h.ok("ouvrir Rançongiciel")
	for _, c := range []string{"repondre capacity_impact non", "repondre malicious non", "repondre esms non",
		"fait cert-sante via=portail", "fait ars via=email", "sans-objet resolution pas encore résolu"} {
		h.ok(c)
	}
	h.now = t0.Add(26 * time.Hour)
	h.ok("repondre personal_data_breach oui")
	h.ok("repondre high_risk non")
	h.ok("sans-objet registre-violations tenu à jour par le DPO")
	h.ok("point conditions=stable")
	return h
}

func (h *harness) sweep(at time.Duration) bot.SweepStats {
	h.t.Helper()
	h.now = t0.Add(at)
	st, err := h.bot.Sweep(context.Background(), h.now)
	if err != nil {
		h.t.Fatal(err)
	}
	return st
}

// postsSince returns the posts after the n-th, each as its title and the
// titles of its blocks.
func (h *harness) postsSince(n int) []string {
	var out []string
	for _, p := range h.chat.Posts[n:] {
		line := p.Message.Title
		for _, b := range p.Message.Blocks {
			if b.Title != "" {
				line += " | " + b.Title
			}
		}
		out = append(out, line)
	}
	return out
}

func TestSweepCNILOnceThenDedup(t *testing.T) {
	h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	before := len(h.chat.Posts)
	// +24 h is already past when the breach is known at +26 h: sent at once.
	st := h.sweep(26*time.Hour + 30*time.Second)
	got := h.postsSince(before)
	if st.Sent != 1 || len(got) != 1 || !strings.Contains(got[0], "Notifier la violation à la CNIL") {
		t.Fatalf("first sweep: %+v, posts %q", st, got)
	}
	// The same sweep again, and a restarted bot on the same store, send
	// nothing more.
	if st := h.sweep(26*time.Hour + time.Minute); st.Sent != 0 {
		t.Fatalf("second sweep sent %d", st.Sent)
	}
	cat := mustCatalog(t)
	restarted := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: func() time.Time { return h.now }},
		h.store, h.chat, cat, ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
	if st, _ := restarted.Sweep(context.Background(), h.now); st.Sent != 0 {
		t.Fatalf("a restarted bot sent %d again", st.Sent)
	}
	inc := h.incident("2026-0001")
	// Next: the situation point at +28 h (last one at +26 h), before the
	// CNIL reminder at +48 h.
	if want := t0.Add(28 * time.Hour); !inc.Wake.Equal(want) {
		t.Fatalf("wake = T0+%v, want T0+28h", inc.Wake.Sub(t0))
	}
}

func TestSweepCNILToOverdue(t *testing.T) {
	h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", EscalateTo: []string{"@directeur-crise"}})
	h.ok("point conditions=stable") // keep the point reminder out of the way
	for _, at := range []time.Duration{26 * time.Hour, 48 * time.Hour, 66 * time.Hour, 71 * time.Hour} {
		h.now = t0.Add(at)
		h.ok("point conditions=stable")
		h.sweep(at + 10*time.Second)
	}
	n := len(h.chat.Posts)
	h.sweep(72*time.Hour + 10*time.Second)
	got := h.postsSince(n)
	if len(got) != 1 || !strings.HasPrefix(got[0], "⛔ Échéance dépassée — incident #2026-0001") || !strings.Contains(got[0], "CNIL") {
		t.Fatalf("at T0+72h: %q", got)
	}
	text := render(h.chat.Posts[n].Message)
	for _, want := range []string{"@directeur-crise", "https://notifications.cnil.fr/notifications/index", "26/11/2026 02:10 (T0 + 72h)"} {
		if !strings.Contains(text, want) {
			t.Errorf("overdue nag lacks %q:\n%s", want, text)
		}
	}
	es := h.entries("2026-0001")
	last := es[len(es)-1]
	if last.Kind != incident.KindReminder || !strings.Contains(last.Text, "Échéance dépassée") || last.Actor != "vigie" {
		t.Fatalf("overdue not in the main courante: %+v", last)
	}
}

func TestSweepEscalatesSansDelai(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	n := len(h.chat.Posts)
	h.sweep(15*time.Minute + time.Second)
	// One message for both steps.
	if got := h.postsSince(n); len(got) != 1 || !strings.HasPrefix(got[0], "⏰ Rappel") ||
		!strings.Contains(got[0], "CERT Santé") || !strings.Contains(got[0], "ARS") {
		t.Fatalf("at +15 min: %q", got)
	}
	n = len(h.chat.Posts)
	h.sweep(time.Hour + time.Second)
	got := h.postsSince(n)
	if len(got) != 1 || !strings.HasPrefix(got[0], "🚨 Escalade") || !strings.Contains(render(h.chat.Posts[n].Message), "@channel") {
		t.Fatalf("at +1 h: %q", got)
	}
}

func TestSweepLateAtStart(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	h.ok("point conditions=début")
	// Vigie was down from +1 min to +5 h: one nag per pending step, late,
	// not one per missed quarter of an hour.
	h.now = t0.Add(time.Minute)
	h.restart(5*time.Hour + 6*time.Minute)
	n := len(h.chat.Posts)
	st := h.sweep(5*time.Hour + 7*time.Minute)
	if st.Late == 0 || st.Sent < 3 {
		t.Fatalf("stats %+v", st)
	}
	if len(h.chat.Posts) != n+1 {
		t.Fatalf("%d messages, want one", len(h.chat.Posts)-n)
	}
	m := h.chat.Posts[n].Message
	if !strings.Contains(render(m), "envoyé en retard") {
		t.Errorf("late nags not marked late:\n%s", render(m))
	}
	seen := map[string]int{}
	for _, b := range m.Blocks {
		seen[b.Title]++
	}
	for title, k := range seen {
		if title != "" && k != 1 {
			t.Errorf("%q reminded %d times", title, k)
		}
	}
}

type tempErr struct{ after time.Duration }

func (e tempErr) Error() string             { return "429 Too Many Requests" }
func (e tempErr) RetryAfter() time.Duration { return e.after }
func (e tempErr) Is(target error) bool      { return target == bot.ErrTemporary }
func (e tempErr) Unwrap() error             { return nil }
func (e tempErr) String() string            { return fmt.Sprint(e.after) }

func TestSweepFailureThenRetry(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	h.chat.Fail = tempErr{after: 2 * time.Minute}
	st := h.sweep(16 * time.Minute)
	if st.Failed != 1 || st.Sent != 0 {
		t.Fatalf("stats during the outage %+v", st)
	}
	inc := h.incident("2026-0001")
	if want := t0.Add(18 * time.Minute); !inc.Wake.Equal(want) || inc.RemindFailures != 1 {
		t.Fatalf("wake T0+%v failures %d; want T0+18m (Retry-After) and 1", inc.Wake.Sub(t0), inc.RemindFailures)
	}
	h.chat.Fail = nil
	if st := h.sweep(17 * time.Minute); st.Incidents != 0 {
		t.Fatalf("swept before Retry-After: %+v", st)
	}
	n := len(h.chat.Posts)
	if st := h.sweep(18 * time.Minute); st.Sent != 2 {
		t.Fatalf("after the outage: %+v", st)
	}
	if got := h.postsSince(n); len(got) != 1 {
		t.Fatalf("posts %q", got)
	}
	if inc := h.incident("2026-0001"); inc.RemindFailures != 0 {
		t.Fatalf("failures not reset: %d", inc.RemindFailures)
	}
}

func TestSweepOverlappingSendsOnce(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	n := len(h.chat.Posts)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.bot.Sweep(context.Background(), t0.Add(16*time.Minute)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := h.postsSince(n); len(got) != 1 {
		t.Fatalf("8 overlapping sweeps posted %d messages, want 1: %q", len(got), got)
	}
}

func TestSweepStopsWhenDoneOrClosed(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	h.now = t0.Add(5 * time.Minute)
	h.ok("fait cert-sante via=portail")
	h.ok("fait ars via=email")
	n := len(h.chat.Posts)
	h.sweep(16 * time.Minute)
	for _, p := range h.postsSince(n) {
		if strings.Contains(p, "CERT Santé") || strings.Contains(p, "ARS") {
			t.Fatalf("a done step was reminded: %q", p)
		}
	}
	h.ok("clore confirmer")
	n = len(h.chat.Posts)
	if st := h.sweep(10 * time.Hour); st.Sent != 0 {
		t.Fatalf("a closed incident was reminded: %q", h.postsSince(n))
	}
}

var _ = errors.New

// TestSweepAllDue: after an outage, one sweep sends what is due in every
// incident, not only in the first batch of them; the others would wait a
// whole tick more.
func TestSweepAllDue(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	const n = 1200
	for i := range n {
		ev := bot.Event{Channel: fmt.Sprintf("crise-%d", i), User: h.user, Text: "ouvrir Panne"}
		if r := h.bot.Handle(context.Background(), ev); r.Error {
			t.Fatal(r.Text)
		}
	}
	st := h.sweep(2 * time.Hour)
	if st.Incidents != n || st.Sent == 0 {
		t.Fatalf("one sweep looked at %d incidents of %d due (sent %d)", st.Incidents, n, st.Sent)
	}
	if again := h.sweep(2*time.Hour + time.Second); again.Sent != 0 {
		t.Errorf("a second sweep at once sent %d more", again.Sent)
	}
}
