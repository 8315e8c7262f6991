package flows

// This file holds the YAML schema: the raw shapes decoded strictly from the
// files under flows/builtin (and any file given to `vigie flows validate`).
// They are checked by compile.go and graphcheck.go and compiled into the immutable types of
// chain.go; nothing outside this package sees them.

// rawHeader is read first to know what a file holds.
type rawHeader struct {
	Kind string `yaml:"kind"`
}

// rawContacts is a contacts file: kind "contacts", scope "national" or a
// region id such as "nouvelle-aquitaine".
type rawContacts struct {
	Kind  string `yaml:"kind"`
	Scope string `yaml:"scope"`
	// Source says where the file's list comes from, for whoever edits it;
	// each contact carries its own source, which screens show.
	Source   string       `yaml:"source"`
	Contacts []rawContact `yaml:"contacts"`
}

type rawContact struct {
	ID     string     `yaml:"id"`
	Role   string     `yaml:"role"`
	Name   Text       `yaml:"name"`
	About  Text       `yaml:"about"`
	Means  []rawMeans `yaml:"means"`
	Source Text       `yaml:"source"`
	// Reference is, for a contact whose source is the chart, the public
	// page or text that gives its means, cited where no chart is (the
	// national chains).
	Reference Text   `yaml:"reference"`
	Checked   string `yaml:"checked"`
}

// rawMeans is one way of reaching a contact. Kind is one of MeansKinds.
// Value is an address (a plain string, the same in both languages) or,
// for a channel described in words, a text in both.
type rawMeans struct {
	Kind     string `yaml:"kind"`
	Value    Text   `yaml:"value"`
	Label    Text   `yaml:"label"`
	Fallback bool   `yaml:"fallback"`
	Source   Text   `yaml:"source"`
}

// rawChain is a chain file: kind "chain".
type rawChain struct {
	Kind        string        `yaml:"kind"`
	ID          string        `yaml:"id"`
	Version     string        `yaml:"version"`
	Effective   string        `yaml:"effective"`
	Region      string        `yaml:"region"`
	Regional    []string      `yaml:"regional"`
	Profile     string        `yaml:"profile"`
	Structure   Text          `yaml:"structure"`
	Title       Text          `yaml:"title"`
	Description Text          `yaml:"description"`
	Source      rawSource     `yaml:"source"`
	Questions   []rawQuestion `yaml:"questions"`
	Steps       []rawStep     `yaml:"steps"`
	End         Text          `yaml:"end"`
}

type rawSource struct {
	Document Text `yaml:"document"`
	Ref      Text `yaml:"ref"`
	Note     Text `yaml:"note"`
}

type rawQuestion struct {
	ID      string            `yaml:"id"`
	Text    Text              `yaml:"text"`
	Help    Text              `yaml:"help"`
	Answers []string          `yaml:"answers"`
	When    map[string]string `yaml:"when"`
	Feature string            `yaml:"feature"`
	Reask   string            `yaml:"reask"`
	Source  Text              `yaml:"source"`
}

type rawStep struct {
	ID          string            `yaml:"id"`
	Order       int               `yaml:"order"`
	Group       Text              `yaml:"group"`
	Title       Text              `yaml:"title"`
	Action      Text              `yaml:"action"`
	Recipients  []rawRecipient    `yaml:"recipients"`
	Choose      string            `yaml:"choose"`
	When        map[string]string `yaml:"when"`
	Feature     string            `yaml:"feature"`
	Deadline    string            `yaml:"deadline"`
	Remind      rawRemind         `yaml:"remind"`
	Owner       string            `yaml:"owner"`
	Basis       Text              `yaml:"basis"`
	Source      Text              `yaml:"source"`
	Note        Text              `yaml:"note"`
	NotRequired map[string]Text   `yaml:"not_required"`
}

type rawRecipient struct {
	Contact string   `yaml:"contact"`
	Means   []string `yaml:"means"`
}

type rawRemind struct {
	Every         string   `yaml:"every"`
	EscalateAfter string   `yaml:"escalate_after"`
	At            []string `yaml:"at"`
	Source        Text     `yaml:"source"`
}
