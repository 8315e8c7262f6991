package bot_test

import (
	"context"
	"crypto/ed25519"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// TestOneEffectPerClick: the same click repeated (concurrently, 5 ms or
// 60 ms later, after a restart) records one snooze; the repeats are
// answered as the first was, or told it was taken; after the window, a
// new click counts again.
func TestOneEffectPerClick(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(10 * time.Minute)
	h.ok("repondre personal_data_breach oui")
	click := func(b *bot.Bot) bot.Reply {
		return b.Handle(context.Background(), bot.Event{Channel: "crise", User: h.user, Text: "#2026-0001 rappel cnil 1h",
			Click: true, ClickID: "mattermost:u1:post1:#2026-0001 rappel cnil 1h"})
	}
	snoozes := func() int {
		n := 0
		for _, e := range h.entries("2026-0001") {
			if e.Kind == incident.KindSnooze {
				n++
			}
		}
		return n
	}
	var wg sync.WaitGroup
	replies := make([]bot.Reply, 4)
	for i := range replies {
		wg.Go(func() { replies[i] = click(h.bot) })
	}
	wg.Wait()
	if n := snoozes(); n != 1 {
		t.Fatalf("%d snoozes for four concurrent clicks", n)
	}
	for _, r := range replies {
		if r.Error || r.Text == "" {
			t.Fatalf("replies %+v", replies)
		}
	}
	first := ""
	for _, r := range replies {
		if !strings.Contains(r.Text, "déjà été pris en compte") {
			first = r.Text // the one click that acted
		}
	}
	for _, later := range []time.Duration{5 * time.Millisecond, 60 * time.Millisecond, 30 * time.Second} {
		h.now = h.now.Add(later)
		if r := click(h.bot); r.Text != first {
			t.Errorf("a repeat %v later answered %q, want the first answer %q", later, r.Text, first)
		}
	}
	// A restart: another bot on the same store, within the window.
	cat, _ := builtin.Catalog()
	again := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: func() time.Time { return h.now }}, h.store, h.chat, cat, ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
	if r := click(again); r.Error || r.Text != "Ce clic a déjà été pris en compte : rien de plus n'a été enregistré." {
		t.Errorf("a repeat after a restart answered %+v", r)
	}
	if n := snoozes(); n != 1 {
		t.Fatalf("%d snoozes after the repeats", n)
	}
	h.now = h.now.Add(bot.ClickWindow)
	if r := click(h.bot); r.Error {
		t.Fatalf("a new click after the window: %s", r.Text)
	}
	if n := snoozes(); n != 2 {
		t.Fatalf("%d snoozes after a new click past the window, want 2", n)
	}
}

// heard records the commands an Observer hears, as "verb source outcome".
type heard struct {
	mu   sync.Mutex // guards seen
	seen []string
}

func (h *heard) Command(verb string, click bool, outcome string, d time.Duration) {
	source := "typed"
	if click {
		source = "click"
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seen = append(h.seen, verb+" "+source+" "+outcome)
}
func (h *heard) Swept(bot.SweepStats)        {}
func (h *heard) PlatformError(string)        {}
func (h *heard) ChainBroken()                {}
func (h *heard) CardDelivered(time.Duration) {}
func (h *heard) OutboxRetry(string)          {}

// TestMergedClickCounted: a click its platform merged into the same click
// in flight (Mattermost's double click, which never reaches Handle) is
// counted as a repeat of its verb, as a repeat caught by the store is.
func TestMergedClickCounted(t *testing.T) {
	obs := &heard{}
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Observer: obs})
	h.ok("ouvrir Rançongiciel")
	h.ok("repondre personal_data_breach oui") // brings the CNIL step in
	ev := bot.Event{Channel: "crise", User: h.user, Text: "#2026-0001 rappel cnil 1h",
		Click: true, ClickID: "mattermost:u1:post1:#2026-0001 rappel cnil 1h"}
	h.bot.Handle(context.Background(), ev) // the click
	h.bot.Handle(context.Background(), ev) // a repeat the store catches
	h.bot.Repeated(ev)                     // a repeat merged by the platform
	want := "open typed ok|answer typed ok|snooze click ok|snooze click repeat|snooze click repeat"
	if got := strings.Join(obs.seen, "|"); got != want {
		t.Fatalf("commands heard:\n got %s\nwant %s", got, want)
	}
}

// TestChangedMindIsNotARepeat: yes, then no, then yes again on the same
// card within the window are three answers, not a repeat: only the same
// click as the person's last one on that message is a repeat.
func TestChangedMindIsNotARepeat(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	click := func(value string) bot.Reply {
		text := "#2026-0001 repondre malicious " + value
		return h.bot.Handle(context.Background(), bot.Event{Channel: "crise", User: h.user, Text: text,
			Click: true, ClickID: bot.ClickIdentity("mattermost", h.user.ID, "post1", text)})
	}
	for i, v := range []string{"yes", "no", "yes"} {
		h.now = h.now.Add(10 * time.Second)
		if r := click(v); r.Error || strings.Contains(r.Text, "déjà été pris en compte") {
			t.Fatalf("click %d (%s): %+v", i+1, v, r)
		}
	}
	if a, _ := h.incident("2026-0001").Answer("malicious"); a.Value != "yes" {
		t.Errorf("after yes, no, yes the answer is %q", a.Value)
	}
	h.now = h.now.Add(time.Second)
	if r := click("yes"); !strings.Contains(r.Text, "déjà") && r.Text == "" {
		t.Errorf("the same click again: %+v", r)
	}
}

// TestActionDecodesOnce: an action reads its incident once; the store's
// change starts from that copy instead of decoding the record again. The
// harness runs no outbox, so the delivery of the card is made inline: it
// reads the incident once more, and records what it showed from that copy.
func TestActionDecodesOnce(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	for _, ev := range []bot.Event{
		{Text: "note appel du DSI"},
		{Text: "#2026-0001 repondre capacity_impact oui", Click: true, ClickID: bot.ClickIdentity("mattermost", "u1", "post1", "capacity_impact oui")},
		{Text: "fait cert-sante via=telephone ref=CS-1"},
	} {
		ev.Channel, ev.User = "crise", h.user
		before := h.store.Decodes()
		if r := h.bot.Handle(context.Background(), ev); r.Error {
			t.Fatalf("%q: %s", ev.Text, r.Text)
		}
		if n := h.store.Decodes() - before; n != 2 {
			t.Errorf("%q decoded the incident %d times, want once for the action and once for the card", ev.Text, n)
		}
	}
}
