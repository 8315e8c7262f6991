package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds what the Markdown and PDF reports show beside the
// entries, in the same words: the structure, the chain, the closing
// report and the obligations, computed from the incident as its entries
// tell it (Replay), and the entries' data under human labels.

// view is what a report people read shows of an export beside its
// entries.
type view struct {
	rec   *Record
	chain *flows.Chain // nil: no chain chosen, or one this Vigie lacks
	// chainNote says why there is no chain; empty otherwise.
	chainNote string
	// notInForce warns that the incident's T0 comes before its chain's
	// first version, in the card's words (i18n.NotInForce): the reports
	// open with it, since the regulator reading them must know the
	// obligations were computed from a text not yet in force at T0.
	notInForce string
	closing    *Closing
	org        incident.Organisation
	// exercise says the export is an exercise's, as its header or its
	// opening entry says: either one marks every page.
	exercise bool
}

// view replays the entries (one pass) and reads the incident's chain.
func (d *exportDoc) view() (*view, error) {
	rec, err := d.replay(d.features)
	if err != nil {
		return nil, err
	}
	v := &view{rec: rec, exercise: d.Incident.Exercise || rec.Incident.Exercise}
	inc, lang := rec.Incident, d.lang
	switch {
	case inc.Chain == "":
		v.chainNote = tr(lang, "mc.no_chain")
	case d.cat == nil:
		v.chainNote = tr(lang, "mc.chain_unread")
	default:
		c, err := d.cat.Version(inc.Chain, inc.Version)
		if err != nil {
			v.chainNote = tr(lang, "mc.chain_unknown")
		} else {
			v.chain = c
		}
	}
	v.notInForce = i18n.NotInForce(v.chain, inc.T0, lang)
	v.closing = rec.Closing(v.chain, d.ExportedAt)
	o := d.org
	for key, field := range map[string]*string{"structure": &o.Name, "finess": &o.FINESS, "siren": &o.SIREN, "dpo": &o.DPO} {
		if f := inc.Facts[key]; f != "" {
			*field = f
		}
	}
	v.org = o
	return v, nil
}

// orgRows are the structure's identity, label and value; a value not
// given reads "non renseigné". Its profile is the kind of structure its
// chain is for; its region, the deployment's, else its chain's.
func (v *view) orgRows(lang flows.Lang) [][2]string {
	val := func(s string) string {
		if s == "" {
			return tr(lang, "mc.not_given")
		}
		return s
	}
	var profile string
	region := v.org.Region
	if c := v.chain; c != nil {
		profile = c.Structure.In(lang)
		if profile == "" {
			profile = c.Profile
		}
		if region == "" {
			region = c.Region
		}
	}
	return [][2]string{
		{tr(lang, "mc.org_name"), val(v.org.Name)},
		{tr(lang, "mc.finess"), val(v.org.FINESS)},
		{tr(lang, "mc.siren"), val(v.org.SIREN)},
		{tr(lang, "mc.dpo"), val(v.org.DPO)},
		{tr(lang, "mc.profile"), val(profile)},
		{tr(lang, "mc.region"), val(flows.RegionName(region))},
	}
}

// chainText names the chain and its version: its title, id, version and
// the date it came into force.
func (v *view) chainText(lang flows.Lang) string {
	inc := v.rec.Incident
	switch {
	case v.chain != nil:
		return tr(lang, "mc.chain_is", v.chain.Title.In(lang), v.chain.ID, v.chain.Version, formatDay(v.chain.Effective, lang))
	case inc.Chain != "":
		return tr(lang, "mc.chain_version", inc.Chain, inc.Version) + " — " + v.chainNote
	}
	return v.chainNote
}

// incidentRows are the incident's header, label and value.
func (v *view) incidentRows(d *exportDoc) [][2]string {
	lang, inc, cl := d.lang, v.rec.Incident, v.closing
	closed := tr(lang, "mc.still_open")
	if !cl.ClosedAt.IsZero() {
		closed = tr(lang, "mc.by_on", stamp(cl.ClosedAt, lang), inc.ClosedBy.String())
	}
	duration := tr(lang, "mc.duration_closed", Elapsed(cl.Duration, lang))
	if cl.ClosedAt.IsZero() {
		duration = tr(lang, "mc.duration_open", Elapsed(cl.Duration, lang))
	}
	rows := [][2]string{
		{tr(lang, "mc.incident"), inc.ID},
		{tr(lang, "mc.incident_title"), inc.Title},
		{tr(lang, "mc.chain"), v.chainText(lang)},
		{tr(lang, "mc.t0"), stamp(inc.T0, lang)},
		{tr(lang, "mc.opened"), tr(lang, "mc.by_on", stamp(inc.OpenedAt, lang), inc.OpenedBy.String())},
		{tr(lang, "mc.closed"), closed},
		{tr(lang, "mc.duration"), duration},
		{tr(lang, "mc.exported"), tr(lang, "mc.exported_is", stamp(d.ExportedAt, lang), d.Head.Seq, d.Head.Hash[:12])},
	}
	if v.exercise {
		rows = slices.Insert(rows, 2, [2]string{tr(lang, "mc.kind"), tr(lang, "mc.kind_exercise")})
	}
	return rows
}

// marked is s with the exercise mark before it, for an exercise's
// export: its title and the footer of its pages.
func (v *view) marked(s string, lang flows.Lang) string {
	if !v.exercise {
		return s
	}
	return tr(lang, "mc.exercise_title", s)
}

// closingTitle is the heading of the closing report: provisional while
// the incident is open.
func (v *view) closingTitle(lang flows.Lang) string {
	if v.closing.ClosedAt.IsZero() {
		return tr(lang, "mc.closing_open")
	}
	return tr(lang, "mc.closing")
}

// obligationRow is an obligation in the words of the reports.
type obligationRow struct {
	step, recipients     string
	rule, due            string // the deadline's rule, and its instant ("" if none)
	declared, elapsed    string // when done: the declared time and T0 + delay
	recorded             string // when settled: the time Vigie recorded it
	verdict              string
	means, ref, who      string
	entry                uint64
	reach, because, note string
	basis                string
}

func (v *view) obligationRow(o Obligation, lang flows.Lang) obligationRow {
	r := obligationRow{step: stepName(o.Step, lang), recipients: recipients(o.Step, lang), rule: o.Rule(v.chain, lang),
		verdict: o.VerdictText(lang), entry: o.Entry, reach: reach(o.Step, lang), basis: o.Step.Basis.In(lang)}
	switch {
	case o.Due.IsZero() && o.After != "":
		r.due = tr(lang, "mc.due_after", v.stepTitle(o.After, lang))
	case o.Due.IsZero():
	case o.Step.Deadline.Kind == flows.Immediate:
		r.due = tr(lang, "mc.since", keep(stamp(o.Due, lang)))
	default:
		r.due = keep(stamp(o.Due, lang))
	}
	st := o.State
	switch st.Status {
	case incident.StepDone:
		if p := st.Proof; p != nil {
			r.declared, r.elapsed = stamp(p.DeclaredAt, lang), tr(lang, "rule.t0", Elapsed(o.Elapsed, lang))
			r.recorded = stamp(p.ServerAt, lang)
			r.means, r.ref, r.who, r.note = i18n.Means(p.Means, lang), p.Ref, p.By.String(), p.Note
		}
	case incident.StepNA:
		r.recorded, r.who = stamp(st.At, lang), st.By.String()
	}
	r.because = because(v.chain, o.Because, v.rec.Incident, lang)
	return r
}

func (v *view) stepTitle(id string, lang flows.Lang) string {
	if v.chain != nil && v.chain.Step(id) != nil {
		return v.chain.Step(id).Title.In(lang)
	}
	return id
}

// recipients names a step's recipients: "CERT Santé (ANS)", "Police ou
// gendarmerie" when one suffices.
func recipients(s *flows.Step, lang flows.Lang) string {
	names := make([]string, len(s.Recipients))
	for i, r := range s.Recipients {
		names[i] = r.Contact.Name.In(lang)
	}
	sep := tr(lang, "mc.and_sep")
	if s.AnyOf {
		sep = tr(lang, "mc.or_sep")
	}
	return strings.Join(names, sep)
}

// reach lists how the chain says to reach a step's recipients, phone
// numbers held on one line: "Portail : https://… ; Téléphone : 09 72 43
// 91 25 (si plus d'accès à internet) [secours]".
func reach(s *flows.Step, lang flows.Lang) string {
	var parts []string
	for _, r := range s.Recipients {
		for _, m := range r.Means {
			value := m.Value.In(lang)
			if m.Kind == "phone" {
				value = keep(value)
			}
			parts = append(parts, i18n.T(lang, "kind."+m.Kind)+" "+value+meansNote(m, lang))
		}
	}
	return strings.Join(parts, tr(lang, "mc.means_sep"))
}

// because says which answers made a step required, with who gave them
// and when: "« … ? » Oui (@rssi, 28/03/2026 02:14:10 CET)".
func because(c *flows.Chain, rs []flows.Reason, inc *incident.Incident, lang flows.Lang) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		q := r.Key
		if c != nil && c.Question(r.Key) != nil {
			q = c.Question(r.Key).Text.In(lang)
		}
		a, _ := inc.Answer(r.Key)
		parts = append(parts, tr(lang, "mc.given", q, i18n.Value(r.Value, lang), a.By.String(), stamp(r.At, lang)))
	}
	return strings.Join(parts, tr(lang, "mc.means_sep"))
}

// givenText says which answers leave a step out, with who and when.
func givenText(gs []Given, lang flows.Lang) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = tr(lang, "mc.given", g.Question.Text.In(lang), i18n.Value(g.Value, lang), g.By.String(), stamp(g.At, lang))
	}
	return strings.Join(parts, tr(lang, "mc.means_sep"))
}

// questionText is the question an answer entry answers, in the words of
// the chain, else the entry's own text.
func (v *view) questionText(e incident.Entry, lang flows.Lang) string {
	if v.chain == nil {
		return e.Text
	}
	for i, q := range v.chain.Questions {
		if q.ID == e.Data["key"] {
			// Named as the card and statut name it, "Q3": the table's
			// first column is the entry's number, not the question's.
			return fmt.Sprintf("Q%d · %s", i+1, q.Text.In(lang))
		}
	}
	return e.Text
}

// shownData lists, by kind of entry, the data the reports show under the
// entry's text, in this order: what the text does not already say (the
// declared time to the second, a proof's note, the corrected T0s). The
// JSON and CSV exports carry all of it.
var shownData = map[string][]string{
	incident.KindOpened:   {"t0", "chain", "version"},
	incident.KindDone:     {"step", "declared_at", "note"},
	incident.KindProposed: {"step", "declared_at", "note"},
	incident.KindNA:       {"step"},
	incident.KindSnooze:   {"step", "until"},
	incident.KindNote:     {"author", "link"},
	incident.KindT0:       {"old", "new"},
	incident.KindExport:   {"file"},
	incident.KindReminder: {"scheduled"},
	incident.KindDraft:    {"missing"},
	// A message's text names its audience, its point and its hash; a
	// reader must also see that identifiers were masked in it.
	incident.KindMessage: {"masked"},
}

// shownKinds are the kinds whose text says everything their data holds
// that a reader needs. A hand-over's text says the entries it covers,
// what it left to do and its hash: the summary it posted repeats the
// entries above it, and stays in the JSON and CSV exports.
var shownKinds = []string{incident.KindChain, incident.KindAnswer, incident.KindPoint, incident.KindClosed,
	incident.KindGuard, incident.KindFacts, incident.KindRole, incident.KindHandover}

// dataLine is the data of an entry a report shows under its text, each
// under its label ("Heure déclarée : 28/03/2026 02:24:00 CET"); times are
// in Paris to the second. A kind Vigie does not know shows all its data,
// each key under its label if the catalogue has one, else as recorded.
func dataLine(e incident.Entry, lang flows.Lang) string {
	keys, known := shownData[e.Kind]
	if !known {
		if slices.Contains(shownKinds, e.Kind) {
			return ""
		}
		for k := range e.Data {
			keys = append(keys, k)
		}
		slices.Sort(keys)
	}
	var parts []string
	for _, k := range keys {
		val, ok := e.Data[k]
		if !ok || val == "" {
			continue
		}
		label := k
		if messages.Has("data." + k) {
			label = tr(lang, "data."+k)
		}
		switch k {
		case "t0", "declared_at", "old", "new", "until", "scheduled":
			if t := entryTime(val); !t.IsZero() {
				val = stamp(t, lang)
			}
		}
		parts = append(parts, tr(lang, "md.data", label, val))
	}
	return strings.Join(parts, " · ")
}

// answerText is an answer entry's answer: "Oui", or "Non (avant : Oui)"
// for a revision.
func answerText(e incident.Entry, lang flows.Lang) string {
	s := i18n.Value(flows.Value(e.Data["value"]), lang)
	if prev, ok := e.Data["previous"]; ok {
		s = tr(lang, "mc.revised", s, i18n.Value(flows.Value(prev), lang))
	}
	return s
}

// entryNo is an entry's number as the reports cite it: "n° 5".
func entryNo(seq uint64, lang flows.Lang) string {
	if seq == 0 {
		return ""
	}
	return tr(lang, "md.no", seq)
}

// meansNote is what follows an address: its label, and the fallback mark.
func meansNote(m flows.Means, lang flows.Lang) string {
	s := ""
	if l := m.Label.In(lang); l != "" {
		s = " (" + l + ")"
	}
	if m.Fallback {
		s += " " + tr(lang, "step.fallback")
	}
	return s
}
