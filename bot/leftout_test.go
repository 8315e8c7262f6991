package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// The reason a step the answers leave out is shown with, written from
// the GDPR rather than copied from the chain files.
var notHigh = map[flows.Lang]string{
	flows.FR: "risque non élevé — RGPD art. 34.1 ; consignée au registre, art. 33.5 ; la CNIL peut l'exiger, art. 34.4",
	flows.EN: "risk not high — GDPR art. 34(1); recorded in the register, art. 33(5); the CNIL may require it, art. 34(4)",
}

// TestChecklistPersonsStep: on every path of every chart, with high_risk
// yes, no and unknown, the checklist shows "Communiquer aux personnes
// concernées" as a step to do, as not required with the answer and the
// rule, or as waiting for the answer; it never vanishes.
func TestChecklistPersonsStep(t *testing.T) {
	h := newHarness(t, bot.Config{})
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	dpo := incident.User{ID: "u2", Name: "dpo"}
	for _, id := range []string{"nouvelle-aquitaine/ose", "nouvelle-aquitaine/es-esms", "nouvelle-aquitaine/ps-liberal"} {
		c, err := cat.Current(id, t0)
		if err != nil {
			t.Fatal(err)
		}
		persons := c.Step("personnes-concernees")
		hrRef := questionRef(c, "high_risk")
		paths := 0
		walkAnswers(c, map[string]flows.Value{}, func(base map[string]flows.Value) {
			paths++
			for _, hr := range []flows.Value{flows.Yes, flows.No, flows.Unknown} {
				inc := &incident.Incident{ID: "2026-0001", T0: t0, Status: incident.StatusOpen, Chain: c.ID, Version: c.Version,
					Answers: map[string][]incident.AnswerRecord{}}
				for k, v := range base {
					inc.Answers[k] = []incident.AnswerRecord{{Value: v, By: h.user, At: t0.Add(10 * time.Minute)}}
				}
				inc.Answers["high_risk"] = []incident.AnswerRecord{{Value: hr, By: dpo, At: t0.Add(30 * time.Minute)}}
				for _, lang := range []flows.Lang{flows.FR, flows.EN} {
					name := fmt.Sprintf("%s %v high_risk=%s (%s)", id, base, hr, lang)
					no, step, steps := map[flows.Lang]string{flows.FR: "non", flows.EN: "no"}[lang],
						map[flows.Lang]string{flows.FR: "étape", flows.EN: "step"}[lang],
						map[flows.Lang]string{flows.FR: "non requise", flows.EN: "not required"}[lang]
					m := h.bot.Checklist(inc, c, t0.Add(time.Hour), lang)
					stepBlock, pending, leftOut := false, "", ""
					for _, b := range m.Blocks {
						switch {
						case strings.Contains(b.Title, "· personnes-concernees"):
							stepBlock = true
						case b.Title == map[flows.Lang]string{flows.FR: "En attente d'une réponse", flows.EN: "Waiting for an answer"}[lang]:
							pending = b.Text
						case b.Title == map[flows.Lang]string{flows.FR: "Non requises par les réponses", flows.EN: "Not required by the answers"}[lang]:
							leftOut = b.Text
						}
					}
					n := fmt.Sprint(persons.Order)
					switch {
					case base["personal_data_breach"] != flows.Yes:
						want := fmt.Sprintf("%s = %s → %s %s %s", questionRef(c, "personal_data_breach"), no, step, n, steps)
						if stepBlock || !strings.Contains(leftOut, want) {
							t.Errorf("%s: want %q among the steps not required:\n%s", name, want, leftOut)
						}
					case hr == flows.Yes:
						if !stepBlock || strings.Contains(leftOut, "→ "+step+" "+n+" ") {
							t.Errorf("%s: persons step not shown as required (left out: %q)", name, leftOut)
						}
					case hr == flows.No:
						want := fmt.Sprintf("%s = %s → %s %s %s — %s", hrRef, no, step, n, steps, notHigh[lang])
						if stepBlock || !strings.Contains(leftOut, want) {
							t.Errorf("%s: want %q among the steps not required:\n%s", name, want, leftOut)
						}
					case hr == flows.Unknown:
						want := fmt.Sprintf("%s → %s %s", hrRef, step, n)
						if stepBlock || !strings.Contains(pending, want) || strings.Contains(leftOut, "high_risk") {
							t.Errorf("%s: want %q waiting for an answer:\n%s", name, want, pending)
						}
					}
				}
			}
		})
		if paths == 0 {
			t.Errorf("%s: no path walked", id)
		}
	}
}

// TestLeftOutInFull: "statut complet" and "detail N" give the reason, the
// answer with who gave it and when, and how the step would become required.
func TestLeftOutInFull(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel sur le PACS")
	h.now = t0.Add(40 * time.Minute)
	h.ok("repondre personal_data_breach oui")
	h.ok("repondre high_risk non")
	r := h.ok("statut complet")
	text := messageText(*r.Message)
	for _, want := range []string{
		"Non requises par les réponses",
		"• 14 · personnes-concernees — Communiquer aux personnes concernées — non requise : " + notHigh[flows.FR] + " (Q6 high_risk = non, @rssi, 23/11/2026 02:50)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("statut complet lacks %q:\n%s", want, text)
		}
	}
	r = h.ok("detail 14")
	text = messageText(*r.Message)
	for _, want := range []string{
		"➖ 14 · personnes-concernees — Communiquer aux personnes concernées",
		"Destinataire : Personnes concernées",
		"➖ Non requise : " + notHigh[flows.FR],
		"Réponse : Q6 high_risk = non (@rssi, 23/11/2026 02:50).",
		"Requise seulement si high_risk=oui et personal_data_breach=oui : une réponse révisée la rend requise.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("detail 14 lacks %q:\n%s", want, text)
		}
	}
	if r := h.do("fait 14 via=courrier"); !r.Error || !strings.Contains(r.Text, notHigh[flows.FR]) {
		t.Errorf("fait on a left-out step: %+v, want a refusal giving the reason", r)
	}
	// A revised answer (the CNIL asks for it, art. 34.4) makes it required.
	h.ok("repondre high_risk oui")
	r = h.ok("detail 14")
	if text := messageText(*r.Message); strings.Contains(text, "Non requise") || !strings.Contains(text, "Pourquoi") {
		t.Errorf("after high_risk=oui, detail 14 still says not required:\n%s", text)
	}
}

// questionRef names a question as screens do: "Q6 high_risk".
func questionRef(c *flows.Chain, key string) string {
	for i, q := range c.Questions {
		if q.ID == key {
			return fmt.Sprintf("Q%d %s", i+1, key)
		}
	}
	return key
}

// walkAnswers calls leaf with every complete set of yes/no answers to the
// questions the chain asks, high_risk left out (the caller varies it).
func walkAnswers(c *flows.Chain, a map[string]flows.Value, leaf func(map[string]flows.Value)) {
	in := flows.Input{T0: t0, Answers: map[string]flows.Answer{}}
	for k, v := range a {
		in.Answers[k] = flows.Answer{Value: v, At: t0}
	}
	for _, q := range flows.Evaluate(c, in).Questions {
		if q.ID == "high_risk" {
			continue
		}
		for _, v := range []flows.Value{flows.Yes, flows.No} {
			next := map[string]flows.Value{q.ID: v}
			for k, old := range a {
				next[k] = old
			}
			walkAnswers(c, next, leaf)
		}
		return
	}
	leaf(a)
}

// messageText is every title, field and text of a message, one a line.
func messageText(m bot.Message) string {
	var b strings.Builder
	b.WriteString(m.Title + "\n")
	for _, blk := range m.Blocks {
		b.WriteString(blk.Title + "\n")
		for _, f := range blk.Fields {
			b.WriteString(f.Label + ": " + f.Value + "\n")
		}
		b.WriteString(blk.Text + "\n")
		if blk.Detail != "" {
			b.WriteString(blk.Detail + "\n")
		}
	}
	return b.String()
}
