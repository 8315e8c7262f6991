package bot_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// handoverNight is the night shift of the scenario: roles given and
// taken, the chain's questions answered (one "je ne sais pas encore",
// later revised), CERT Santé declared, the ROR set not applicable, a note
// and a situation point.
func handoverNight(t *testing.T, cfg bot.Config) *harness {
	t.Helper()
	cfg.Chain = "nouvelle-aquitaine/es-esms"
	h := newHarness(t, cfg)
	for _, s := range []struct {
		at  time.Duration
		cmd string
	}{
		{0, "ouvrir Rançongiciel sur le PACS"},
		{2 * time.Minute, "role directeur-crise @amartin"},
		{3 * time.Minute, "role dpo @jdupont"},
		{4 * time.Minute, "role rssi"},
		{5 * time.Minute, "repondre capacity_impact non"},
		{6 * time.Minute, "repondre malicious oui"},
		{7 * time.Minute, "repondre personal_data_breach inconnu"},
		{15 * time.Minute, "fait cert-sante via=portail ref=CS-1234 at=02:25"},
		{20 * time.Minute, "note PACS isolé du réseau, sauvegardes hors ligne intactes"},
		{40 * time.Minute, `point conditions="PACS arrêté, imagerie en mode dégradé" actions="bascule papier aux urgences" besoins="renfort DSI"`},
		{3 * time.Hour, "repondre personal_data_breach oui"},
	} {
		h.now = t0.Add(s.at)
		h.ok(s.cmd)
	}
	return h
}

// lastPost is the last message posted (not edited) in the channel.
func lastPost(t *testing.T, h *harness) bot.Message {
	t.Helper()
	if len(h.chat.Posts) == 0 {
		t.Fatal("nothing posted")
	}
	return h.chat.Posts[len(h.chat.Posts)-1].Message
}

// handoverEntry is the last entry of the main courante, checked to be a
// hand-over covering entries from to to.
func handoverEntry(t *testing.T, h *harness, from, to uint64) incident.Entry {
	t.Helper()
	es := h.entries("2026-0001")
	e := es[len(es)-1]
	if e.Kind != incident.KindHandover {
		t.Fatalf("last entry %+v, want a hand-over", e)
	}
	if e.Data["from"] != strconv.FormatUint(from, 10) || e.Data["to"] != strconv.FormatUint(to, 10) {
		t.Errorf("hand-over covers %s to %s, want %d to %d", e.Data["from"], e.Data["to"], from, to)
	}
	if e.Seq != to+1 {
		t.Errorf("hand-over is entry %d, want %d", e.Seq, to+1)
	}
	return e
}

// TestHandover: the hand-over after a night of actions lists exactly what
// changed since the opening, what is pending with its deadline, the open
// questions, the role holders and the last situation point; it is posted
// in the channel and recorded with the hash of its text. A second
// hand-over lists only what changed since the first.
func TestHandover(t *testing.T) {
	h := handoverNight(t, bot.Config{})
	h.now = t0.Add(5*time.Hour + 50*time.Minute) // 08:00 in Paris
	r := h.ok("releve")
	if !strings.Contains(r.Text, "Relève de l'incident #2026-0001 consignée (entrée 12, SHA-256 ") {
		t.Errorf("reply %q", r.Text)
	}
	post := render(lastPost(t, h))
	golden(t, "handover-1.golden", post)
	for _, want := range []string{"CS-1234", "Directeur de crise @amartin", "DPO @jdupont", "RSSI @rssi",
		"PACS isolé du réseau", "bascule papier aux urgences", "Notifier la violation à la CNIL — avant le 26/11/2026 02:10, dans 2 j 18 h",
		"🔴 2. Alerter l'ARS Nouvelle-Aquitaine — sans délai", "Q6 · high_risk"} {
		if !strings.Contains(post, want) {
			t.Errorf("hand-over lacks %q", want)
		}
	}
	if n := strings.Count(post, "\n"); n > 35 {
		t.Errorf("hand-over is %d lines long, want it short", n)
	}
	e := handoverEntry(t, h, 1, 11)
	if e.Data["text"] != postText(lastPost(t, h)) {
		t.Errorf("recorded text differs from the post:\n%s", e.Data["text"])
	}
	if sum := sha256.Sum256([]byte(e.Data["text"])); e.Data["sha256"] != hex.EncodeToString(sum[:]) {
		t.Errorf("sha256 %s is not the text's", e.Data["sha256"])
	}
	if inc := h.incident("2026-0001"); inc.HandedOver != 11 || inc.HandoverOwed != 0 {
		t.Errorf("handed over %d, owed %d; want 11 and 0", inc.HandedOver, inc.HandoverOwed)
	}

	// The day shift: the ARS told, the DPO replaced, a note.
	h.user = incident.User{ID: "u2", Name: "jour"}
	h.now = t0.Add(6 * time.Hour)
	h.ok("fait ars via=email ref=ARS-77")
	h.ok("role dpo @cmoreau")
	h.now = t0.Add(7 * time.Hour)
	h.ok("note Prestataire sur site")
	h.now = t0.Add(9 * time.Hour)
	h.ok("handover")
	post = render(lastPost(t, h))
	golden(t, "handover-2.golden", post)
	for _, gone := range []string{"CS-1234", "PACS isolé du réseau", "Rôle DPO : @jdupont —", "Alerter l'ARS Nouvelle-Aquitaine — sans délai"} {
		if strings.Contains(post, gone) {
			t.Errorf("second hand-over repeats %q, done before the first", gone)
		}
	}
	for _, want := range []string{"ARS-77", "DPO @cmoreau", "Prestataire sur site"} {
		if !strings.Contains(post, want) {
			t.Errorf("second hand-over lacks %q", want)
		}
	}
	handoverEntry(t, h, 12, 15)

	// Nothing since: said in one line.
	h.now = t0.Add(9*time.Hour + 5*time.Minute)
	h.ok("relève")
	if post = render(lastPost(t, h)); !strings.Contains(post, "Rien de nouveau depuis la relève du 23/11/2026 11:10") {
		t.Errorf("empty hand-over:\n%s", post)
	}
	if err := incident.CheckRecord(h.incident("2026-0001"), h.entries("2026-0001")); err != nil {
		t.Error(err)
	}

	// The export shows each hand-over as one line: the entries it
	// covers, what it left to do, its hash; not its text again.
	h.ok("exporter md")
	var md string
	for _, data := range h.chat.Uploads {
		md = string(data)
	}
	if !strings.Contains(md, "Relève des entrées 12 à 15 — actions : 3 · étapes à faire : 4 · questions ouvertes : 3 (SHA-256 ") {
		t.Errorf("export lacks the second hand-over's line:\n%s", md)
	}
	if strings.Contains(md, "Dernier point de situation") {
		t.Error("export repeats the hand-over's text")
	}
}

// postText is a posted hand-over as recorded: its title, then its text.
func postText(m bot.Message) string {
	parts := []string{m.Title}
	for _, b := range m.Blocks {
		parts = append(parts, b.Text)
	}
	return strings.Join(parts, "\n")
}

// TestHandoverEnglish: a deployment in English hands over in English.
func TestHandoverEnglish(t *testing.T) {
	h := handoverNight(t, bot.Config{Lang: "en"})
	h.now = t0.Add(5*time.Hour + 50*time.Minute)
	if r := h.ok("handover"); !strings.Contains(r.Text, "Hand-over of incident #2026-0001 recorded (entry 12, SHA-256 ") {
		t.Errorf("reply %q", r.Text)
	}
	golden(t, "handover-en.golden", render(lastPost(t, h)))
}

// TestHandoverOwed: a hand-over the platform refuses stays owed to the
// channel, and is posted once, by the next delivery.
func TestHandoverOwed(t *testing.T) {
	h := handoverNight(t, bot.Config{})
	h.now = t0.Add(6 * time.Hour)
	posts := len(h.chat.Posts)
	h.chat.SetFail(errors.Join(bot.ErrTemporary, errors.New("502")))
	h.ok("releve")
	if len(h.chat.Posts) != posts {
		t.Fatal("posted while the platform fails")
	}
	if inc := h.incident("2026-0001"); inc.HandoverOwed != 12 {
		t.Fatalf("hand-over owed %d, want 12", inc.HandoverOwed)
	}
	h.chat.SetFail(nil)
	if err := h.bot.Flush(ctxb()); err != nil {
		t.Fatal(err)
	}
	if len(h.chat.Posts) != posts+1 || !strings.HasPrefix(lastPost(t, h).Title, "🔄 Relève") {
		t.Fatalf("hand-over not posted: %d posts", len(h.chat.Posts)-posts)
	}
	if err := h.bot.Flush(ctxb()); err != nil || len(h.chat.Posts) != posts+1 {
		t.Fatalf("posted twice (%v)", err)
	}
	if inc := h.incident("2026-0001"); inc.HandoverOwed != 0 {
		t.Errorf("still owed %d", inc.HandoverOwed)
	}
}

// TestHandoverRefused: words after the verb, or a closed incident, are
// refused with what is accepted, and change nothing.
func TestHandoverRefused(t *testing.T) {
	h := handoverNight(t, bot.Config{})
	before := h.snapshot("2026-0001")
	if r := h.do("releve maintenant"); !r.Error || !strings.Contains(r.Text, "Usage : releve") || !strings.Contains(r.Text, "« maintenant »") {
		t.Errorf("releve maintenant: %+v", r)
	}
	if h.snapshot("2026-0001") != before {
		t.Fatal("a refused hand-over changed the incident")
	}
	h.ok("clore confirmer")
	before = h.snapshot("2026-0001")
	if r := h.do("#2026-0001 releve"); !r.Error || !strings.Contains(r.Text, "est clos") {
		t.Errorf("releve on a closed incident: %+v", r)
	}
	if h.snapshot("2026-0001") != before {
		t.Fatal("a refused hand-over changed the incident")
	}
}
