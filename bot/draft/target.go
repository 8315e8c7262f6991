package draft

import (
	"strings"

	"github.com/vigie-sante/vigie/flows"
)

// Target is a regulator a draft is written for.
type Target struct {
	ID       string   // cert-sante, cnil, anssi
	Steps    []string // the chain steps it serves
	contact  string   // the contact whose portal or form receives it
	required []string // facts without which the draft is incomplete
	optional []string // facts shown when given ("causes if known")
	sections []section
}

// section is a part of a draft: a heading and the facts under it;
// "@…" items are computed lines (T0, deadline, answers, declarations).
type section struct {
	title string // catalogue key
	items []string
}

var targets = []*Target{
	{
		ID: "cert-sante", Steps: []string{"cert-sante", "ars"}, contact: "cert-sante",
		required: []string{"structure", "declarant", "contact", "description", "perimetre", "systemes", "donnees",
			"impact_donnees", "impact_personnes", "impact_systemes", "impact_structure", "mesures"},
		optional: []string{"finess", "siren", "causes"},
		sections: []section{
			{"draft.s.identification", []string{"structure", "finess", "siren", "declarant", "contact"}},
			{"draft.s.description", []string{"@t0", "description", "perimetre", "systemes", "donnees", "mesures"}},
			{"draft.s.impacts", []string{"impact_donnees", "impact_personnes", "impact_systemes", "impact_structure"}},
			{"draft.s.causes", []string{"causes"}},
			{"draft.s.answers", []string{"@answers"}},
			{"draft.s.declarations", []string{"@declarations"}},
		},
	},
	{
		ID: "cnil", Steps: []string{"cnil"}, contact: "cnil",
		required: []string{"structure", "siren", "declarant", "contact", "dpo", "nature", "donnees", "personnes",
			"enregistrements", "consequences", "mesures"},
		optional: []string{"finess", "causes"},
		sections: []section{
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
		ID: "anssi", Steps: []string{"anssi"}, contact: "anssi",
		required: []string{"structure", "declarant", "contact", "service", "description", "systemes",
			"utilisateurs", "duree", "portee", "mesures"},
		optional: []string{"siren", "finess", "transfrontalier", "causes"},
		sections: []section{
			{"draft.s.operator", []string{"structure", "siren", "finess", "declarant", "contact"}},
			{"draft.s.incident", []string{"@t0", "@status", "service", "description", "systemes"}},
			{"draft.s.service_impact", []string{"utilisateurs", "duree", "portee", "transfrontalier"}},
			{"draft.s.causes_measures", []string{"causes", "mesures"}},
			{"draft.s.answers", []string{"@answers"}},
			{"draft.s.declarations", []string{"@declarations"}},
		},
	},
}

// TargetOf reads the regulator a person typed: cert-sante (also ars,
// gip), cnil (rgpd), anssi (ose); nil for anything else.
func TargetOf(s string) *Target {
	id := map[string]string{
		"cert-sante": "cert-sante", "certsante": "cert-sante", "cert-santé": "cert-sante", "cert": "cert-sante",
		"ars": "cert-sante", "gip": "cert-sante", "ans": "cert-sante",
		"cnil": "cnil", "rgpd": "cnil", "gdpr": "cnil",
		"anssi": "anssi", "ose": "anssi", "cert-fr": "anssi",
	}[strings.ToLower(s)]
	for _, t := range targets {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Name is the regulator's full name, in lang.
func (t *Target) Name(lang flows.Lang) string { return tr(lang, "draft.target."+t.ID) }

// Short is the regulator's short name, for a dialog's title.
func (t *Target) Short(lang flows.Lang) string { return tr(lang, "draft.short."+t.ID) }
