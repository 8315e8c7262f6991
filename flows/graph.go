package flows

import (
	"fmt"
	"strings"
)

// The graph of a chain is drawn from its data alone: a step or question
// hangs under the answer that lets it in (the deepest question of its
// condition), an answer that lets nothing in leads to the end of the chain,
// and a deadline counted from another step is a dotted edge.

type graphNode struct {
	id, label string
	shape     string // "start", "end", "question", "step"
}

type graphEdge struct {
	from, to, label string
	dotted          bool
}

type graph struct {
	nodes []graphNode
	edges []graphEdge
}

func buildGraph(c *Chain, lang Lang) graph {
	var g graph
	g.nodes = append(g.nodes, graphNode{id: "start", label: "INCIDENT", shape: "start"})
	depth := map[string]int{}
	var depthOf func(q *Question) int
	depthOf = func(q *Question) int {
		if d, ok := depth[q.ID]; ok {
			return d
		}
		d := 0
		for _, cl := range q.When {
			if dd := depthOf(c.questions[cl.Key]) + 1; dd > d {
				d = dd
			}
		}
		depth[q.ID] = d
		return d
	}
	used := map[string]bool{} // "q=value" that lets something in
	hang := func(id string, cond Condition) {
		if len(cond) == 0 {
			g.edges = append(g.edges, graphEdge{from: "start", to: id})
			return
		}
		parent := cond[0]
		for _, cl := range cond[1:] {
			if depthOf(c.questions[cl.Key]) >= depthOf(c.questions[parent.Key]) {
				parent = cl
			}
		}
		implied := map[string]bool{parent.Key: true}
		var mark func(q *Question)
		mark = func(q *Question) {
			for _, cl := range q.When {
				implied[cl.Key] = true
				mark(c.questions[cl.Key])
			}
		}
		mark(c.questions[parent.Key])
		label := valueLabel(parent.Value, lang)
		for _, cl := range cond {
			if !implied[cl.Key] {
				label += " · " + cl.Key + "=" + string(cl.Value)
			}
		}
		for _, cl := range cond {
			used[cl.Key+"="+string(cl.Value)] = true
		}
		g.edges = append(g.edges, graphEdge{from: "q_" + nodeID(parent.Key), to: id, label: label})
	}
	for _, q := range c.Questions {
		label := q.Text.In(lang)
		if q.Feature != "" {
			label += " [" + q.Feature + "]"
		}
		g.nodes = append(g.nodes, graphNode{id: "q_" + nodeID(q.ID), label: label, shape: "question"})
		hang("q_"+nodeID(q.ID), q.When)
	}
	for _, s := range c.Steps {
		label := fmt.Sprintf("%d. %s", s.Order, s.Title.In(lang))
		var names []string
		for _, r := range s.Recipients {
			names = append(names, r.Contact.Name.In(lang))
		}
		sep := " + "
		if s.AnyOf {
			sep = map[Lang]string{FR: " ou ", EN: " or "}[lang]
		}
		label += "\n" + strings.Join(names, sep)
		if s.Deadline.Kind == After {
			label += "\n⏱ " + s.Deadline.String()
		}
		if s.Feature != "" {
			label += " [" + s.Feature + "]"
		}
		if c.Charted() && !s.FromChart() { // a chain without a chart has nothing to be off
			label += " *"
		}
		g.nodes = append(g.nodes, graphNode{id: "s_" + nodeID(s.ID), label: label, shape: "step"})
		hang("s_"+nodeID(s.ID), s.When)
	}
	for _, s := range c.Steps {
		if s.Deadline.Kind == After && s.Deadline.Anchor != AnchorT0 {
			g.edges = append(g.edges, graphEdge{from: "s_" + nodeID(s.Deadline.Anchor), to: "s_" + nodeID(s.ID),
				label: "+" + s.Deadline.OffsetString(), dotted: true})
		}
	}
	ends := false
	for _, q := range c.Questions {
		for _, v := range q.Answers {
			if v != Unknown && !used[q.ID+"="+string(v)] {
				g.edges = append(g.edges, graphEdge{from: "q_" + nodeID(q.ID), to: "chain_end", label: valueLabel(v, lang)})
				ends = true
			}
		}
	}
	if !ends {
		g.edges = append(g.edges, graphEdge{from: "start", to: "chain_end", dotted: true})
	}
	g.nodes = append(g.nodes, graphNode{id: "chain_end", label: c.End.In(lang), shape: "end"})
	return g
}

func valueLabel(v Value, lang Lang) string {
	switch v {
	case Yes:
		return map[Lang]string{FR: "Oui", EN: "Yes"}[lang]
	case No:
		return map[Lang]string{FR: "Non", EN: "No"}[lang]
	}
	return string(v)
}

func nodeID(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, id)
}

// Mermaid draws the chain as a Mermaid flowchart. Steps that do not come
// from the chain's source document are marked with an asterisk.
func Mermaid(c *Chain, lang Lang) string {
	g := buildGraph(c, lang)
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	esc := func(s string) string {
		s = strings.ReplaceAll(s, `"`, "#quot;")
		return strings.ReplaceAll(s, "\n", "<br/>")
	}
	for _, n := range g.nodes {
		switch n.shape {
		case "start", "end":
			fmt.Fprintf(&b, "  %s([\"%s\"])\n", n.id, esc(n.label))
		case "question":
			fmt.Fprintf(&b, "  %s{\"%s\"}\n", n.id, esc(n.label))
		default:
			fmt.Fprintf(&b, "  %s[\"%s\"]\n", n.id, esc(n.label))
		}
	}
	for _, e := range g.edges {
		arrow := "-->"
		if e.dotted {
			arrow = "-.->"
		}
		if e.label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.from, arrow, esc(e.label), e.to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", e.from, arrow, e.to)
		}
	}
	return b.String()
}

// DOT draws the chain in Graphviz's language.
func DOT(c *Chain, lang Lang) string {
	g := buildGraph(c, lang)
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %q {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n", c.ID)
	for _, n := range g.nodes {
		shape := map[string]string{"start": "oval", "end": "oval", "question": "diamond", "step": "box"}[n.shape]
		fmt.Fprintf(&b, "  %s [shape=%s, label=%q];\n", n.id, shape, n.label)
	}
	for _, e := range g.edges {
		var attrs []string
		if e.label != "" {
			attrs = append(attrs, fmt.Sprintf("label=%q", e.label))
		}
		if e.dotted {
			attrs = append(attrs, "style=dotted")
		}
		if len(attrs) > 0 {
			fmt.Fprintf(&b, "  %s -> %s [%s];\n", e.from, e.to, strings.Join(attrs, ", "))
		} else {
			fmt.Fprintf(&b, "  %s -> %s;\n", e.from, e.to)
		}
	}
	b.WriteString("}\n")
	return b.String()
}
