package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// A national chain whose ARS and CSIRT differ by region, two regions, and
// a regional chain, to bind with Catalog.Deploy.
const (
	deployNational = `kind: contacts
scope: national
source: test
contacts:
  - id: cnil
    name: {fr: "CNIL", en: "CNIL"}
    source: test
    checked: 2026-12-01
    means: [{kind: portal, value: "https://cnil.example"}]
  - id: ars
    name: {fr: "ARS concernée", en: "ARS concerned"}
    source: test
    checked: 2026-12-01
    means: [{kind: other, value: "boîte d'alerte de l'ARS"}]
  - id: csirt
    name: {fr: "CSIRT régional", en: "Regional CSIRT"}
    source: test
    checked: 2026-12-01
    means: [{kind: other, value: "CSIRT de la région"}]
`
	deployAlpha = `kind: contacts
scope: alpha
source: test
contacts:
  - id: ars
    name: {fr: "ARS Alpha", en: "ARS Alpha"}
    source: "https://alpha.example/ars"
    checked: 2026-12-01
    means:
      - {kind: email, value: "ars-alpha@example.org"}
      - {kind: phone, value: "01 00 00 00 01", fallback: true}
  - id: cyber-alpha
    role: csirt
    name: {fr: "Cyber Alpha", en: "Cyber Alpha"}
    source: test
    checked: 2026-12-01
    means: [{kind: phone, value: "0 800 00 00 01"}]
`
	deployBeta = `kind: contacts
scope: beta
source: test
contacts:
  - id: ars
    name: {fr: "ARS Bêta", en: "ARS Beta"}
    source: "https://beta.example/ars"
    checked: 2026-12-01
    means: [{kind: email, value: "ars-beta@example.org"}]
`
	deployChain = `kind: chain
id: national/test
version: "1"
effective: 2025-01-01
regional: [ars, csirt]
structure: {fr: "Structure nationale", en: "National structure"}
title: {fr: "Nationale", en: "National"}
source: {document: test}
end: {fr: "Fin", en: "End"}
questions:
  - id: malicious
    text: {fr: "Malveillant ?", en: "Malicious?"}
    source: test
steps:
  - id: cnil
    order: 1
    title: {fr: "CNIL", en: "CNIL"}
    recipients: [{contact: cnil}]
    deadline: immediate
    basis: {fr: "b", en: "b"}
    source: test
  - id: ars
    order: 2
    title: {fr: "ARS", en: "ARS"}
    recipients: [{contact: ars}, {contact: cnil}]
    deadline: immediate
    basis: {fr: "b", en: "b"}
    source: test
  - id: csirt
    order: 3
    title: {fr: "CSIRT", en: "CSIRT"}
    recipients: [{contact: csirt}]
    when: {malicious: yes}
    deadline: none
    basis: {fr: "b", en: "b"}
    source: test
`
	deployRegional = `kind: chain
id: alpha/test
version: "1"
effective: 2025-01-01
region: alpha
structure: {fr: "Structure d'Alpha", en: "Alpha structure"}
title: {fr: "Alpha", en: "Alpha"}
source: {document: test}
end: {fr: "Fin", en: "End"}
steps:
  - id: ars
    order: 1
    title: {fr: "ARS", en: "ARS"}
    recipients: [{contact: ars}]
    deadline: immediate
    basis: {fr: "b", en: "b"}
    source: test
`
)

func deployCatalog(t *testing.T) *flows.Catalog {
	t.Helper()
	var files []flows.File
	for name, data := range map[string]string{"national.yaml": deployNational, "alpha.yaml": deployAlpha, "beta.yaml": deployBeta, "chain.yaml": deployChain, "regional.yaml": deployRegional} {
		files = append(files, flows.File{Name: name, Data: []byte(data)})
	}
	return mustCompile(t, files...)
}

// boundStep returns how step id of national/test goes out in a catalog
// deployed as d: its recipients as id@scope and their means as kind:value.
func boundStep(t *testing.T, cat *flows.Catalog, d flows.Deployment, id string) (recipients, means []string) {
	t.Helper()
	dc, err := cat.Deploy(d)
	if err != nil {
		t.Fatalf("Deploy(%+v): %v", d, err)
	}
	c, err := dc.Version("national/test", "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Step(id).Recipients {
		recipients = append(recipients, r.Contact.ID+"@"+r.Contact.Scope)
		for _, m := range r.Means {
			v := m.Kind + ":" + m.Value.FR
			if m.Fallback {
				v += "(fallback)"
			}
			means = append(means, v)
		}
	}
	return recipients, means
}

// TestDeploy: the configuration's contact over the region's over the
// national stand-in, kind by kind; a region contact found by its id or its
// role; the other recipients untouched.
func TestDeploy(t *testing.T) {
	cat := deployCatalog(t)
	email := func(v string) flows.Means { return flows.Means{Kind: "email", Value: flows.Text{FR: v}} }
	phone := func(v string) flows.Means {
		return flows.Means{Kind: "phone", Value: flows.Text{FR: v}, Fallback: true}
	}
	for _, tc := range []struct {
		name      string
		d         flows.Deployment
		step      string
		recipient []string
		means     []string
	}{
		{"compiled", flows.Deployment{}, "ars",
			[]string{"ars@national", "cnil@national"}, []string{"other:boîte d'alerte de l'ARS", "portal:https://cnil.example"}},
		{"region", flows.Deployment{Region: "alpha"}, "ars",
			[]string{"ars@alpha", "cnil@national"}, []string{"email:ars-alpha@example.org", "phone:01 00 00 00 01(fallback)", "portal:https://cnil.example"}},
		{"region by role", flows.Deployment{Region: "alpha"}, "csirt",
			[]string{"cyber-alpha@alpha"}, []string{"phone:0 800 00 00 01"}},
		{"region without that contact", flows.Deployment{Region: "beta"}, "csirt",
			[]string{"csirt@national"}, []string{"other:CSIRT de la région"}},
		{"region without a file", flows.Deployment{Region: "gamma"}, "ars",
			[]string{"ars@national", "cnil@national"}, []string{"other:boîte d'alerte de l'ARS", "portal:https://cnil.example"}},
		{"configuration alone: the stand-in's words go", flows.Deployment{Region: "gamma", Contacts: map[string]*flows.Contact{
			"ars": {Means: []flows.Means{email("ars-gamma@example.org"), phone("02 00 00 00 00")}, Source: flows.Text{FR: "conf"}}}}, "ars",
			[]string{"ars@configuration", "cnil@national"}, []string{"email:ars-gamma@example.org", "phone:02 00 00 00 00(fallback)", "portal:https://cnil.example"}},
		{"configuration adds the phone the region lacks", flows.Deployment{Region: "beta", Contacts: map[string]*flows.Contact{
			"ars": {Means: []flows.Means{phone("03 00 00 00 00")}, Source: flows.Text{FR: "conf"}}}}, "ars",
			[]string{"ars@configuration", "cnil@national"}, []string{"email:ars-beta@example.org", "phone:03 00 00 00 00(fallback)", "portal:https://cnil.example"}},
		{"configuration replaces the region's e-mail, keeps its phone", flows.Deployment{Region: "alpha", Contacts: map[string]*flows.Contact{
			"ars": {Means: []flows.Means{email("autre@example.org")}, Source: flows.Text{FR: "conf"}}}}, "ars",
			[]string{"ars@configuration", "cnil@national"}, []string{"email:autre@example.org", "phone:01 00 00 00 01(fallback)", "portal:https://cnil.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, m := boundStep(t, cat, tc.d, tc.step)
			checkIDs(t, "recipients", r, tc.recipient)
			checkIDs(t, "means", m, tc.means)
		})
	}

	// Names and sources: the region's name stays unless the configuration
	// gives one; a kept means keeps the region's source.
	dc, err := cat.Deploy(flows.Deployment{Region: "beta", Contacts: map[string]*flows.Contact{
		"ars": {Name: flows.Text{FR: "ARS de garde", EN: "ARS on call"}, Means: []flows.Means{phone("03 00 00 00 00")}, Source: flows.Text{FR: "configuration"}}}})
	if err != nil {
		t.Fatal(err)
	}
	ct := mustChainVersion(t, dc, "national/test", "1").Step("ars").Recipients[0].Contact
	if ct.Name.FR != "ARS de garde" || ct.Source.FR != "configuration" || ct.Means[0].Source.FR != "https://beta.example/ars" {
		t.Errorf("bound contact %+v", ct)
	}
	dc, _ = cat.Deploy(flows.Deployment{Region: "beta", Contacts: map[string]*flows.Contact{"ars": {Means: []flows.Means{phone("03")}}}})
	if ct := mustChainVersion(t, dc, "national/test", "1").Step("ars").Recipients[0].Contact; ct.Name.FR != "ARS Bêta" {
		t.Errorf("bound contact named %q, want the region's", ct.Name.FR)
	}

	// The compiled catalog is not changed, and a deployed catalog deploys
	// again from it.
	alpha, _ := cat.Deploy(flows.Deployment{Region: "alpha"})
	again, err := alpha.Deploy(flows.Deployment{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*flows.Catalog{cat, again} {
		if ct := mustChainVersion(t, c, "national/test", "1").Step("ars").Recipients[0].Contact; ct.Scope != flows.ScopeNational {
			t.Errorf("stand-in replaced by %s@%s", ct.ID, ct.Scope)
		}
	}
	// A regional chain keeps its region's contacts wherever Vigie runs.
	if ct := mustChainVersion(t, again, "alpha/test", "1").Step("ars").Recipients[0].Contact; ct.Scope != "alpha" {
		t.Errorf("alpha/test's ARS is %s@%s", ct.ID, ct.Scope)
	}
	if alpha.Region() != "alpha" || again.Region() != "" {
		t.Errorf("regions %q and %q", alpha.Region(), again.Region())
	}
	checkIDs(t, "regional", cat.Regional(), []string{"ars", "csirt"})
}

// TestDeployRefuses names what is wrong in the deployment.
func TestDeployRefuses(t *testing.T) {
	cat := deployCatalog(t)
	for _, tc := range []struct {
		d    flows.Deployment
		want string
	}{
		{flows.Deployment{Region: "Île-de-France"}, `bad region "Île-de-France"`},
		{flows.Deployment{Region: "national"}, `bad region "national"`},
		{flows.Deployment{Contacts: map[string]*flows.Contact{"samu": {Means: []flows.Means{{Kind: "phone", Value: flows.Text{FR: "15"}}}}}},
			`contact "samu": no chain takes it from the deployment (accepted: ars, csirt)`},
		{flows.Deployment{Contacts: map[string]*flows.Contact{"ars": {}}}, `contact "ars": no means of reaching it`},
	} {
		if _, err := cat.Deploy(tc.d); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Deploy(%+v) = %v, want %q", tc.d, err, tc.want)
		}
	}
}

// TestDeployedStructures: deployed in a region, the picker offers that
// region's chains and the national ones; elsewhere, only the national ones.
func TestDeployedStructures(t *testing.T) {
	cat := deployCatalog(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		region string
		want   []string
	}{
		{"", []string{"alpha/test", "national/test"}},
		{"alpha", []string{"alpha/test", "national/test"}},
		{"beta", []string{"national/test"}},
	} {
		dc, err := cat.Deploy(flows.Deployment{Region: tc.region})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range dc.Structures(now) {
			got = append(got, c.ID)
		}
		checkIDs(t, "structures in "+tc.region, got, tc.want)
	}
}
