package mattermost_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// TestRealServerRoles is the crisis cell on a real Mattermost server, in a
// channel of its own where alice and bob both sit: alice takes the DPO's
// role, bob the RSSI's and gives the crisis director's to alice; the
// deployment asks the owner's confirmation, so bob's "fait cnil" is
// proposed and waits; once the RSSI and the director have declared the
// steps that would escalate, the CNIL reminder calls alice, not the channel;
// bob cannot confirm, alice's click on Confirmer does; a role released
// leaves the card.
func TestRealServerRoles(t *testing.T) {
	e := realServer(t)
	ctx := context.Background()
	admin := e.client(e.AdminToken)
	ch := cellChannel(t, &e)
	aliceUser, _, err := admin.GetUser(ctx, e.UserID, "")
	if err != nil {
		t.Fatal(err)
	}
	aliceName := "@" + aliceUser.Username
	bobUser, _, err := admin.GetUser(ctx, e.OutsiderID, "")
	if err != nil {
		t.Fatal(err)
	}
	// The people's Mattermost locale is English: Vigie answers them in
	// English, and writes the channel's cards in the deployment's French.
	v, trigger, _ := startWithCommandConfig(t, e, bot.Config{Chain: "nouvelle-aquitaine/es-esms",
		Declarations: bot.Declarations{Owner: bot.OwnerPropose}})
	defer func() { v.stop() }()
	alice, bob := e.client(e.UserToken), e.client(e.OutsiderToken)
	run := func(c *model.Client4, text string) string {
		t.Helper()
		resp, _, err := c.ExecuteCommand(ctx, ch.Id, "/"+trigger+" "+text)
		if err != nil {
			t.Fatalf("/%s %s: %v", trigger, text, err)
		}
		return resp.Text
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

	run(alice, "ouvrir Rançongiciel sur le PACS")
	open, err := v.store.Open(ctx, ch.Id)
	if err != nil || len(open) != 1 {
		t.Fatalf("open incidents %v %v", open, err)
	}
	id := open[0].ID
	cardID, listID := open[0].Messages[bot.RoleCard], open[0].Messages[bot.RoleChecklist]

	// Roles taken and given, each shown on the card.
	if got := run(alice, "role dpo"); !strings.Contains(got, "You hold the role DPO on incident #"+id) {
		t.Errorf("alice takes the DPO's role: %q", got)
	}
	run(bob, "role rssi")
	if got := run(bob, "role directeur-crise "+aliceName); !strings.Contains(got, aliceName+" holds the role Crisis director") {
		t.Errorf("bob gives the director's role: %q", got)
	}
	card := attText(getPost(cardID))
	if want := "Directeur de crise " + aliceName + " · RSSI @" + bobUser.Username + " · DPO " + aliceName; !strings.Contains(card, want) {
		t.Errorf("card lacks %q:\n%s", want, card)
	}

	// bob's declaration to the CNIL is proposed, and waits for the DPO.
	run(alice, "repondre personal_data_breach oui")
	run(alice, "repondre high_risk non")
	if got := run(bob, "fait cnil via=portail ref=CNIL-2026-42"); !strings.Contains(got, "recorded as proposed") || !strings.Contains(got, "to be confirmed by "+aliceName+" (DPO)") {
		t.Errorf("bob's fait cnil: %q", got)
	}
	if st := current(t, v, id).Steps["cnil"]; st.Status == incident.StepDone || st.Proposed == nil || st.Proposed.Ref != "CNIL-2026-42" {
		t.Fatalf("cnil after bob's declaration: %+v", st)
	}
	list := getPost(listID)
	if text := attText(list); !strings.Contains(text, "⏳ Proposé par @"+bobUser.Username) {
		t.Errorf("checklist lacks the proposal:\n%s", text)
	}
	// A step due without delay offers no snooze, which could only be
	// refused, and says why; the CNIL step, days from its deadline, does.
	if att, _ := button(list, "🔴 1 · cert-sante", "Fait"); att == nil {
		t.Fatalf("no CERT Santé step on the checklist:\n%s", attText(list))
	} else if _, snooze := button(list, "🔴 1 · cert-sante", "Rappeler dans 1 h"); snooze != "" || !strings.Contains(att.Text, "Pas de report possible") {
		t.Errorf("the CERT Santé step offers a snooze, or does not say why not:\n%s", att.Text)
	}
	if _, snooze := button(list, "⬜ 12 · cnil", "Rappeler dans 1 h"); snooze == "" {
		t.Errorf("the CNIL step offers no snooze:\n%s", attText(list))
	}

	// The CNIL reminder (T0 + 24 h) calls alice, the DPO, by her name, and
	// not the channel. A sweep posts one message per incident with every
	// nag due, and its callees line is shared: had cert-sante and ars
	// (due "sans délai", escalated after 1 h) stayed pending, their
	// escalation would call @channel in the same post, and no block of the
	// CNIL step could tell who the CNIL reminder calls. Their owners
	// declare them first, so that at T0 + 24 h nothing escalates and the
	// callees line is the CNIL reminder's (with the other steps and
	// questions due, none of which calls the channel without escalating).
	if got := run(bob, "fait cert-sante via=portail ref=CS-2026-1"); strings.Contains(got, "proposed") {
		t.Errorf("bob, the RSSI, declares cert-sante: %q", got)
	}
	if got := run(alice, "fait ars via=email"); strings.Contains(got, "proposed") {
		t.Errorf("alice, the crisis director, declares ars: %q", got)
	}
	for _, step := range []string{"cert-sante", "ars"} {
		if st := current(t, v, id).Steps[step]; st == nil || st.Status != incident.StepDone {
			t.Fatalf("%s after its owner's declaration: %+v", step, st)
		}
	}
	since := model.GetMillis()
	if st, err := v.bot.Sweep(ctx, time.Now().Add(24*time.Hour+time.Minute)); err != nil || st.Sent == 0 {
		t.Fatalf("sweep: %+v %v", st, err)
	}
	var reminder string
	if !botPosted(t, alice, e, since, func(p *model.Post) bool {
		reminder = attText(p)
		return strings.Contains(reminder, "Notifier la violation à la CNIL") && strings.Contains(reminder, aliceName+" (DPO)")
	}) {
		t.Error("no reminder calling the DPO by name")
	} else if strings.Contains(reminder, "@channel") || strings.Contains(reminder, "Escalade") {
		t.Errorf("the CNIL reminder calls the channel or escalates:\n%s", reminder)
	}

	// bob cannot confirm; alice's click on Confirmer does.
	if got := run(bob, "confirmer cnil"); !strings.Contains(got, "Only the holder of the role DPO or their deputy ("+aliceName+")") {
		t.Errorf("bob confirms: %q", got)
	}
	_, confirm := button(getPost(listID), "", "Confirmer")
	if confirm == "" {
		t.Fatalf("no Confirmer button on the checklist:\n%s", attText(getPost(listID)))
	}
	if code := statusOf(alice.DoPostAction(ctx, listID, confirm)); code != http.StatusOK {
		t.Fatalf("alice clicks Confirmer: %d", code)
	}
	st := current(t, v, id).Steps["cnil"]
	if st.Status != incident.StepDone || st.Proof.By.ID != e.OutsiderID || st.By.ID != e.UserID {
		t.Fatalf("cnil after alice's confirmation: %+v proof %+v", st, st.Proof)
	}

	// A role released leaves the card; the main courante has every change.
	run(alice, "role directeur-crise -")
	if card := attText(getPost(cardID)); strings.Contains(card, "Directeur de crise "+aliceName) {
		t.Errorf("released role still on the card:\n%s", card)
	}
	all, err := v.store.Entries(ctx, id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, en := range all {
		if en.Kind == incident.KindRole || en.Kind == incident.KindProposed || (en.Kind == incident.KindDone && en.Data["proposed_by"] != "") {
			kinds = append(kinds, en.Kind)
		}
	}
	if strings.Join(kinds, " ") != "role role role proposed done role" {
		t.Errorf("entries of the roles and the confirmation: %v", kinds)
	}
	if err := incident.CheckRecord(current(t, v, id), all); err != nil {
		t.Error(err)
	}
}

// cellChannel is a channel of the test's own where alice, bob and the
// bot sit (bob, outside the seeded channel, is added to the team), deleted
// at the end; e's channel becomes it, which botPosted reads.
func cellChannel(t *testing.T, e *mmEnv) *model.Channel {
	t.Helper()
	ctx := context.Background()
	admin := e.client(e.AdminToken)
	ch, _, err := admin.CreateChannel(ctx, &model.Channel{TeamId: e.TeamID, Type: model.ChannelTypeOpen,
		Name: "cellule-" + strings.ToLower(rand.Text()[:8]), DisplayName: "Cellule de crise"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.DeleteChannel(context.Background(), ch.Id) })
	if _, _, err := admin.AddTeamMember(ctx, e.TeamID, e.OutsiderID); err != nil {
		t.Fatalf("bob in the team: %v", err)
	}
	for _, u := range []string{e.UserID, e.OutsiderID, e.BotUserID} {
		if _, _, err := admin.AddChannelMember(ctx, ch.Id, u); err != nil {
			t.Fatalf("add %s to the channel: %v", u, err)
		}
	}
	e.ChannelID = ch.Id
	return ch
}

// TestRealServerHandoverMessagesExercise: on a real Mattermost server, a
// hand-over after a night's actions is posted in the channel and lists
// them, a second lists only what came after; a message for the ARS is
// built from the situation point and logged with its hash; an exercise
// opened in another channel is numbered apart and marked on its card and
// its hand-over.
func TestRealServerHandoverMessagesExercise(t *testing.T) {
	e := realServer(t)
	ctx := context.Background()
	ch := cellChannel(t, &e)
	v, trigger, _ := startWithCommand(t, e)
	defer func() { v.stop() }()
	alice := e.client(e.UserToken)
	run := func(channel, text string) string {
		t.Helper()
		resp, _, err := alice.ExecuteCommand(ctx, channel, "/"+trigger+" "+text)
		if err != nil {
			t.Fatalf("/%s %s: %v", trigger, text, err)
		}
		return resp.Text
	}
	// runAll is the whole answer: its text, and its message (the
	// attachments) with the body of a message for the authorities.
	runAll := func(channel, text string) string {
		t.Helper()
		resp, _, err := alice.ExecuteCommand(ctx, channel, "/"+trigger+" "+text)
		if err != nil {
			t.Fatalf("/%s %s: %v", trigger, text, err)
		}
		return respText(resp)
	}
	run(ch.Id, "ouvrir Rançongiciel sur le PACS")
	for _, c := range []string{"role rssi", "repondre malicious oui", "fait cert-sante via=portail ref=CS-2026-7",
		`point conditions="PACS arrêté" actions="bascule papier" besoins="renfort DSI"`} {
		run(ch.Id, c)
	}
	since := model.GetMillis()
	if got := run(ch.Id, "releve"); !strings.Contains(got, "SHA-256") {
		t.Errorf("hand-over answer: %q", got)
	}
	v.mm.Flush(ctx)
	// handover returns the text of the hand-over posted since then with
	// every want, "" when none came.
	handover := func(since int64, want ...string) string {
		t.Helper()
		var text string
		for range 50 { // the outbox posts it in the background
			if botPosted(t, alice, e, since, func(p *model.Post) bool {
				text = attText(p)
				for _, w := range want {
					if !strings.Contains(text, w) {
						return false
					}
				}
				return true
			}) {
				return text
			}
			time.Sleep(100 * time.Millisecond) // polling the server for the outbox's post, not asserting on time
		}
		t.Errorf("no hand-over posted with %q", want)
		return ""
	}
	handover(since, "Relève", "Déclarer l'incident au CERT Santé : portail, réf. CS-2026-7", "Rôles", "PACS arrêté")
	run(ch.Id, "note appel de l'ARS reçu")
	since = model.GetMillis()
	run(ch.Id, "releve")
	// The second lists only what came after the first: the note, not the
	// declaration to CERT Santé the first listed.
	if second := handover(since, "Relève", "appel de l'ARS reçu"); strings.Contains(second, "CS-2026-7") {
		t.Errorf("the second hand-over lists the first's declaration:\n%s", second)
	}
	if got := runAll(ch.Id, "message ars"); !strings.Contains(got, "Message for the ARS (situation report)") || !strings.Contains(got, "fingerprint") ||
		!strings.Contains(got, "PACS arrêté") {
		t.Errorf("message for the ARS, built from the situation point:\n%s", got)
	}
	open, _ := v.store.Open(ctx, ch.Id)
	all, err := v.store.Entries(ctx, open[0].ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, en := range all {
		if en.Kind == incident.KindHandover || en.Kind == incident.KindMessage {
			kinds = append(kinds, en.Kind+":"+en.Data["audience"])
		}
	}
	if strings.Join(kinds, " ") != "handover: handover: message:ars" {
		t.Errorf("hand-over and message entries: %v", kinds)
	}

	// An exercise, in a channel of its own: numbered apart, marked.
	ex := cellChannel(t, &e)
	run(ex.Id, "ouvrir Exercice rançongiciel exercice")
	exOpen, err := v.store.Open(ctx, ex.Id)
	if err != nil || len(exOpen) != 1 || !strings.HasPrefix(exOpen[0].ID, "EX-") || !exOpen[0].Exercise {
		t.Fatalf("exercise: %+v %v", exOpen, err)
	}
	v.mm.Flush(ctx)
	p, _, err := alice.GetPost(ctx, exOpen[0].Messages[bot.RoleCard], "")
	if err != nil {
		t.Fatal(err)
	}
	if text := attText(p); !strings.Contains(text, "EXERCICE") || !strings.Contains(text, exOpen[0].ID) {
		t.Errorf("exercise card:\n%s", text)
	}
	// Its hand-over, posted in the exercise's channel (e's channel now),
	// is marked too.
	since = model.GetMillis()
	run(ex.Id, "releve")
	v.mm.Flush(ctx)
	if text := handover(since, "Relève"); text != "" && !strings.Contains(text, "EXERCICE") {
		t.Errorf("exercise hand-over not marked EXERCICE:\n%s", text)
	}
}

// respText is a slash command's whole answer, as attText is a post's: its
// text and its attachments, and the answers it was split into.
func respText(resp *model.CommandResponse) string {
	var b strings.Builder
	b.WriteString(resp.Text + "\n")
	for _, at := range resp.Attachments {
		b.WriteString(at.Title + "\n" + at.Text + "\n")
		for _, f := range at.Fields {
			fmt.Fprintf(&b, "%s: %v\n", f.Title, f.Value)
		}
	}
	for _, x := range resp.ExtraResponses {
		b.WriteString(respText(x))
	}
	return b.String()
}

func current(t *testing.T, v *vigie, id string) *incident.Incident {
	t.Helper()
	inc, err := v.store.Incident(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}
