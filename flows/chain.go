package flows

import (
	"fmt"
	"time"
)

// Value is an answer to a question. Questions are yes/no by default, with
// Unknown meaning "not known yet, ask again".
type Value string

// The answers every yes/no question accepts.
const (
	Yes     Value = "yes"
	No      Value = "no"
	Unknown Value = "unknown"
)

// Chain is one compiled version of an alert chain. It is immutable once
// compiled: the bot shares it between incidents without copying.
type Chain struct {
	ID        string
	Version   string
	Effective time.Time // midnight UTC of the effective date
	Region    string
	// Regional are the contacts a national chain takes from where it is
	// deployed (ars, csirt): compiled, its steps name their national
	// stand-ins; Catalog.Deploy binds them to the deployment's region and
	// configuration (deploy.go).
	Regional []string
	Profile  string
	// Structure names, in plain words, the kind of structure that follows
	// this chain ("Professionnel de santé libéral"), as the structure picker
	// offers it. It is zero for a chain that is an authority's own role (the
	// ARS's, the GIP's), which no structure picks.
	Structure   Text
	Title       Text
	Description Text
	End         Text
	Source      Source
	File        string // the file it was loaded from, for messages

	Questions []*Question // in file order
	Steps     []*Step     // sorted by Order, then file order

	questions map[string]*Question
	steps     map[string]*Step
}

// Source is the document a chain transcribes, named in both languages:
// a French title stays French, the words around it are translated.
type Source struct {
	Document Text `json:"document"`
	Ref      Text `json:"ref,omitzero"`
	Note     Text `json:"note,omitzero"`
}

// Question returns the question with that id, or nil.
func (c *Chain) Question(id string) *Question { return c.questions[id] }

// Step returns the step with that id, or nil.
func (c *Chain) Step(id string) *Step { return c.steps[id] }

// Question is something the crisis cell is asked about the incident.
type Question struct {
	ID      string
	Text    Text
	Help    Text
	Answers []Value   // allowed answers; Unknown is always among them
	When    Condition // asked only when it holds
	Feature string    // exists only when this switch is on
	Reask   time.Duration
	Source  Text // "chart" (IsChart), or the outside reference it rests on
}

// Allows reports whether v is one of the question's answers.
func (q *Question) Allows(v Value) bool {
	for _, a := range q.Answers {
		if a == v {
			return true
		}
	}
	return false
}

// Step is one notification or action the chain may require.
type Step struct {
	ID         string
	Order      int
	Group      Text
	Title      Text
	Action     Text
	Recipients []Recipient
	AnyOf      bool // one recipient suffices (police OR gendarmerie)
	When       Condition
	Feature    string
	Deadline   Deadline
	Remind     Remind
	// Owner is the key of the crisis cell's role that answers for the
	// step ("dpo" for the CNIL): its reminders call that role's holder.
	// The roles are the deployment's, not the chain's: a key no role has
	// calls the channel, and vigie doctor says so.
	Owner  string
	Basis  Text
	Source Text // "chart" (IsChart), or the outside reference it rests on
	Note   Text
	// NotRequired is, by question id, why the step is not required when
	// that question's answer leaves it out ("risque non élevé — RGPD art.
	// 34.1 ; …"); Plan.LeftOut carries the one that applies.
	NotRequired map[string]Text
}

// FromChart reports whether the step is drawn on the chain's source document.
func (s *Step) FromChart() bool { return IsChart(s.Source) }

// SourceChart is the source of items drawn on the chain's own document.
const SourceChart = "chart"

// IsChart reports whether src is SourceChart: a keyword of the files, not
// a text, so that screens write "the chart" in their own words.
func IsChart(src Text) bool { return src.FR == SourceChart }

// Charted reports whether the chain transcribes one document item by
// item, a regional chart or the 2016 text of D1111-16-3, so that each of
// its questions and steps is on that document (source: chart) or added
// with an outside reference, which screens mark "hors schéma". A national
// chain built from several texts has no such document: every item cites
// the text it rests on, and calling any of them "off the chart" would
// suggest a chart that does not exist.
func (c *Chain) Charted() bool {
	for _, q := range c.Questions {
		if IsChart(q.Source) {
			return true
		}
	}
	for _, s := range c.Steps {
		if s.FromChart() {
			return true
		}
	}
	return false
}

// Recipient is a contact and the means of reaching it that apply to a step.
type Recipient struct {
	Contact *Contact
	Means   []Means
}

// Contact is an authority or service to notify.
type Contact struct {
	ID    string
	Scope string // "national", a region id, or ScopeDeployment
	// Role is the regional contact a region's contact stands for when its
	// id differs (cric-na is the csirt of Nouvelle-Aquitaine).
	Role   string
	Name   Text
	About  Text
	Means  []Means
	Source Text
	// Reference is, for a contact on the chart (Source "chart"), its own
	// public page or text: a chain with no chart (a national chain) cites
	// it rather than a region's chart. Zero when Source already is one.
	Reference Text
	// Checked is the day its means were last compared with its source
	// (midnight UTC): a number or an address changes, and a reflex sheet
	// says how old its contacts are.
	Checked time.Time
}

// Means is one way of reaching a contact.
type Means struct {
	Kind string `json:"kind"`
	// Value is the address, number or URL, the same in both languages
	// (Value.FR, which In falls back to); for a channel described in words
	// (kind other or post), those words in each language.
	Value    Text `json:"value"`
	Label    Text `json:"label,omitzero"`
	Fallback bool `json:"fallback,omitempty"`
	Source   Text `json:"source,omitzero"`
}

// Address is the means' value as it identifies the means: the address or
// number itself, which reads the same in every language (the French words
// for a channel described in words).
func (m Means) Address() string { return m.Value.FR }

// MeansKinds lists the accepted kinds of means.
// "other" is a channel described in words (the structure's own register,
// the insurer named in the policy), not an address.
var MeansKinds = []string{"portal", "form", "web", "email", "phone", "post", "chat", "other"}

// Condition is a conjunction of answers: every clause must hold.
type Condition []Clause

// Clause says that question Key must be answered Value.
type Clause struct {
	Key   string `json:"key"`
	Value Value  `json:"value"`
}

// DeadlineKind tells how a step's due instant is computed.
type DeadlineKind int

// The kinds of deadline.
const (
	// Immediate ("sans délai") is due when the step became required.
	Immediate DeadlineKind = iota
	// After is due Offset after T0 or after another step was done.
	After
	// None has no fixed instant ("dans les meilleurs délais").
	None
)

// Deadline says when a step is due.
type Deadline struct {
	Kind   DeadlineKind
	Anchor string // "t0" or a step id, for After
	// Offset is the elapsed time after the anchor; Months, calendar months
	// (AddMonths), for a deadline such as "one month after the
	// notification". A deadline has one or the other.
	Offset time.Duration
	Months int
}

// From returns the instant an After deadline falls when its anchor is at
// the given instant: anchor + Months calendar months + Offset, in UTC.
func (d Deadline) From(anchor time.Time) time.Time {
	return AddMonths(anchor, d.Months).Add(d.Offset).UTC()
}

// OffsetString writes the offset as chain files do: "72h", "30d", "1mo".
func (d Deadline) OffsetString() string {
	if d.Months > 0 {
		return fmt.Sprintf("%dmo", d.Months)
	}
	return FormatDuration(d.Offset)
}

// AnchorT0 is the anchor of deadlines counted from T0, the prise de
// connaissance.
const AnchorT0 = "t0"

// String writes the deadline as it is written in chain files.
func (d Deadline) String() string {
	switch d.Kind {
	case Immediate:
		return "immediate"
	case None:
		return "none"
	}
	return d.Anchor + "+" + d.OffsetString()
}

// Remind is a step's reminder cadence. The reminder scheduler reads it; the
// evaluator only carries it.
type Remind struct {
	Every         time.Duration
	EscalateAfter time.Duration
	At            []time.Duration // offsets from the deadline's anchor
	Source        Text
}
