package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// TestLateOnlyWhenItWas: a reminder is said late when it fell due while
// Vigie was not running, and only then. After 20 minutes down, exactly the
// reminders that fell due meanwhile are late; the next ones are not.
func TestLateOnlyWhenItWas(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.ok("point conditions=début")
	if st := h.sweep(15*time.Minute + 10*time.Second); st.Sent != 2 || st.Late != 0 {
		t.Fatalf("at +15 min, running: %+v", st)
	}
	if st := h.sweep(30*time.Minute + 10*time.Second); st.Sent != 2 || st.Late != 0 {
		t.Fatalf("at +30 min, running: %+v", st)
	}
	// Down from +31 min to +51 min: the +45 min reminders fell due then.
	h.now = t0.Add(31 * time.Minute)
	h.restart(20 * time.Minute)
	n := len(h.chat.Posts)
	st := h.sweep(51*time.Minute + 10*time.Second)
	if st.Sent != 2 || st.Late != 2 {
		t.Fatalf("after the restart: %+v", st)
	}
	if text := render(h.chat.Posts[n].Message); !strings.Contains(text, "(rappel prévu le 23/11/2026 02:55, envoyé en retard)") {
		t.Errorf("reminders that fell due while down:\n%s", text)
	}
	// Running again: the +60 min escalation is not late.
	n = len(h.chat.Posts)
	if st := h.sweep(time.Hour + 10*time.Second); st.Sent == 0 || st.Late != 0 {
		t.Fatalf("at +1 h, running again: %+v", st)
	}
	if text := render(h.chat.Posts[n].Message); strings.Contains(text, "envoyé en retard") {
		t.Errorf("a reminder sent on time is said late:\n%s", text)
	}
}

// TestOpenedAfterTheDeadline: an incident opened 12 h after its T0 (the
// cell opens Vigie hours after discovering the attack) gets a first
// reminder that says how far behind the law it is, not that Vigie was
// late.
func TestOpenedAfterTheDeadline(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.now = t0.Add(12 * time.Hour)
	h.ok("ouvrir Rançongiciel t0=" + t0.Format(time.RFC3339))
	n := len(h.chat.Posts)
	st := h.sweep(12*time.Hour + 30*time.Second)
	if st.Sent == 0 || st.Late != 0 {
		t.Fatalf("first sweep: %+v", st)
	}
	text := render(h.chat.Posts[n].Message)
	if !strings.Contains(text, "⛔ En retard de 12 h") || strings.Contains(text, "envoyé en retard") {
		t.Errorf("first reminder of an incident opened 12 h after T0:\n%s", text)
	}
}

// TestNotLateWhenRequiredSince: a step made required by an answer given
// after a restart may have reminder instants before it (the CNIL's at
// T0 + 24 h, for a breach known at T0 + 30 h); they were not owed while
// Vigie was down, and are not said late.
func TestNotLateWhenRequiredSince(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.ok("point conditions=début")
	h.restart(30 * time.Hour) // down from T0 to T0 + 30 h
	h.sweep(30*time.Hour + time.Minute)
	h.ok("repondre personal_data_breach oui") // the CNIL now required, reminded at T0 + 24 h
	h.ok("repondre high_risk non")
	n := len(h.chat.Posts)
	h.sweep(30*time.Hour + 3*time.Minute)
	var cnil string
	for _, p := range h.chat.Posts[n:] {
		if text := render(p.Message); strings.Contains(text, "Notifier la violation à la CNIL") {
			cnil = text
		}
	}
	if cnil == "" {
		t.Fatal("no CNIL reminder after the answer")
	}
	if strings.Contains(cnil, "envoyé en retard") {
		t.Errorf("the reminder of a step required since the restart is said late:\n%s", cnil)
	}
}
