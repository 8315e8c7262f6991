package bot_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// t0 is 02:10 Paris time on the night of the scenario.
var t0 = time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)

type harness struct {
	t     *testing.T
	bot   *bot.Bot
	store *bottest.Store
	chat  *bottest.Chat
	now   time.Time
	user  incident.User
	cfg   bot.Config // to restart the bot on the same store
	cat   *flows.Catalog
}

func newHarness(t *testing.T, cfg bot.Config) *harness {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	return newHarnessWith(t, cfg, cat)
}

// newHarnessWith is newHarness on the chains of cat (a deployed catalog).
func newHarnessWith(t *testing.T, cfg bot.Config, cat *flows.Catalog) *harness {
	t.Helper()
	h := &harness{t: t, store: bottest.NewStore(), chat: bottest.NewChat(), now: t0, user: incident.User{ID: "u1", Name: "rssi"}, cat: cat}
	cfg.Now = func() time.Time { return h.now }
	if cfg.Observer == nil {
		cfg.Observer = newStrictObserver(t) // every label value observed is one the metrics show at start
	}
	h.cfg = cfg
	h.restart(0)
	return h
}

// restart starts a new bot on the same store and chat after Vigie was
// down for d, as a new process would: what fell due meanwhile is late.
func (h *harness) restart(d time.Duration) {
	h.now = h.now.Add(d)
	h.bot = bot.New(h.cfg, h.store, h.chat, h.cat, ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)), nil)
}

func (h *harness) do(text string) bot.Reply {
	h.t.Helper()
	return h.bot.Handle(context.Background(), bot.Event{Channel: "crise", User: h.user, Text: text})
}

func (h *harness) ok(text string) bot.Reply {
	h.t.Helper()
	r := h.do(text)
	if r.Error {
		h.t.Fatalf("%q refused: %s", text, r.Text)
	}
	return r
}

func (h *harness) incident(id string) *incident.Incident {
	h.t.Helper()
	inc, err := h.store.Incident(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return inc
}

func (h *harness) entries(id string) []incident.Entry {
	h.t.Helper()
	es, err := h.store.Entries(context.Background(), id, 0, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	return es
}

// snapshot is the incident and its main courante as JSON, to check that a
// refused command changed nothing.
func (h *harness) snapshot(id string) string {
	h.t.Helper()
	b, _ := json.Marshal(struct {
		I *incident.Incident
		E []incident.Entry
	}{h.incident(id), h.entries(id)})
	return string(b)
}

// refused checks that cmd is refused with a reply containing want, and
// changes nothing of incident id and its main courante.
func (h *harness) refused(id, cmd, want string) {
	h.t.Helper()
	before := h.snapshot(id)
	r := h.do(cmd)
	if !r.Error || !strings.Contains(r.Text, want) {
		h.t.Errorf("%q: %+v, want a refusal containing %q", cmd, r, want)
	}
	if h.snapshot(id) != before {
		h.t.Errorf("%q changed the incident", cmd)
	}
}

func TestScenarioNight(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	r := h.ok("ouvrir Rançongiciel sur le PACS")
	if !strings.Contains(r.Text, "2026-0001") {
		t.Fatalf("open reply %q does not name the incident", r.Text)
	}
	inc := h.incident("2026-0001")
	if inc.Chain != "nouvelle-aquitaine/es-esms" || inc.Version == "" || !inc.T0.Equal(t0) {
		t.Fatalf("incident = %+v", inc)
	}
	card, list := h.chat.Message(inc.Messages[bot.RoleCard]), h.chat.Message(inc.Messages[bot.RoleChecklist])
	if !contains(bottest.Buttons(card), "#2026-0001 repondre malicious yes") {
		t.Fatalf("card buttons %v lack the malicious question", bottest.Buttons(card))
	}
	if !contains(bottest.Buttons(list), "#2026-0001 fait cert-sante") {
		t.Fatalf("checklist buttons %v lack CERT Santé", bottest.Buttons(list))
	}
	// A click is the action of its button.
	h.now = t0.Add(2 * time.Minute)
	h.ok("#2026-0001 repondre malicious yes")
	list = h.chat.Message(inc.Messages[bot.RoleChecklist])
	if !contains(bottest.Buttons(list), "#2026-0001 fait police-gendarmerie") {
		t.Fatalf("malicious=yes did not add the police step: %v", bottest.Buttons(list))
	}
	h.now = t0.Add(20 * time.Minute)
	h.ok("fait cert-sante via=portail ref=CS-1234 at=02:25 ticket reçu")
	inc = h.incident("2026-0001")
	st := inc.Steps["cert-sante"]
	if st == nil || st.Status != incident.StepDone || st.Proof.Ref != "CS-1234" || st.Proof.Means != "portail" || st.Proof.Note != "ticket reçu" {
		t.Fatalf("proof = %+v", st)
	}
	if want := time.Date(2026, 11, 23, 1, 25, 0, 0, time.UTC); !st.Proof.DeclaredAt.Equal(want) || !st.Proof.ServerAt.Equal(h.now) {
		t.Fatalf("declared %v server %v; want %v and %v", st.Proof.DeclaredAt, st.Proof.ServerAt, want, h.now)
	}
	list = h.chat.Message(inc.Messages[bot.RoleChecklist])
	if !strings.Contains(render(list), "✅ Fait le 23/11/2026 02:25 par @rssi (portail, réf. CS-1234)") {
		t.Fatalf("checklist does not show the proof:\n%s", render(list))
	}
	card = h.chat.Message(inc.Messages[bot.RoleCard])
	if !strings.Contains(render(card), inc.Head.Short()) {
		t.Fatalf("card does not show head %s:\n%s", inc.Head.Short(), render(card))
	}
	// A double click changes nothing twice.
	before := h.snapshot("2026-0001")
	if r := h.do("fait cert-sante via=portail ref=CS-1234"); !r.Error || !strings.Contains(r.Text, "déjà faite") {
		t.Fatalf("second done: %+v", r)
	}
	if h.snapshot("2026-0001") != before {
		t.Fatal("a refused done changed the incident")
	}
	es := h.entries("2026-0001")
	kinds := []string{}
	for _, e := range es {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "opened,answer,done" {
		t.Fatalf("main courante kinds = %v", kinds)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func render(m bot.Message) string {
	var b strings.Builder
	b.WriteString(m.Title + "\n")
	for _, blk := range m.Blocks {
		b.WriteString(blk.Title + "\n" + blk.Text + "\n")
		for _, f := range blk.Fields {
			b.WriteString(f.Label + ": " + f.Value + "\n")
		}
	}
	return b.String()
}

func bottestButtons(m bot.Message) []string { return bottest.Buttons(m) }

func ctxb() context.Context { return context.Background() }

func builtinCatalog() (*flows.Catalog, error) { return builtin.Catalog() }
