package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// TestList lists a channel's incidents, open and closed, latest first, and
// nothing of another channel's; it changes nothing and writes nothing in
// any main courante.
func TestList(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel sur le PACS t0=02:05")
	h.now = t0.Add(20 * time.Hour)
	h.ok("clore confirmer")
	h.now = t0.Add(24 * time.Hour)
	if r := h.bot.Handle(ctxb(), bot.Event{Channel: "autre", User: h.user, Text: "ouvrir Ailleurs"}); r.Error {
		t.Fatal(r.Text)
	}
	h.now = t0.Add(25 * time.Hour)
	h.ok("ouvrir Messagerie compromise")
	before := h.snapshot("2026-0001") + h.snapshot("2026-0003")

	r := h.ok("liste")
	want := `Incidents de ce canal (2)

#2026-0003 · ouvert · T0 24/11/2026 03:10 · ouverture 24/11/2026 03:10 · Messagerie compromise · nouvelle-aquitaine/es-esms
#2026-0001 · clos · T0 23/11/2026 02:05 · ouverture 23/11/2026 02:10 · Rançongiciel sur le PACS · nouvelle-aquitaine/es-esms

Le détail d'un incident, clos aussi : /incident #2026-0003 statut
`
	if r.Message == nil || render(*r.Message) != want {
		t.Errorf("liste:\n%s\nwant\n%s", renderOrText(r), want)
	}
	if after := h.snapshot("2026-0001") + h.snapshot("2026-0003"); after != before {
		t.Errorf("liste changed an incident or its main courante")
	}

	// In English, by its English name.
	r = h.bot.Handle(ctxb(), bot.Event{Channel: "crise", User: h.user, Text: "list", Lang: "en"})
	if r.Error || r.Message == nil || !strings.Contains(render(*r.Message), "#2026-0001 · closed · T0 2026-11-23 02:05 · opened 2026-11-23 02:10 · Rançongiciel sur le PACS") {
		t.Errorf("list in English:\n%s", renderOrText(r))
	}

	// A channel with no incident.
	r = h.bot.Handle(ctxb(), bot.Event{Channel: "vide", User: h.user, Text: "liste"})
	if r.Error || r.Text != "Aucun incident dans ce canal. Pour en ouvrir un : /incident ouvrir TITRE" {
		t.Errorf("liste in an empty channel: %+v", r)
	}
}

// TestListBounded shows the last 20 incidents of a channel and says how
// many more there are, and where to see them all.
func TestListBounded(t *testing.T) {
	h := newHarness(t, bot.Config{})
	for i := range 23 {
		h.now = t0.Add(time.Duration(i) * time.Hour)
		h.ok(fmt.Sprintf("ouvrir Incident %d", i+1))
		h.ok("clore confirmer")
	}
	r := h.ok("liste")
	got := render(*r.Message)
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if !strings.HasPrefix(got, "Incidents de ce canal (23)\n") || !strings.Contains(got, "#2026-0023 · clos · T0 24/11/2026 00:10 ") ||
		!strings.Contains(got, "#2026-0004 ·") || strings.Contains(got, "#2026-0003 ·") {
		t.Errorf("liste of 23:\n%s", got)
	}
	if !strings.Contains(got, "… et 3 incidents plus anciens : l'administrateur de Vigie les voit tous avec « vigie liste ».") {
		t.Errorf("liste of 23 does not say what is left out:\n%s", got)
	}
	if n := strings.Count(got, "· clos ·"); n != 20 {
		t.Errorf("liste of 23 shows %d incidents, want 20 (%d lines)", n, len(lines))
	}
}

// TestListExercise: an exercise is listed, marked as one.
func TestListExercise(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel simulé exercice")
	h.ok("clore confirmer")
	h.now = t0.Add(time.Hour)
	h.ok("ouvrir Vrai incident")
	got := render(*h.ok("liste").Message)
	if !strings.Contains(got, "#EX-2026-0001 · clos · T0 23/11/2026 02:10 · ouverture 23/11/2026 02:10 · 🧪 EXERCICE — Rançongiciel simulé") ||
		!strings.Contains(got, "#2026-0001 · ouvert · T0 23/11/2026 03:10 · ouverture 23/11/2026 03:10 · Vrai incident") {
		t.Errorf("liste with an exercise:\n%s", got)
	}
}

func TestListRefused(t *testing.T) {
	h := newHarness(t, bot.Config{})
	h.ok("ouvrir x")
	for _, tt := range []struct{ text, want string }{
		{"liste tout", "liste ne prend pas d'argument"},
		{"#2026-0001 liste", "liste ne prend pas d'argument"},
	} {
		if r := h.do(tt.text); !r.Error || !strings.Contains(r.Text, tt.want) {
			t.Errorf("%q: %+v, want an error saying %q", tt.text, r, tt.want)
		}
	}
	// Only the channel's members see its incidents.
	h2, _ := newPlatformHarness(t)
	h2.ok("ouvrir Rançongiciel")
	r := h2.bot.Handle(context.Background(), bot.Event{Channel: "crise", User: incident.User{ID: "bob", Name: "bob"}, Text: "liste"})
	if !r.Error || !strings.Contains(r.Text, "seuls les membres du canal") || strings.Contains(r.Text, "Rançongiciel") {
		t.Errorf("liste by an outsider: %+v", r)
	}
}

// TestListInHelpAndCompletion: aide shows liste, Tab offers it.
func TestListInHelpAndCompletion(t *testing.T) {
	h := newHarness(t, bot.Config{})
	if r := h.ok("aide"); !strings.Contains(render(*r.Message), "/incident liste\n") {
		t.Errorf("aide lacks liste:\n%s", render(*r.Message))
	}
	if got := h.bot.Complete(ctxb(), "crise", "lis", ""); len(got) != 2 || got[0] != "liste" || got[1] != "list" {
		t.Errorf("Complete(lis) = %q", got)
	}
}

func renderOrText(r bot.Reply) string {
	if r.Message != nil {
		return render(*r.Message)
	}
	return r.Text
}
