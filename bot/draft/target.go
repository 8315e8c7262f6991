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
	// answers are the chain questions whose answers the regulator's form
	// asks, in the order shown: nothing else leaves the structure (not
	// whether it is insured, not its crisis plan for the CNIL).
	answers []string
	// declarations are the steps whose proof the draft lists under the
	// declarations already made: the other authorities told, never the
	// insurer nor the internal register.
	declarations []string
	// informs is the step of informing the persons concerned, whose state
	// answers the CNIL's question "were the persons informed?".
	informs string
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
		// D1111-16-3 II: impact on the structure (capacity, crisis plan),
		// on data (a breach), causes if known (malice).
		answers:      []string{"capacity_impact", "crisis_plan", "malicious", "personal_data_breach"},
		declarations: []string{"cert-sante", "ars", "anssi", "cnil", "police-gendarmerie"},
	},
	{
		ID: "cnil", Steps: []string{"cnil"}, contact: "cnil",
		required: []string{"structure", "siren", "declarant", "contact", "dpo", "nature", "donnees", "personnes",
			"enregistrements", "consequences", "mesures", "attenuation", "information_personnes"},
		optional: []string{"finess", "causes"},
		sections: []section{
			{"draft.s.controller", []string{"structure", "siren", "finess", "declarant", "contact", "dpo"}},
			{"draft.s.timing", []string{"@t0", "@deadline72", "@late"}},
			{"draft.s.nature", []string{"nature", "donnees", "personnes", "enregistrements", "causes"}},
			{"draft.s.consequences", []string{"consequences"}},
			{"draft.s.measures", []string{"mesures", "attenuation"}},
			{"draft.s.informed", []string{"@informed"}},
			{"draft.s.answers", []string{"@answers"}},
			{"draft.s.declarations", []string{"@declarations"}},
		},
		// Art. 33(3) a): the nature of the breach, malicious or not.
		answers:      []string{"malicious", "personal_data_breach"},
		declarations: []string{"cnil", "cert-sante", "anssi", "police-gendarmerie"},
		informs:      "personnes-concernees",
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
		// Loi 2018-133 art. 7, décret 2018-384 art. 11: causes (malice),
		// impact on the essential service (capacity).
		answers:      []string{"capacity_impact", "malicious"},
		declarations: []string{"anssi", "anssi-mises-a-jour", "cert-sante", "ars", "cnil", "police-gendarmerie"},
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
