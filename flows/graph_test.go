package flows_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/flows"
)

func TestMermaid(t *testing.T) {
	c := goodChain(t, "test/engine")
	fr := flows.Mermaid(c, flows.FR)
	if !strings.HasPrefix(fr, "flowchart TD\n") {
		t.Errorf("Mermaid does not start with flowchart TD:\n%s", fr)
	}
	for _, want := range []string{
		`start(["INCIDENT"])`,
		`q_malicious{"Malveillant ?"}`,
		`q_significant{"Incident important ? [nis2]"}`,
		`s_police["4. Police ou gendarmerie<br/>Bêta ou Gamma"]`, // choose one: "ou"
		`s_cnil["5. CNIL<br/>Alpha<br/>⏱ t0+72h"]`,
		`s_persons["6. Personnes concernées<br/>Gamma *"]`, // not from the chart: starred
		`start --> s_declare`,
		`q_breach -->|"Oui"| q_high_risk`, // a question hangs under the answer that asks it
		`q_high_risk -->|"Oui"| s_persons`,
		`q_malicious -->|"Oui"| s_police`,
		`s_cnil -.->|"+30d"| s_followup`, // a deadline counted from a step
	} {
		if !strings.Contains(fr, want) {
			t.Errorf("Mermaid FR lacks %s:\n%s", want, fr)
		}
	}
	// Every "no" that lets nothing in leads to the end of the chain.
	if !regexp.MustCompile(`q_malicious -->\|"Non"\| \w+`).MatchString(fr) {
		t.Errorf("Mermaid FR: malicious=no does not lead to the end:\n%s", fr)
	}
	en := flows.Mermaid(c, flows.EN)
	if !strings.Contains(en, "Beta or Gamma") || !strings.Contains(en, `|"Yes"|`) {
		t.Errorf("Mermaid EN is not in English:\n%s", en)
	}
}

// TestMermaidEndNode: in Mermaid, a lower-case `end` closes a subgraph, so a
// node whose id is `end` breaks the whole flowchart (mermaid.js.org,
// flowchart syntax: "Typing end in all lowercase letters will break the
// Flowchart").
func TestMermaidEndNode(t *testing.T) {
	c := goodChain(t, "test/engine")
	bare := regexp.MustCompile(`(^|[\s|])end($|[\s(\[{])`)
	for i, line := range strings.Split(flows.Mermaid(c, flows.FR), "\n") {
		if bare.MatchString(line) {
			t.Errorf("Mermaid line %d uses the reserved word end as a node id: %q", i+1, line)
		}
	}
}

func TestDOT(t *testing.T) {
	c := goodChain(t, "test/engine")
	dot := flows.DOT(c, flows.EN)
	for _, want := range []string{
		`digraph "test/engine" {`,
		`q_malicious [shape=diamond, label="Malicious?"];`,
		`s_police [shape=box, label="4. Police or gendarmerie\nBeta or Gamma"];`,
		`q_breach -> q_high_risk [label="Yes"];`,
		`s_cnil -> s_followup [label="+30d", style=dotted];`,
		`start -> s_declare;`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s:\n%s", want, dot)
		}
	}
	if !strings.HasSuffix(dot, "}\n") {
		t.Errorf("DOT is not closed:\n%s", dot)
	}
}

func TestGraphEscapes(t *testing.T) {
	cat := mustCompile(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("inline.yaml", `
steps:
  - id: s-1
    order: 1
    title: {fr: "Dire \"stop\"", en: "Say \"stop\""}
    recipients: [{contact: alpha}]
    deadline: immediate
    basis: {fr: "Base", en: "Basis"}
    source: chart
`))
	c := mustChain(t, cat, "test/inline")
	if m := flows.Mermaid(c, flows.FR); !strings.Contains(m, `s_s_1["1. Dire #quot;stop#quot;<br/>Alpha"]`) {
		t.Errorf("Mermaid does not escape quotes or ids:\n%s", m)
	}
	if d := flows.DOT(c, flows.EN); !strings.Contains(d, `s_s_1 [shape=box, label="1. Say \"stop\"\nAlpha"];`) {
		t.Errorf("DOT does not escape quotes:\n%s", d)
	}
	// With no question, the chain still reaches its end.
	if m := flows.Mermaid(c, flows.FR); !strings.Contains(m, "start -.-> ") {
		t.Errorf("Mermaid of a chain without questions has no way to the end:\n%s", m)
	}
}

// TestGraphEndEdges: an answer leads to the end of the chain only when it
// lets nothing in. With conditions of two independent questions, both
// answers named in a condition let the step in, not only the one the step
// is drawn under.
func TestGraphEndEdges(t *testing.T) {
	cat := mustCompile(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("inline.yaml", `
questions:
  - id: a
    text: {fr: "A ?", en: "A?"}
    source: chart
  - id: level
    text: {fr: "Niveau ?", en: "Level?"}
    answers: [low, high]
    source: chart
  - id: b
    text: {fr: "B ?", en: "B?"}
    when: {a: yes}
    source: chart
steps:
  - id: s1
    order: 1
    title: {fr: "S1", en: "S1"}
    recipients: [{contact: alpha}]
    when: {b: yes, level: high}
    deadline: immediate
    basis: {fr: "Base", en: "Basis"}
    source: chart
  - id: s2
    order: 2
    title: {fr: "S2", en: "S2"}
    recipients: [{contact: alpha}]
    when: {a: no, level: low}
    deadline: immediate
    basis: {fr: "Base", en: "Basis"}
    source: chart
`))
	c := mustChain(t, cat, "test/inline")
	m := flows.Mermaid(c, flows.EN)
	for _, want := range []string{
		`q_a -->|"Yes"| q_b`,
		`q_b -->|"Yes · level=high"| s_s1`,
		`q_level -->|"low · a=no"| s_s2`, // answers of their own are drawn as written
		`q_b -->|"No"| `,                 // b=no lets nothing in
	} {
		if !strings.Contains(m, want) {
			t.Errorf("Mermaid lacks %s:\n%s", want, m)
		}
	}
	// level=high lets s1 in (with b=yes), a=no lets s2 in (with level=low):
	// neither ends the chain.
	for _, wrong := range []string{`q_level -->|"high"|`, `q_a -->|"No"|`} {
		if strings.Contains(m, wrong) {
			t.Errorf("Mermaid draws %s to the end, but that answer lets a step in:\n%s", wrong, m)
		}
	}
}
