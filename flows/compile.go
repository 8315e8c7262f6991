package flows

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

type parsedContacts struct {
	*parsed
	raw rawContacts
}

type parsedChain struct {
	*parsed
	raw rawChain
}

// Compile decodes, validates and compiles files into a catalog. It returns
// Errors naming every problem found, or a catalog in which every chain is
// valid: an invalid chain must block start-up, never half-load. What
// leaves the files valid but a screen poorer (a text in French only) is
// kept as the catalog's Warnings.
func Compile(files []File) (*Catalog, error) {
	var (
		errs     Errors
		warns    Errors
		contacts []*parsedContacts
		chains   []*parsedChain
	)
	for _, file := range files {
		p := &parsed{name: file.Name}
		switch p.kind(file.Data) {
		case "contacts":
			var raw rawContacts
			if p.decode(file.Data, &raw) {
				contacts = append(contacts, &parsedContacts{parsed: p, raw: raw})
			}
		case "chain":
			var raw rawChain
			if p.decode(file.Data, &raw) {
				chains = append(chains, &parsedChain{parsed: p, raw: raw})
			}
		}
		errs = append(errs, p.errs...)
		p.errs = nil
		warns = append(warns, p.warns...)
		p.warns = nil
	}
	cat := newCatalog()
	for _, pc := range contacts {
		cat.addContacts(pc)
	}
	for _, pc := range contacts {
		errs = append(errs, pc.errs...)
		warns = append(warns, pc.warns...)
	}
	for _, pc := range chains {
		if c := compileChain(pc, cat); c != nil {
			cat.addChain(pc, c)
		}
		errs = append(errs, pc.errs...)
		warns = append(warns, pc.warns...)
	}
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	warns.sort()
	cat.warnings = warns
	cat.sort()
	return cat, nil
}

// sort orders es by file, then line.
func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].File != es[j].File {
			return es[i].File < es[j].File
		}
		return es[i].Line < es[j].Line
	})
}

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	chainIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9_-]*$`)
)

func (f *parsed) id(p, kind, id string) bool {
	if !idPattern.MatchString(id) {
		f.errorf(p, "bad %s id %q (accepted: lower-case letters, digits, - and _)", kind, id)
		return false
	}
	return true
}

func (f *parsed) duration(p, s string) time.Duration {
	if s == "" {
		return 0
	}
	d, err := ParseDuration(s)
	if err != nil {
		f.errorf(p, "%v", err)
	} else if d <= 0 {
		f.errorf(p, "duration %q must be positive", s)
	}
	return d
}

func (c *Catalog) addContacts(pc *parsedContacts) {
	raw := pc.raw
	scope := raw.Scope
	if scope != ScopeNational && !idPattern.MatchString(scope) {
		pc.errorf("$.scope", "bad scope %q (accepted: national, or a region id such as nouvelle-aquitaine)", scope)
		return
	}
	if c.contacts[scope] == nil {
		c.contacts[scope] = map[string]*Contact{}
	}
	for i, rc := range raw.Contacts {
		p := fmt.Sprintf("$.contacts[%d]", i)
		if !pc.id(p+".id", "contact", rc.ID) {
			continue
		}
		if prev := c.contacts[scope][rc.ID]; prev != nil {
			pc.errorf(p+".id", "contact %q is defined twice in scope %s", rc.ID, scope)
			continue
		}
		pc.text(p+".name", rc.Name)
		pc.optText(p+".about", rc.About)
		if rc.Source.IsZero() {
			pc.errorf(p, "contact %q has no source (accepted: chart, or the outside reference)", rc.ID)
		}
		pc.source(p+".source", rc.Source)
		if !rc.Reference.IsZero() {
			if !IsChart(rc.Source) {
				pc.errorf(p+".reference", "contact %q has a reference but its source is not the chart (accepted: reference only beside source: chart)", rc.ID)
			}
			pc.text(p+".reference", rc.Reference)
		}
		if len(rc.Means) == 0 {
			pc.errorf(p, "contact %q has no means of reaching it", rc.ID)
		}
		var checked time.Time
		switch d, err := time.Parse(time.DateOnly, rc.Checked); {
		case rc.Checked == "":
			pc.errorf(p, "contact %q has no checked date (accepted: checked: YYYY-MM-DD, the day its means were last compared with its source)", rc.ID)
		case err != nil:
			pc.errorf(p+".checked", "bad checked date %q for contact %q (accepted: YYYY-MM-DD)", rc.Checked, rc.ID)
		case d.Year() < 2000:
			pc.errorf(p+".checked", "checked date %q for contact %q is not plausible (accepted: a day since 2000, YYYY-MM-DD)", rc.Checked, rc.ID)
		default:
			checked = d
		}
		ct := &Contact{ID: rc.ID, Scope: scope, Role: rc.Role, Name: rc.Name, About: rc.About, Source: rc.Source, Reference: rc.Reference, Checked: checked}
		if rc.Role != "" {
			switch {
			case scope == ScopeNational:
				pc.errorf(p+".role", "role is for a region's contacts (the national contact is the stand-in itself)")
			case !idPattern.MatchString(rc.Role):
				pc.errorf(p+".role", "bad role %q (accepted: the id of the regional contact it stands for, such as csirt)", rc.Role)
			}
		}
		for j, rm := range rc.Means {
			mp := fmt.Sprintf("%s.means[%d]", p, j)
			if !slices.Contains(MeansKinds, rm.Kind) {
				pc.errorf(mp+".kind", "unknown means kind %q (accepted: %s)", rm.Kind, strings.Join(MeansKinds, ", "))
			}
			if rm.Value.IsZero() {
				pc.errorf(mp, "means of %q has no value", rc.ID)
			}
			for _, v := range []string{rm.Value.FR, rm.Value.EN} {
				if strings.HasPrefix(strings.ToLower(v), "mailto:") {
					pc.errorf(mp+".value", "write the plain address, not a mailto: link (%q)", v)
				}
			}
			pc.meansValue(mp+".value", rm.Kind, rm.Value)
			pc.optText(mp+".label", rm.Label)
			pc.source(mp+".source", rm.Source)
			ct.Means = append(ct.Means, Means{Kind: rm.Kind, Value: rm.Value, Label: rm.Label, Fallback: rm.Fallback, Source: rm.Source})
		}
		c.contacts[scope][rc.ID] = ct
	}
	// One contact per role in a scope, and a role is not another's id.
	roles := map[string]string{}
	for i, rc := range raw.Contacts {
		if rc.Role == "" || scope == ScopeNational {
			continue
		}
		p := fmt.Sprintf("$.contacts[%d].role", i)
		if other, ok := roles[rc.Role]; ok {
			pc.errorf(p, "contacts %q and %q both have role %q: which one the national chains use would be ambiguous", other, rc.ID, rc.Role)
		} else if ct := c.contacts[scope][rc.Role]; ct != nil && ct.ID != rc.ID {
			pc.errorf(p, "role %q is also the id of contact %q in scope %s: which one the national chains use would be ambiguous", rc.Role, rc.Role, scope)
		}
		roles[rc.Role] = rc.ID
	}
}

// compileChain validates a decoded chain and builds its immutable form. It
// returns nil when the chain has errors (recorded in pc).
func compileChain(pc *parsedChain, cat *Catalog) *Chain {
	raw := pc.raw
	before := len(pc.errs)
	if !chainIDPattern.MatchString(raw.ID) {
		pc.errorf("$.id", "bad chain id %q (accepted: scope/name in lower case, such as nouvelle-aquitaine/ose)", raw.ID)
	}
	if raw.Version == "" {
		pc.errorf("$.version", "missing version")
	}
	eff, err := time.Parse(time.DateOnly, raw.Effective)
	if err != nil {
		pc.errorf("$.effective", "bad effective date %q (accepted: YYYY-MM-DD)", raw.Effective)
	}
	if raw.Region != "" && cat.contacts[raw.Region] == nil {
		pc.errorf("$.region", "no contacts file for region %q (known scopes: %s)", raw.Region, strings.Join(cat.Scopes(), ", "))
	}
	if raw.Profile != "" && !idPattern.MatchString(raw.Profile) {
		pc.errorf("$.profile", "bad profile %q", raw.Profile)
	}
	pc.optText("$.structure", raw.Structure)
	pc.text("$.title", raw.Title)
	pc.optText("$.description", raw.Description)
	pc.text("$.end", raw.End)
	if raw.Source.Document.IsZero() {
		pc.errorf("$.source", "missing source.document: the document this chain transcribes")
	}
	pc.frenchOnly("$.source.document", "source.document", raw.Source.Document)
	pc.frenchOnly("$.source.ref", "source.ref", raw.Source.Ref)
	pc.frenchOnly("$.source.note", "source.note", raw.Source.Note)
	c := &Chain{
		ID: raw.ID, Version: raw.Version, Effective: eff, Region: raw.Region, Regional: pc.regional(cat), Profile: raw.Profile,
		Structure: raw.Structure, Title: raw.Title, Description: raw.Description, End: raw.End, File: pc.name,
		Source:    Source{Document: raw.Source.Document, Ref: raw.Source.Ref, Note: raw.Source.Note},
		questions: map[string]*Question{}, steps: map[string]*Step{},
	}
	if len(raw.Steps) == 0 {
		pc.errorf("$.steps", "chain %q has no steps", raw.ID)
	}
	// Ids first, so that conditions may name questions defined further down.
	for i, rq := range raw.Questions {
		p := fmt.Sprintf("$.questions[%d]", i)
		if !pc.id(p+".id", "question", rq.ID) {
			continue
		}
		if c.questions[rq.ID] != nil {
			pc.errorf(p+".id", "duplicate question id %q", rq.ID)
			continue
		}
		q := &Question{ID: rq.ID, Text: rq.Text, Help: rq.Help, Feature: rq.Feature, Source: rq.Source}
		q.Answers = []Value{Yes, No, Unknown}
		if len(rq.Answers) > 0 {
			q.Answers = nil
			for j, a := range rq.Answers {
				// oui/non in a file mean yes/no, as they do in commands.
				if pc.id(fmt.Sprintf("%s.answers[%d]", p, j), "answer", a) && !slices.Contains(q.Answers, NormalizeValue(a)) {
					q.Answers = append(q.Answers, NormalizeValue(a))
				}
			}
			if !slices.Contains(q.Answers, Unknown) {
				q.Answers = append(q.Answers, Unknown)
			}
		}
		c.questions[q.ID] = q
		c.Questions = append(c.Questions, q)
	}
	for i, rs := range raw.Steps {
		p := fmt.Sprintf("$.steps[%d]", i)
		if !pc.id(p+".id", "step", rs.ID) {
			continue
		}
		if rs.ID == AnchorT0 {
			pc.errorf(p+".id", "step id %q is reserved for T0", rs.ID)
			continue
		}
		if c.steps[rs.ID] != nil {
			pc.errorf(p+".id", "duplicate step id %q", rs.ID)
			continue
		}
		s := &Step{ID: rs.ID}
		c.steps[s.ID] = s
		c.Steps = append(c.Steps, s)
	}
	done := map[string]bool{} // the first definition of a duplicated id wins
	for i, rq := range raw.Questions {
		p := fmt.Sprintf("$.questions[%d]", i)
		q := c.questions[rq.ID]
		if q == nil || done["q:"+rq.ID] {
			continue
		}
		done["q:"+rq.ID] = true
		pc.text(p+".text", rq.Text)
		pc.optText(p+".help", rq.Help)
		if rq.Source.IsZero() {
			pc.errorf(p, "question %q has no source (accepted: chart, or the outside reference)", rq.ID)
		}
		pc.source(p+".source", rq.Source)
		if rq.Feature != "" {
			pc.id(p+".feature", "feature", rq.Feature)
		}
		q.When = pc.condition(p+".when", rq.When, c)
		q.Reask = pc.duration(p+".reask", rq.Reask)
	}
	orders := map[int]string{} // people name steps by their number: one step per number
	for i, rs := range raw.Steps {
		p := fmt.Sprintf("$.steps[%d]", i)
		s := c.steps[rs.ID]
		if s == nil || done["s:"+rs.ID] {
			continue
		}
		if other, ok := orders[rs.Order]; ok && rs.Order > 0 {
			pc.errorf(p+".order", "steps %q and %q both have order %d (people type the number to name a step: each needs its own)", other, rs.ID, rs.Order)
		}
		orders[rs.Order] = rs.ID
		done["s:"+rs.ID] = true
		pc.compileStep(p, rs, s, c, cat)
	}
	for i, id := range c.Regional {
		if !usesContact(c, id) {
			pc.errorf(fmt.Sprintf("$.regional[%d]", i), "regional contact %q is the recipient of no step", id)
		}
	}
	if len(pc.errs) > before {
		// The graph checks follow references: they need them valid.
		return nil
	}
	pc.checkGraph(c)
	if len(pc.errs) > before {
		return nil
	}
	sort.SliceStable(c.Steps, func(i, j int) bool { return c.Steps[i].Order < c.Steps[j].Order })
	return c
}
