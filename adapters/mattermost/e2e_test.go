package mattermost_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/adapters/mattermost"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// TestRealServer is the night of design.md §1 on a real Mattermost server:
// alice runs the slash command, answers every question by clicking through
// the REST API, marks a step done with its proof in a dialog and another by
// typing, pins a message, gets a reminder and an export; bob, outside the
// channel, and a forged button are refused; Vigie restarts in the middle
// and carries on.
func TestRealServer(t *testing.T) {
	e := realServer(t)
	ctx := context.Background()
	v, trigger, logs := startWithCommand(t, e)
	defer func() { v.stop() }()

	alice, bob := e.client(e.UserToken), e.client(e.OutsiderToken)
	run := func(c *model.Client4, channel, text string) *model.CommandResponse {
		t.Helper()
		resp, _, err := c.ExecuteCommand(ctx, channel, "/"+trigger+" "+text)
		if err != nil {
			t.Fatalf("/%s %s: %v", trigger, text, err)
		}
		return resp
	}
	getPost := func(id string) *model.Post {
		t.Helper()
		v.mm.Flush(ctx) // the cards are edited in the background
		p, _, err := alice.GetPost(ctx, id, "")
		if err != nil {
			t.Fatalf("get post %s: %v", id, err)
		}
		return p
	}
	var id1 string // the incident's id: 2026-0001, the year being the clock's
	current := func() *incident.Incident {
		t.Helper()
		inc, err := v.store.Incident(ctx, id1)
		if err != nil {
			t.Fatal(err)
		}
		return inc
	}
	entries := func(kind string) []incident.Entry {
		t.Helper()
		all, err := v.store.Entries(ctx, id1, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []incident.Entry
		for _, en := range all {
			if kind == "" || en.Kind == kind {
				out = append(out, en)
			}
		}
		return out
	}

	// 1. The slash command, through the server: the card and the checklist
	// are the bot's posts in the channel.
	resp := run(alice, e.ChannelID, "ouvrir Rançongiciel sur le PACS")
	open, err := v.store.Open(ctx, e.ChannelID)
	if err != nil || len(open) != 1 {
		t.Fatalf("open incidents %v %v; answer %+v", open, err, resp)
	}
	id1 = open[0].ID
	if !strings.Contains(resp.Text, "#"+id1) || resp.ResponseType != model.CommandResponseTypeEphemeral {
		t.Fatalf("answer to ouvrir: %+v", resp)
	}
	inc := current()
	cardID, listID := inc.Messages[bot.RoleCard], inc.Messages[bot.RoleChecklist]
	for _, id := range []string{cardID, listID} {
		if p := getPost(id); p.UserId != e.BotUserID || p.ChannelId != e.ChannelID || len(p.Attachments()) == 0 {
			t.Fatalf("post %s: by %s in %s, %d attachments", id, p.UserId, p.ChannelId, len(p.Attachments()))
		}
	}

	// 2. Bob is refused: the server keeps him off a channel he is not in,
	// and Vigie refuses his command naming the incident from elsewhere.
	_, cardAction := button(getPost(cardID), "❓", "Oui")
	if code := statusOf(bob.DoPostAction(ctx, cardID, cardAction)); code != http.StatusForbidden {
		t.Errorf("bob's click: status %d, want 403", code)
	}
	town, _, err := bob.GetChannelByName(ctx, "town-square", e.TeamID, "")
	if err != nil {
		t.Fatal(err)
	}
	// He is answered in the language of his Mattermost (the server's
	// default, English, unless he chose another).
	refusal := "seuls les membres du canal"
	if me, _, err := bob.GetMe(ctx, ""); err == nil && strings.HasPrefix(me.Locale, "en") {
		refusal = "only members of the incident's channel"
	}
	if r := run(bob, town.Id, "#"+id1+" repondre malicious non"); !strings.Contains(r.Text, refusal) {
		t.Errorf("bob's command: %q", r.Text)
	}

	// 3. Alice answers every question by clicking Oui; the first one twice
	// at once, which counts once.
	first := true
	for range 10 {
		att, id := button(getPost(cardID), "❓", "Oui")
		if id == "" {
			break
		}
		n := 1
		if first {
			n, first = 2, false
		}
		var wg sync.WaitGroup
		codes := make([]int, n)
		for i := range n {
			wg.Add(1)
			go func() { defer wg.Done(); codes[i] = statusOf(alice.DoPostAction(ctx, cardID, id)) }()
		}
		wg.Wait()
		if codes[0] != http.StatusOK && (n == 1 || codes[1] != http.StatusOK) {
			t.Fatalf("click Oui on %q: %v", att.Title, codes)
		}
	}
	if _, id := button(getPost(cardID), "❓", "Oui"); id != "" {
		t.Fatal("questions left after clicking through")
	}
	answers := entries(incident.KindAnswer)
	keys := map[string]int{}
	for _, a := range answers {
		keys[a.Data["key"]]++
		if a.Actor != "@alice" {
			t.Errorf("answer by %q", a.Actor)
		}
	}
	for k, n := range keys {
		if n != 1 {
			t.Errorf("question %s answered %d times", k, n)
		}
	}
	if len(answers) < 3 {
		t.Errorf("%d answers recorded", len(answers))
	}
	if !strings.Contains(attText(getPost(cardID)), "Oui") {
		t.Error("the card does not show the answers")
	}

	// 4. Forged buttons: alice posts an attachment aimed at Vigie, with a
	// made-up context, then with a context Vigie signed (as if copied from a
	// card). Both are refused; nothing changes.
	headBefore := current().Head
	forge := func(ctxt map[string]any) string {
		p, _, err := alice.CreatePost(ctx, &model.Post{ChannelId: e.ChannelID, Message: "Clôture rapide",
			Props: model.StringInterface{"attachments": []*model.MessageAttachment{{Text: "clore", Actions: []*model.PostAction{{
				Id: "forged1", Type: model.PostActionTypeButton, Name: "Clore",
				Integration: &model.PostActionIntegration{URL: v.public() + mattermost.PathAction, Context: ctxt}}}}}}})
		if err != nil {
			t.Fatal(err)
		}
		if code := statusOf(alice.DoPostAction(ctx, p.Id, "forged1")); code != http.StatusOK {
			t.Fatalf("forged click: status %d", code)
		}
		return p.Id
	}
	forge(map[string]any{"a": "#" + id1 + " clore confirmer", "exp": "9999999999", "sig": strings.Repeat("ab", 32)})
	forge(mattermost.SignButtonForTest(secret, "#"+id1+" clore confirmer", e.ChannelID, time.Now().Add(time.Hour)))
	if current().Head != headBefore || current().Status != incident.StatusOpen {
		t.Fatal("a forged button changed the incident")
	}
	if l := logs.String(); !strings.Contains(l, `reason="forged or altered context"`) || !strings.Contains(l, `reason="post not by the bot"`) {
		t.Errorf("refusals not logged:\n%s", l)
	}

	// 5. Vigie restarts in the middle of the night and carries on.
	v = v.restart()

	// 6. "Fait" on the first pending step opens the proof dialog in alice's
	// browser; she submits it through the server.
	dl := listenDialogs(t, e, e.UserToken)
	att, doneID := button(getPost(listID), "", "Fait")
	if doneID == "" {
		t.Fatal("no step to do on the checklist")
	}
	if code := statusOf(alice.DoPostAction(ctx, listID, doneID)); code != http.StatusOK {
		t.Fatalf("click Fait: %d", code)
	}
	od := dl.next(t)
	if od.URL != v.public()+mattermost.PathDialog || len(od.Dialog.Elements) != 4 || od.Dialog.Elements[0].Name != "via" {
		t.Fatalf("dialog %+v", od)
	}
	sub, _, err := alice.SubmitInteractiveDialog(ctx, model.SubmitDialogRequest{URL: od.URL, CallbackId: od.Dialog.CallbackId,
		State: od.Dialog.State, ChannelId: e.ChannelID, TeamId: e.TeamID,
		Submission: map[string]any{"via": "portail", "ref": "CS-1234", "note": "ticket ouvert par le portail"}})
	if err != nil || sub.Error != "" || len(sub.Errors) != 0 {
		t.Fatalf("submit: %v %+v", err, sub)
	}
	// Bob cannot replay alice's dialog.
	if sub, _, err := bob.SubmitInteractiveDialog(ctx, model.SubmitDialogRequest{URL: od.URL, CallbackId: od.Dialog.CallbackId,
		State: od.Dialog.State, ChannelId: town.Id, TeamId: e.TeamID, Submission: map[string]any{"via": "email"}}); err == nil && sub.Error == "" {
		t.Error("bob's replay of alice's dialog accepted")
	}
	done := entries(incident.KindDone)
	if len(done) != 1 || done[0].Data["ref"] != "CS-1234" || done[0].Data["means"] != "portail" || done[0].Actor != "@alice" {
		t.Fatalf("done entries %+v", done)
	}
	step := done[0].Data["step"]
	if text := attText(getPost(listID)); !strings.Contains(text, "CS-1234") || !strings.Contains(text, "✅") {
		t.Errorf("the checklist does not show the proof:\n%s", text)
	}
	_ = att

	// 7. Another step by typing, with its proof.
	next := pendingStep(t, current(), step)
	if r := run(alice, e.ChannelID, "fait "+next+" via=email ref=ARS-77 note envoyé au point focal"); !strings.Contains(r.Text, "✅") {
		t.Fatalf("typed fait: %q", r.Text)
	}
	if text := attText(getPost(listID)); !strings.Contains(text, "ARS-77") {
		t.Error("the checklist does not show the typed proof")
	}

	// 8. A message pinned with :pushpin: goes into the main courante.
	eventually(t, "Vigie's WebSocket connects", func() bool { return strings.Count(logs.String(), "websocket connected") >= 2 })
	msg, _, err := alice.CreatePost(ctx, &model.Post{ChannelId: e.ChannelID, Message: "PACS isolé du réseau à 02:40"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := alice.SaveReaction(ctx, &model.Reaction{UserId: e.UserID, PostId: msg.Id, EmojiName: "pushpin"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the pinned message is in the main courante", func() bool {
		for _, en := range entries(incident.KindNote) {
			if en.Data["message"] == msg.Id && strings.Contains(en.Text, "PACS isolé du réseau") && en.Actor == "@alice" &&
				en.Data["link"] == e.URL+"/crise/pl/"+msg.Id {
				return true
			}
		}
		return false
	})

	// 9. A reminder is a post by the bot in the channel.
	since := model.GetMillis()
	if st, err := v.bot.Sweep(ctx, time.Now().Add(3*time.Hour)); err != nil || st.Sent == 0 {
		t.Fatalf("sweep: %+v %v", st, err)
	}
	// (Reminder titles end "— incident #ID"; the checklist's too, but it
	// is not new. Other tests' Vigies may post in the channel meanwhile.)
	if !botPosted(t, alice, e, since, func(p *model.Post) bool {
		return strings.Contains(p.Message, "— incident #"+id1) && !strings.Contains(p.Message, "📋") && len(p.Attachments()) > 0
	}) {
		t.Error("no reminder posted by the bot")
	}

	// 10. The export is a file posted by the bot.
	since = model.GetMillis()
	if r := run(alice, e.ChannelID, "exporter json"); !strings.Contains(r.Text, e.URL+"/crise/pl/") {
		t.Errorf("export answer %q", r.Text)
	}
	if !botPosted(t, alice, e, since, func(p *model.Post) bool { return len(p.FileIds) == 1 }) {
		t.Error("no export file posted by the bot")
	}

	// 11. canal=nouveau: a channel of its own, alice in it, linked from here.
	since = model.GetMillis()
	id2 := strings.Replace(id1, "0001", "0002", 1)
	if r := run(alice, e.ChannelID, "ouvrir Fuite de données canal=nouveau"); !strings.Contains(r.Text, "#"+id2) {
		t.Fatalf("open in a new channel: %q", r.Text)
	}
	inc2, err := v.store.Incident(ctx, id2)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.client(e.AdminToken).GetChannelMember(ctx, inc2.Channel, e.UserID, ""); err != nil {
		t.Errorf("alice is not in the new channel: %v", err)
	}
	ch, _, err := alice.GetChannel(ctx, inc2.Channel)
	if err != nil || ch.TeamId != e.TeamID {
		t.Fatalf("new channel %+v %v", ch, err)
	}
	if !botPosted(t, alice, e, since, func(p *model.Post) bool { return strings.Contains(p.Message, "~"+ch.Name) }) {
		t.Error("no ~link to the new channel")
	}

	// 12. The main courante, in order, by the right people.
	var kinds []string
	for _, en := range entries("") {
		kinds = append(kinds, en.Kind)
	}
	// (An escalation of the reminder sweep writes a reminder entry.)
	got := strings.Replace(fmt.Sprint(compact(kinds)), " reminder", "", 1)
	if want := fmt.Sprint([]string{incident.KindOpened, incident.KindAnswer, incident.KindDone, incident.KindNote, incident.KindExport}); got != want {
		t.Errorf("main courante kinds %v, want %v", got, want)
	}
	if n := len(entries(incident.KindDone)); n != 2 {
		t.Errorf("%d steps done, want 2", n)
	}
}

// pendingStep returns a step of inc's plan still to do, other than skip.
func pendingStep(t *testing.T, inc *incident.Incident, skip string) string {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	c, err := cat.Version(inc.Chain, inc.Version)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range flows.Evaluate(c, inc.Inputs()).Steps {
		if st := inc.Steps[p.Step.ID]; p.Step.ID != skip && (st == nil || st.Status == incident.StepPending) {
			return p.Step.ID
		}
	}
	t.Fatal("no pending step")
	return ""
}

// attText is all the text of a post's attachments.
func attText(p *model.Post) string {
	var b strings.Builder
	b.WriteString(p.Message + "\n")
	for _, at := range p.Attachments() {
		b.WriteString(at.Title + "\n" + at.Text + "\n")
		for _, f := range at.Fields {
			fmt.Fprintf(&b, "%s: %v\n", f.Title, f.Value)
		}
	}
	return b.String()
}

// botPosted tells whether the bot posted in the channel since then a post
// that ok accepts.
func botPosted(t *testing.T, c *model.Client4, e mmEnv, since int64, ok func(*model.Post) bool) bool {
	t.Helper()
	list, _, err := c.GetPostsSince(context.Background(), e.ChannelID, since-1000, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list.Posts {
		if p.UserId == e.BotUserID && p.CreateAt >= since-1000 && ok(p) {
			return true
		}
	}
	return false
}

// compact drops repeats in a row: "answer answer answer" reads "answer".
func compact(s []string) []string {
	var out []string
	for _, x := range s {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}
