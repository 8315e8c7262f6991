package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
)

// TestSnoozeButtonOnlyWhereItWorks: "Rappeler dans 1 h" is offered only
// where the snooze can succeed: never on a step due without delay, nor
// within the hour of its legal deadline, nor past it; there the step says
// once why. The typed rappel keeps its refusal.
func TestSnoozeButtonOnlyWhereItWorks(t *testing.T) {
	h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("repondre capacity_impact oui") // the ROR, due without delay
	list := func() (string, []string) {
		inc := h.incident("2026-0001")
		m := h.chat.Message(inc.Messages[bot.RoleChecklist])
		return render(m), bottest.Buttons(m)
	}
	text, buttons := list()
	if slices.Contains(buttons, "#2026-0001 rappel ror 1h") || !strings.Contains(text, "Pas de report possible : une déclaration « sans délai » se fait maintenant.") {
		t.Errorf("sans délai step at +26 h: buttons %v\n%s", buttons, text)
	}
	if !slices.Contains(buttons, "#2026-0001 rappel cnil 1h") {
		t.Errorf("the CNIL step, 46 h before its deadline, has no snooze: %v", buttons)
	}
	h.refused("2026-0001", "rappel ror 1m", "Rappel refusé : « Ajuster le nombre de lits/places disponibles dans le ROR » est due sans délai ; une déclaration « sans délai » se fait maintenant, elle ne se reporte pas.")
	h.refused("2026-0001", "rappel cnil 3d", "dépasserait l'échéance légale du 26/11/2026 02:10")

	h.now = t0.Add(71*time.Hour + 30*time.Minute)
	h.ok("note un quart d'heure avant") // the checklist is drawn again
	text, buttons = list()
	if slices.Contains(buttons, "#2026-0001 rappel cnil 1h") || !strings.Contains(text, "Pas de report d'une heure : l'échéance légale tombe le 26/11/2026 02:10.") {
		t.Errorf("the CNIL step 30 min before its deadline: %v\n%s", buttons, text)
	}
	h.now = t0.Add(73 * time.Hour)
	h.ok("note après l'échéance")
	h.refused("2026-0001", "rappel cnil 1m", "Rappel refusé : l'échéance légale de « Notifier la violation à la CNIL » (26/11/2026 02:10, en retard de 1 h 00) est passée ; la déclaration se fait maintenant.")
	h.refused("2026-0001", "remind cnil 1m", "est passée")
	text, buttons = list()
	if slices.Contains(buttons, "#2026-0001 rappel cnil 1h") || !strings.Contains(text, "Pas de report possible : l'échéance légale du 26/11/2026 02:10 est passée.") {
		t.Errorf("the CNIL step past its deadline: %v\n%s", buttons, text)
	}
	// A reminder draws the step the same way.
	n := len(h.chat.Posts)
	h.sweep(73*time.Hour + time.Minute)
	for _, p := range h.chat.Posts[n:] {
		if bs := bottest.Buttons(p.Message); slices.Contains(bs, "#2026-0001 rappel cnil 1h") || slices.Contains(bs, "#2026-0001 rappel ror 1h") {
			t.Errorf("a reminder offers a snooze that cannot work: %v", bs)
		}
	}
}
