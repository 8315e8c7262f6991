package mattermost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

var proofDialog = bot.Dialog{
	Title: "Preuve : Déclarer l'incident au CERT Santé", Submit: "Enregistrer", Action: "#2026-0001 fait cert-sante",
	Fields: []bot.DialogField{
		{Name: "via", Label: "Moyen utilisé", Kind: "select", Options: []bot.Option{{Label: "portail", Value: "portail"}, {Label: "e-mail", Value: "email"}}},
		{Name: "ref", Label: "Référence (n° de ticket, d'accusé…)", Kind: "text", Optional: true, Help: "Par exemple le n° donné par le portail."},
		{Name: "at", Label: "Fait à (heure de Paris)", Kind: "text", Optional: true},
		{Name: "note", Label: "Note libre, détaillée, pour la main courante", Kind: "textarea", Optional: true},
	},
}

// click posts a button click as Mattermost does and returns the answer.
func click(t *testing.T, a *Adapter, h Handler, req model.PostActionIntegrationRequest) (int, model.PostActionIntegrationResponse) {
	t.Helper()
	w := serve(a.ActionHandler(h), "POST", PathAction, http.Header{"Content-Type": {"application/json"}}, mustJSON(t, req))
	var resp model.PostActionIntegrationResponse
	if w.Code == http.StatusOK {
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%s: %v", w.Body, err)
		}
	}
	return w.Code, resp
}

// postedCard posts the test card as the bot and returns its id and the
// context of its button.
func postedCard(t *testing.T, a *Adapter, f *fakeMM) (string, map[string]any) {
	t.Helper()
	ref, err := a.Post(t.Context(), "chan1", card)
	if err != nil {
		t.Fatal(err)
	}
	at := f.post(ref).Attachments()
	return ref, at[0].Actions[0].Integration.Context
}

func TestClick(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	ref, ctx := postedCard(t, a, f)
	h := &recorder{}
	code, resp := click(t, a, h, model.PostActionIntegrationRequest{UserId: "alice", UserName: "alice", ChannelId: "chan1", PostId: ref, TriggerId: "trig", Context: ctx})
	if code != 200 || resp.EphemeralText != "ok: #2026-0001 repondre malicious yes" || resp.Update != nil {
		t.Fatalf("%d %+v", code, resp)
	}
	evs := h.handled()
	if len(evs) != 1 || evs[0].User != (incident.User{ID: "alice", Name: "alice"}) || evs[0].Channel != "chan1" || !evs[0].Dialogs {
		t.Fatalf("events %+v", evs)
	}
}

func TestClickRefused(t *testing.T) {
	f := newFakeMM(t)
	var logs bytes.Buffer
	a := newTestAdapter(t, f, &logs)
	ref, good := postedCard(t, a, f)
	with := func(k string, v any) map[string]any {
		c := map[string]any{}
		for k, v := range good {
			c[k] = v
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	// Alice's own post, carrying a context Vigie signed (copied from a card).
	alicePost := f.addPost(&model.Post{UserId: "alice", ChannelId: "chan1", Message: "cliquez ici"})
	// A context Vigie signed for another channel, replayed here.
	other := a.sign.button("#2026-0001 repondre malicious no", "chan2", testNow.Add(time.Hour))
	expired := a.sign.button("#2026-0001 repondre malicious no", "chan1", testNow.Add(-time.Second))
	for name, tc := range map[string]struct {
		post string
		ctx  map[string]any
		want string
	}{
		"no context":     {ref, nil, "Bouton refusé"},
		"forged":         {ref, map[string]any{"a": "#2026-0001 clore confirmer", "exp": "9999999999", "sig": strings.Repeat("0", 64)}, "Bouton refusé"},
		"altered action": {ref, with("a", "#2026-0001 clore confirmer"), "Bouton refusé"},
		"altered expiry": {ref, with("exp", "9999999999"), "Bouton refusé"},
		"number expiry":  {ref, with("exp", 9999999999), "Bouton refusé"},
		"no signature":   {ref, with("sig", nil), "Bouton refusé"},
		"other channel":  {ref, other, "Bouton refusé"},
		"expired":        {ref, expired, "expiré"},
		"not by the bot": {alicePost, good, "pas été posté par Vigie"},
		"no such post":   {"nosuchpost00000000000000000", good, "pas été posté par Vigie"},
	} {
		h := &recorder{}
		code, resp := click(t, a, h, model.PostActionIntegrationRequest{UserId: "alice", UserName: "alice", ChannelId: "chan1", PostId: tc.post, Context: tc.ctx})
		if code != 200 || !strings.Contains(resp.EphemeralText, tc.want) {
			t.Errorf("%s: %d %q", name, code, resp.EphemeralText)
		}
		if n := len(h.handled()); n != 0 {
			t.Errorf("%s: reached the bot", name)
		}
	}
	if n := strings.Count(logs.String(), "refused click"); n != 10 {
		t.Errorf("%d refusals logged, want 10:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), string(testSecret)) {
		t.Error("the secret is in the logs")
	}
}

func TestClickBadJSON(t *testing.T) {
	a := newTestAdapter(t, newFakeMM(t), nil)
	for _, body := range []string{"", "{", `{"user_id":"a"}`, `[]`} {
		if w := serve(a.ActionHandler(&recorder{}), "POST", PathAction, nil, body); w.Code != http.StatusBadRequest {
			t.Errorf("%q: %d", body, w.Code)
		}
	}
}

// A double click runs the action once: the second click waits for the
// first, gets its answer, and is reported to the bot as a repeat, for its
// metrics.
func TestDoubleClick(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	ref, ctx := postedCard(t, a, f)
	release := make(chan struct{})
	var mu sync.Mutex
	runs := 0
	h := &recorder{reply: func(ev bot.Event) bot.Reply {
		mu.Lock()
		runs++
		mu.Unlock()
		<-release
		return bot.Reply{Text: "Réponse enregistrée."}
	}}
	req := model.PostActionIntegrationRequest{UserId: "alice", UserName: "alice", ChannelId: "chan1", PostId: ref, Context: ctx}
	var wg sync.WaitGroup
	answers := make([]string, 2)
	for i := range 2 {
		wg.Go(func() {
			_, resp := click(t, a, h, req)
			answers[i] = resp.EphemeralText
		})
	}
	// The first click is with the bot, held; the second is merged into it
	// before it ends.
	for deadline := time.Now().Add(10 * time.Second); len(h.merged()) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			close(release)
			t.Fatal("the second click was not merged into the first")
		}
	}
	close(release)
	wg.Wait()
	if runs != 1 || answers[0] != "Réponse enregistrée." || answers[1] != answers[0] {
		t.Fatalf("%d runs, answers %q", runs, answers)
	}
	evs, merged := h.handled(), h.merged()
	if len(merged) != 1 || merged[0].ClickID != evs[0].ClickID || merged[0].Text != evs[0].Text || !merged[0].Click {
		t.Fatalf("repeats %+v, want the one merged click of %+v", merged, evs)
	}
}

// A click the bot answers with a dialog opens it, signed for that user in
// that channel, with the labels fitted to Mattermost's limits.
func TestClickOpensDialog(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	ref, ctx := postedCard(t, a, f)
	h := &recorder{reply: func(ev bot.Event) bot.Reply { return bot.Reply{Dialog: &proofDialog} }}
	code, resp := click(t, a, h, model.PostActionIntegrationRequest{UserId: "alice", UserName: "alice", ChannelId: "chan1", PostId: ref, TriggerId: "trig-7", Context: ctx})
	if code != 200 || resp.EphemeralText != "" || len(f.dialogs) != 1 {
		t.Fatalf("%d %+v, %d dialogs", code, resp, len(f.dialogs))
	}
	d := f.dialogs[0]
	if d.TriggerId != "trig-7" {
		t.Errorf("trigger %q", d.TriggerId)
	}
	if err := d.Dialog.IsValid(); err != nil {
		t.Errorf("Mattermost would find the dialog invalid: %v\n%+v", err, d.Dialog)
	}
	if d.Dialog.IntroductionText != "**Preuve : Déclarer l'incident au CERT Santé**" {
		t.Errorf("introduction %q", d.Dialog.IntroductionText)
	}
	ref2 := d.Dialog.Elements[1]
	if ref2.DisplayName != "Référence" || ref2.Placeholder != "n° de ticket, d'accusé…" || ref2.Type != "text" {
		t.Errorf("ref element %+v", ref2)
	}
	if note := d.Dialog.Elements[3]; !strings.HasPrefix(note.HelpText, "Note libre, détaillée") || note.MaxLength != 3000 {
		t.Errorf("note element %+v", note)
	}
	if sel := d.Dialog.Elements[0]; sel.Type != "select" || len(sel.Options) != 2 || sel.Options[1].Value != "email" {
		t.Errorf("via element %+v", sel)
	}
	// Without a trigger id no dialog can open: the person is told to type.
	f.dialogs = nil
	_, resp = click(t, a, h, model.PostActionIntegrationRequest{UserId: "alice", ChannelId: "chan1", PostId: ref, Context: ctx})
	if !strings.Contains(resp.EphemeralText, "/incident #2026-0001 fait cert-sante") {
		t.Errorf("no hint to type: %q", resp.EphemeralText)
	}
}

// TestIsMember: the server says who is a member, in the channel's member
// list; a yes is kept, so that an action costs no call, until the
// WebSocket says the person was removed from the channel; a no and an
// error are never kept. A channel larger than a page of the list is asked
// person by person.
func TestIsMember(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	const route = "GET /api/v4/channels/{id}/members"
	// In this order: alice's answer reads the member list and keeps her
	// yes; bob's no is not kept, so he is asked again (a map's random
	// order sometimes asked bob first, and his read kept alice).
	for _, c := range []struct {
		user string
		want bool
	}{{"alice", true}, {"bob", false}} {
		got, err := a.IsMember(t.Context(), "chan1", c.user)
		if err != nil || got != c.want {
			t.Errorf("%s: %v %v", c.user, got, err)
		}
	}
	if ok, err := a.IsMember(t.Context(), "chan1", "alice"); !ok || err != nil || f.called(route) != 2 {
		t.Errorf("alice again: %v %v, %d calls to the server, want 2 (the yes kept)", ok, err, f.called(route))
	}
	setMember := func(user string, in bool) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if in {
			f.members["chan1"][user] = true
		} else {
			delete(f.members["chan1"], user)
		}
	}
	setMember("bob", true) // bob is added: the no was not kept
	if ok, _ := a.IsMember(t.Context(), "chan1", "bob"); !ok {
		t.Error("bob, just added, is refused")
	}
	// Alice is removed: the server's event makes the adapter ask again.
	for _, ev := range []*model.WebSocketEvent{
		model.NewWebSocketEvent(model.WebsocketEventUserRemoved, "", "chan1", "", nil, ""), // to the channel
		model.NewWebSocketEvent(model.WebsocketEventUserRemoved, "", "", "alice", nil, ""), // to her
	} {
		setMember("alice", true)
		a.IsMember(t.Context(), "chan1", "alice")
		setMember("alice", false)
		if ok, _ := a.IsMember(t.Context(), "chan1", "alice"); !ok {
			t.Error("the yes was not kept")
		}
		if ev.GetBroadcast().ChannelId == "" {
			ev.Add("channel_id", "chan1")
		}
		ev.Add("user_id", "alice")
		if !a.memberRemoved(ev) {
			t.Fatalf("event %+v not taken as a removal", ev)
		}
		if ok, err := a.IsMember(t.Context(), "chan1", "alice"); ok || err != nil {
			t.Errorf("alice after her removal (%v): %v %v", ev.GetBroadcast(), ok, err)
		}
	}
	f.fail(route, failure{status: 500}, failure{status: 500}, failure{status: 500})
	if _, err := a.IsMember(t.Context(), "chan1", "carol"); err == nil {
		t.Error("a server error reads as an answer")
	}

	// A town square of listPage people and more: asked person by person.
	f.mu.Lock()
	f.channels["square"] = &model.Channel{Id: "square", TeamId: "team1", Name: "town-square", Type: model.ChannelTypeOpen}
	f.members["square"] = map[string]bool{"alice": true}
	for k := range listPage {
		f.members["square"][fmt.Sprintf("user%03d", k)] = true
	}
	f.mu.Unlock()
	const one = "GET /api/v4/channels/{id}/members/{user}"
	lists, ones := f.called(route), f.called(one)
	for user, want := range map[string]bool{"alice": true, "bob": false} {
		if got, err := a.IsMember(t.Context(), "square", user); err != nil || got != want {
			t.Errorf("%s in the square: %v %v", user, got, err)
		}
	}
	if l, o := f.called(route)-lists, f.called(one)-ones; l != 2 || o != 2 {
		t.Errorf("square: %d list reads and %d single questions, want 2 and 2", l, o)
	}
	if ok, _ := a.IsMember(t.Context(), "square", "alice"); !ok || f.called(one)-ones != 2 {
		t.Error("alice's yes in the square was not kept")
	}
}

// A click on a post the bot made costs no GetPost: the adapter remembers
// its posts. After a restart, the first click on a card asks once.
func TestClickKnowsBotPosts(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	ref, ctx := postedCard(t, a, f)
	elsewhere := f.addPost(&model.Post{UserId: f.botID, ChannelId: "chan2", Message: "carte"})
	req := model.PostActionIntegrationRequest{UserId: "alice", UserName: "alice", ChannelId: "chan1", PostId: ref, Context: ctx}
	for _, a := range []*Adapter{a, newTestAdapter(t, f, nil)} { // then restarted
		for range 2 {
			if code, resp := click(t, a, &recorder{}, req); code != 200 || !strings.HasPrefix(resp.EphemeralText, "ok:") {
				t.Fatalf("%d %q", code, resp.EphemeralText)
			}
		}
		// The bot's post in another channel is refused, asked or not.
		for range 2 {
			other := req
			other.PostId = elsewhere
			if _, resp := click(t, a, &recorder{}, other); !strings.Contains(resp.EphemeralText, "pas été posté par Vigie") {
				t.Fatalf("post of another channel: %q", resp.EphemeralText)
			}
		}
	}
	if n := f.called("GET /api/v4/posts/{id}"); n != 3 {
		t.Errorf("%d GetPost, want 3 (the other channel's post once, the card once after the restart)", n)
	}
}
