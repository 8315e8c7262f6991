package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds the declaration drafts: "/incident brouillon cnil|
// cert-sante|anssi" writes the text to paste into the regulator's form,
// from what the incident already knows (T0, the answers, the declarations
// made, the organisation) and from the facts the crisis cell gives. What is
// missing is asked: a dialog where the platform has them, else a message
// naming the key=value options to type. Facts are kept on the incident
// (Incident.Facts) so that the next draft reuses them, and each draft is
// logged in the main courante with the SHA-256 of its text.
//
// What each draft holds, and why (domain.md §1):
//   - CERT Santé / ARS: CSP art. D1111-16-3 II, identification of the
//     structure and the declarant; description (date of discovery, scope,
//     systems and data affected, state of the response); impact on data,
//     people, systems and the structure; causes if known.
//   - CNIL: GDPR art. 33(3) a) to d), nature of the breach with the
//     categories and approximate numbers of people and records, the DPO or
//     contact, likely consequences, measures taken or proposed; and, past
//     72 hours, the reasons for the delay (art. 33(1)). The CNIL's form
//     also asks the SIREN (S13).
//   - ANSSI (OSE): loi 2018-133 art. 7 and décret 2018-384 art. 11, the
//     operator, the essential service affected, the incident, its causes
//     and consequences, with the impact criteria of directive (EU)
//     2016/1148 art. 14(4): users affected, duration, geographical spread,
//     and effects in other member states. The ANSSI form itself
//     (club.ssi.gouv.fr) is not reproduced: these are its subjects as the
//     texts give them [PROP].

// fact is one piece of information a declaration needs.
type fact struct {
	key     string   // canonical (French) key: typed, stored, dialog field name
	aliases []string // English and accented spellings, accepted when typed
	long    bool     // a textarea in dialogs
}

// facts are every fact a draft may use, in the order they are asked.
var facts = []fact{
	{key: "structure", aliases: []string{"organisation", "organization"}},
	{key: "finess"},
	{key: "siren"},
	{key: "declarant", aliases: []string{"déclarant", "reporter"}},
	{key: "contact"},
	{key: "dpo"},
	{key: "description", long: true},
	{key: "perimetre", aliases: []string{"périmètre", "scope"}, long: true},
	{key: "systemes", aliases: []string{"systèmes", "systems"}, long: true},
	{key: "donnees", aliases: []string{"données", "data"}, long: true},
	{key: "service", long: true},
	{key: "nature", long: true},
	{key: "personnes", aliases: []string{"people"}},
	{key: "enregistrements", aliases: []string{"records"}},
	{key: "impact_donnees", aliases: []string{"impact_données", "impact_data"}, long: true},
	{key: "impact_personnes", aliases: []string{"impact_people"}, long: true},
	{key: "impact_systemes", aliases: []string{"impact_systèmes", "impact_systems"}, long: true},
	{key: "impact_structure", aliases: []string{"impact_operations"}, long: true},
	{key: "utilisateurs", aliases: []string{"users"}},
	{key: "duree", aliases: []string{"durée", "duration"}},
	{key: "portee", aliases: []string{"portée", "spread"}},
	{key: "transfrontalier", aliases: []string{"cross_border"}},
	{key: "consequences", aliases: []string{"conséquences"}, long: true},
	{key: "causes", long: true},
	{key: "mesures", aliases: []string{"measures"}, long: true},
	{key: "retard", aliases: []string{"delay_reasons"}, long: true},
}

// factKey maps every accepted spelling of a fact to its key.
var factKey = func() map[string]string {
	m := map[string]string{}
	for _, f := range facts {
		m[f.key] = f.key
		for _, a := range f.aliases {
			m[a] = f.key
		}
	}
	return m
}()

func factOf(key string) fact {
	for _, f := range facts {
		if f.key == key {
			return f
		}
	}
	return fact{key: key}
}

// draftOptions are the key=value words "brouillon" understands.
var draftOptions = func() []string {
	out := []string{"incomplet", "partial"}
	for k := range factKey {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}()

// draftTarget is a regulator a draft is written for.
type draftTarget struct {
	id       string   // cert-sante, cnil, anssi
	steps    []string // the chain steps it serves
	contact  string   // the contact whose portal or form receives it
	required []string // facts without which the draft is incomplete
	optional []string // facts shown when given ("causes if known")
	sections []draftSection
}

// draftSection is a part of a draft: a heading and the facts under it;
// "@…" items are computed lines (T0, deadline, answers, declarations).
type draftSection struct {
	title string // catalogue key
	items []string
}

var draftTargets = []*draftTarget{
	{
		id: "cert-sante", steps: []string{"cert-sante", "ars"}, contact: "cert-sante",
		required: []string{"structure", "declarant", "contact", "description", "perimetre", "systemes", "donnees",
			"impact_donnees", "impact_personnes", "impact_systemes", "impact_structure", "mesures"},
		optional: []string{"finess", "siren", "causes"},
		sections: []draftSection{
			{"draft.s.identification", []string{"structure", "finess", "siren", "declarant", "contact"}},
			{"draft.s.description", []string{"@t0", "description", "perimetre", "systemes", "donnees", "mesures"}},
			{"draft.s.impacts", []string{"impact_donnees", "impact_personnes", "impact_systemes", "impact_structure"}},
			{"draft.s.causes", []string{"causes"}},
			{"draft.s.answers", []string{"@answers"}},
			{"draft.s.declarations", []string{"@declarations"}},
		},
	},
	{
		id: "cnil", steps: []string{"cnil"}, contact: "cnil",
		required: []string{"structure", "siren", "declarant", "contact", "dpo", "nature", "donnees", "personnes",
			"enregistrements", "consequences", "mesures"},
		optional: []string{"finess", "causes"},
		sections: []draftSection{
			{"draft.s.controller", []string{"structure", "siren", "finess", "declarant", "contact", "dpo"}},
			{"draft.s.timing", []string{"@t0", "@deadline72", "@late"}},
			{"draft.s.nature", []string{"nature", "donnees", "personnes", "enregistrements", "causes"}},
			{"draft.s.consequences", []string{"consequences"}},
			{"draft.s.measures", []string{"mesures"}},
			{"draft.s.answers", []string{"@answers"}},
			{"draft.s.declarations", []string{"@declarations"}},
		},
	},
	{
		id: "anssi", steps: []string{"anssi"}, contact: "anssi",
		required: []string{"structure", "declarant", "contact", "service", "description", "systemes",
			"utilisateurs", "duree", "portee", "mesures"},
		optional: []string{"siren", "finess", "transfrontalier", "causes"},
		sections: []draftSection{
			{"draft.s.operator", []string{"structure", "siren", "finess", "declarant", "contact"}},
			{"draft.s.incident", []string{"@t0", "@status", "service", "description", "systemes"}},
			{"draft.s.service_impact", []string{"utilisateurs", "duree", "portee", "transfrontalier"}},
			{"draft.s.causes_measures", []string{"causes", "mesures"}},
			{"draft.s.answers", []string{"@answers"}},
			{"draft.s.declarations", []string{"@declarations"}},
		},
	},
}

// draftTargetOf reads the regulator a person typed.
func draftTargetOf(s string) *draftTarget {
	id := map[string]string{
		"cert-sante": "cert-sante", "certsante": "cert-sante", "cert-santé": "cert-sante", "cert": "cert-sante",
		"ars": "cert-sante", "gip": "cert-sante", "ans": "cert-sante",
		"cnil": "cnil", "rgpd": "cnil", "gdpr": "cnil",
		"anssi": "anssi", "ose": "anssi", "cert-fr": "anssi",
	}[strings.ToLower(s)]
	for _, t := range draftTargets {
		if t.id == id {
			return t
		}
	}
	return nil
}

// maxDialogFields bounds the fields of one dialog; what is still missing
// after it is asked by the next.
const maxDialogFields = 5

// cnilDelay is the GDPR art. 33(1) delay after awareness.
const cnilDelay = 72 * time.Hour

// draft writes a declaration draft, or asks what it lacks.
func (b *Bot) draft(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) == 0 {
		return Reply{}, uerr(EInvalid, r.lang, "err.draft_usage")
	}
	tg := draftTargetOf(r.cmd.args[0])
	if tg == nil {
		return Reply{}, uerr(EInvalid, r.lang, "err.draft_target", r.cmd.args[0])
	}
	if extra := r.cmd.rest(1); extra != "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.draft_extra", extra)
	}
	given := map[string]string{}
	for k, v := range r.cmd.opts {
		key, ok := factKey[strings.ToLower(k)]
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if len([]rune(v)) > maxNote {
			return Reply{}, uerr(EInvalid, r.lang, "err.fact_long", key, maxNote)
		}
		if _, dup := given[key]; dup { // perimetre= and scope=
			return Reply{}, uerr(EInvalid, r.lang, "err.dup_option", key)
		}
		given[key] = v
	}
	partial := yes(r.cmd.opts["incomplet"]) || yes(r.cmd.opts["partial"])

	target, err := b.target(ctx, r)
	if err != nil {
		return Reply{}, err
	}
	if target.Status == incident.StatusClosed {
		return Reply{}, uerr(EConflict, r.lang, "err.closed", target.ID)
	}
	missing := b.missingFacts(tg, target, given, r.now)
	if len(missing) > 0 && !partial {
		// Keep what was given, then ask the rest.
		var stored []string
		if len(given) > 0 {
			inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
				e, changed := b.storeFacts(r, inc, given)
				stored = changed
				if e == nil {
					return nil, nil
				}
				return []incident.Entry{*e}, nil
			})
			if err != nil {
				return Reply{}, err
			}
			target = inc
			missing = b.missingFacts(tg, inc, nil, r.now)
		}
		if r.ev.Dialogs {
			return Reply{Dialog: b.factsDialog(tg, target, missing, r)}, nil
		}
		return b.askFacts(tg, target, missing, stored, r), nil
	}
	return b.writeDraft(ctx, r, tg, given)
}

// writeDraft stores the facts given, renders the draft and logs it, in one
// transaction.
func (b *Bot) writeDraft(ctx context.Context, r *request, tg *draftTarget, given map[string]string) (Reply, error) {
	var (
		text, hash string
		missing    []string
		required   bool
	)
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		var entries []incident.Entry
		if e, _ := b.storeFacts(r, inc, given); e != nil {
			entries = append(entries, *e)
		}
		missing = b.missingFacts(tg, inc, nil, r.now)
		text = b.renderDraft(tg, inc, c, r.now, b.cfg.Lang)
		sum := sha256.Sum256([]byte(text))
		hash = hex.EncodeToString(sum[:])
		required = c == nil || slices.ContainsFunc(tg.steps, func(s string) bool { return stepRequired(c, inc, s) })
		data := map[string]string{"target": tg.id, "sha256": hash, "facts": strings.Join(b.factsUsed(tg, inc), ",")}
		if len(missing) > 0 {
			data["missing"] = strings.Join(missing, ",")
		}
		entries = append(entries, r.entry(incident.KindDraft, tr(b.cfg.Lang, "log.draft", tr(b.cfg.Lang, "draft.target."+tg.id), hash[:12]), data))
		return entries, nil
	})
	if err != nil {
		return Reply{}, err
	}
	name := tr(r.lang, "draft.target."+tg.id)
	blocks := []Block{{Text: text}}
	var notes []string
	if len(missing) > 0 {
		notes = append(notes, tr(r.lang, "draft.incomplete", b.missingList(missing, r.lang)))
	}
	if !required {
		notes = append(notes, tr(r.lang, "draft.not_required", name))
	}
	notes = append(notes, tr(r.lang, "draft.logged", hash[:12], inc.Head.Seq))
	if url := b.draftURL(tg, inc); url != "" {
		notes = append(notes, tr(r.lang, "draft.paste_into", url))
	}
	blocks = append(blocks, Block{Text: strings.Join(notes, "\n")})
	return Reply{
		Text:    tr(r.lang, "draft.ok", name, inc.ID, hash[:12]),
		Message: &Message{Title: tr(r.lang, "draft.title", name, inc.ID), Blocks: blocks},
	}, nil
}

// storeFacts records on inc the facts given that differ from what it has,
// and returns the entry that logs them (nil when nothing changed) and
// their keys.
func (b *Bot) storeFacts(r *request, inc *incident.Incident, given map[string]string) (*incident.Entry, []string) {
	var changed []string
	for _, f := range facts {
		if v, ok := given[f.key]; ok && inc.Facts[f.key] != v {
			changed = append(changed, f.key)
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	if inc.Facts == nil {
		inc.Facts = map[string]string{}
	}
	data := map[string]string{}
	parts := make([]string, len(changed))
	for i, k := range changed {
		inc.Facts[k] = given[k]
		data[k] = given[k]
		parts[i] = tr(b.cfg.Lang, "fact."+k) + " : " + given[k]
	}
	e := r.entry(incident.KindFacts, tr(b.cfg.Lang, "log.facts", strings.Join(parts, " ; ")), data)
	return &e, changed
}

// factValue is what the incident knows of key: a fact given, else the
// organisation's configuration.
func (b *Bot) factValue(inc *incident.Incident, key string, given map[string]string) string {
	if v := given[key]; v != "" {
		return v
	}
	if v := inc.Facts[key]; v != "" {
		return v
	}
	o := b.cfg.Organisation
	return map[string]string{"structure": o.Name, "finess": o.FINESS, "siren": o.SIREN, "dpo": o.DPO}[key]
}

// missingFacts lists the required facts of tg the incident lacks, in the
// order they are asked; the reasons for a delay are required past 72 hours.
func (b *Bot) missingFacts(tg *draftTarget, inc *incident.Incident, given map[string]string, now time.Time) []string {
	var out []string
	for _, k := range tg.required {
		if b.factValue(inc, k, given) == "" {
			out = append(out, k)
		}
	}
	if tg.id == "cnil" && cnilLate(inc, now) && b.factValue(inc, "retard", given) == "" {
		out = append(out, "retard")
	}
	return out
}

// cnilLate reports whether the CNIL notification is (or was) made past
// T0 + 72 h: the time it was recorded done, else now.
func cnilLate(inc *incident.Incident, now time.Time) bool {
	at := now
	if st := inc.Steps["cnil"]; st != nil && st.Status == incident.StepDone && st.Proof != nil {
		at = st.Proof.DeclaredAt
	}
	return at.After(inc.T0.Add(cnilDelay))
}

// factsUsed lists the facts of tg the incident has.
func (b *Bot) factsUsed(tg *draftTarget, inc *incident.Incident) []string {
	var out []string
	for _, k := range slices.Concat(tg.required, tg.optional, []string{"retard"}) {
		if b.factValue(inc, k, nil) != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// factsDialog asks the first missing facts in a dialog.
func (b *Bot) factsDialog(tg *draftTarget, inc *incident.Incident, missing []string, r *request) *Dialog {
	if len(missing) > maxDialogFields {
		missing = missing[:maxDialogFields]
	}
	d := &Dialog{
		Title:  tr(r.lang, "draft.dialog_title", tr(r.lang, "draft.short."+tg.id)),
		Submit: tr(r.lang, "draft.dialog_submit"),
		Action: "#" + inc.ID + " brouillon " + tg.id,
	}
	for _, k := range missing {
		f := factOf(k)
		kind := "text"
		if f.long {
			kind = "textarea"
		}
		field := DialogField{Name: k, Label: tr(r.lang, "fact."+k), Kind: kind, Help: tr(r.lang, "fact."+k+".help")}
		switch k {
		case "declarant":
			field.Default = r.ev.User.Name
		case "description":
			field.Default = inc.Title
		}
		d.Fields = append(d.Fields, field)
	}
	return d
}

// askFacts says what is missing and how to give it, with buttons that open
// the dialog (where there are dialogs) or write the draft with blanks.
func (b *Bot) askFacts(tg *draftTarget, inc *incident.Incident, missing, stored []string, r *request) Reply {
	name := tr(r.lang, "draft.target."+tg.id)
	var text strings.Builder
	if len(stored) > 0 {
		text.WriteString(tr(r.lang, "draft.stored", inc.ID, strings.Join(stored, ", ")) + "\n")
	}
	text.WriteString(tr(r.lang, "draft.missing", name, inc.ID, len(missing)) + "\n")
	text.WriteString(b.missingList(missing, r.lang) + "\n")
	example := make([]string, 0, 2)
	for _, k := range missing[:min(2, len(missing))] {
		example = append(example, b.typedKey(k, r.lang)+`="…"`)
	}
	text.WriteString(tr(r.lang, "draft.how", b.cfg.Trigger, inc.ID, tg.id, strings.Join(example, " ")) + "\n")
	text.WriteString(tr(r.lang, "draft.partial_how", b.cfg.Trigger, inc.ID, tg.id))
	msg := text.String()
	return Reply{Text: msg, Message: &Message{Blocks: []Block{{
		Text: msg,
		Buttons: []Button{
			{Label: tr(r.lang, "button.draft_complete"), Action: "#" + inc.ID + " brouillon " + tg.id, Style: StylePrimary},
			{Label: tr(r.lang, "button.draft_partial"), Action: "#" + inc.ID + " brouillon " + tg.id + " incomplet=oui"},
		},
	}}}}
}

// missingList writes one line per missing fact: how to type it and what
// it is.
func (b *Bot) missingList(missing []string, lang Lang) string {
	lines := make([]string, len(missing))
	for i, k := range missing {
		lines[i] = "• " + b.typedKey(k, lang) + "= " + tr(lang, "fact."+k) + " — " + tr(lang, "fact."+k+".help")
	}
	return strings.Join(lines, "\n")
}

// typedKey is the key a person types in their language.
func (b *Bot) typedKey(k string, lang Lang) string {
	if lang == flows.EN {
		for _, a := range factOf(k).aliases {
			if isASCIIWord(a) && a != k {
				return a
			}
		}
	}
	return k
}

func isASCIIWord(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}

// stepRequired reports whether the chain's evaluation of the incident
// requires the step the draft is for (done or not).
func stepRequired(c *flows.Chain, inc *incident.Incident, step string) bool {
	if c == nil || c.Step(step) == nil {
		return false
	}
	plan := flows.Evaluate(c, inc.Inputs())
	for _, p := range plan.Steps {
		if p.Step.ID == step {
			return true
		}
	}
	return false
}

// draftURL is the address of the regulator's portal or form.
func (b *Bot) draftURL(tg *draftTarget, inc *incident.Incident) string {
	region := ""
	if c, err := b.chainOf(inc); err == nil && c != nil {
		region = c.Region
	}
	ct := b.cat.Contact(region, tg.contact)
	if ct == nil {
		return ""
	}
	for _, kind := range []string{"portal", "form", "web"} {
		for _, m := range ct.Means {
			if m.Kind == kind && !m.Fallback {
				return m.Value
			}
		}
	}
	return ""
}

// yes reads a yes/no option: oui, yes, true, 1.
func yes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "oui", "yes", "o", "y", "true", "1":
		return true
	}
	return false
}

// renderDraft writes the draft in lang. It reads only the incident, its
// chain and now, so that it can run inside a store transaction.
func (b *Bot) renderDraft(tg *draftTarget, inc *incident.Incident, c *flows.Chain, now time.Time, lang Lang) string {
	var out strings.Builder
	line := func(s string) { out.WriteString(s + "\n") }
	sep := " : "
	if lang == flows.EN {
		sep = ": "
	}
	line(tr(lang, "draft.heading."+tg.id))
	line(tr(lang, "draft.basis."+tg.id))
	line(tr(lang, "draft.prepared", i18n.When(now, lang), inc.ID, inc.Title))
	if url := b.draftURL(tg, inc); url != "" {
		line(tr(lang, "draft.where", url))
	}
	for _, s := range tg.sections {
		var body []string
		for _, item := range s.items {
			switch item {
			case "@t0":
				body = append(body, tr(lang, "draft.t0")+sep+tr(lang, "draft.paris", i18n.When(inc.T0, lang)))
			case "@status":
				st := tr(lang, "draft.ongoing")
				if inc.Status == incident.StatusClosed {
					st = tr(lang, "draft.closed", i18n.When(inc.ClosedAt, lang))
				}
				body = append(body, tr(lang, "draft.status")+sep+st)
			case "@deadline72":
				body = append(body, tr(lang, "draft.deadline72")+sep+tr(lang, "draft.paris", i18n.When(inc.T0.Add(cnilDelay), lang)))
			case "@late":
				if cnilLate(inc, now) {
					v := b.factValue(inc, "retard", nil)
					if v == "" {
						v = tr(lang, "draft.blank")
					}
					body = append(body, tr(lang, "fact.retard")+sep+v)
				}
			case "@answers":
				body = append(body, b.answerLines(inc, c, lang)...)
			case "@declarations":
				body = append(body, b.declarationLines(inc, c, lang)...)
			default:
				v := b.factValue(inc, item, nil)
				switch {
				case v != "":
				case slices.Contains(tg.required, item):
					v = tr(lang, "draft.blank")
				case item == "causes":
					v = tr(lang, "draft.unknown_yet")
				default:
					continue // an optional fact not given: left out
				}
				body = append(body, tr(lang, "fact."+item)+sep+v)
			}
		}
		if len(body) == 0 {
			continue
		}
		line("")
		line("— " + tr(lang, s.title) + " —")
		for _, l := range body {
			line(l)
		}
	}
	line("")
	line(tr(lang, "draft.footer."+tg.id))
	return strings.TrimRight(out.String(), "\n")
}

// answerLines are the chain's questions answered, in chain order, with
// their current answer.
func (b *Bot) answerLines(inc *incident.Incident, c *flows.Chain, lang Lang) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, q := range c.Questions {
		a, ok := inc.Answer(q.ID)
		if !ok {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s", q.Text.In(lang), i18n.Value(a.Value, lang)))
	}
	return out
}

// declarationLines are the chain's steps done or declared not applicable,
// in chain order, with their proof.
func (b *Bot) declarationLines(inc *incident.Incident, c *flows.Chain, lang Lang) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, s := range c.Steps {
		st := inc.Steps[s.ID]
		if st == nil {
			continue
		}
		switch st.Status {
		case incident.StepDone:
			if st.Proof == nil {
				continue
			}
			out = append(out, "• "+tr(lang, "draft.done_line", s.Title.In(lang), i18n.When(st.Proof.DeclaredAt, lang),
				i18n.Means(st.Proof.Means, lang), i18n.Ref(st.Proof.Ref, lang)))
		case incident.StepNA:
			out = append(out, "• "+tr(lang, "draft.na_line", s.Title.In(lang), st.Reason))
		}
	}
	if len(out) == 0 {
		out = append(out, tr(lang, "draft.none_yet"))
	}
	return out
}
