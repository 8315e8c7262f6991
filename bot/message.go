package bot

// The message model is platform-neutral: the bot says what to show, each
// adapter decides how (Block Kit, Mattermost attachments, terminal text).
// Buttons carry an action, which is the typed command they stand for, so
// that a keyboard, a script or a screen reader can do everything a click
// does. Adapters sign actions before sending them to a platform.

// Message is what the bot posts in a channel.
type Message struct {
	Title  string
	Blocks []Block
	// More is the command that shows the message whole ("#2026-0001
	// statut"), for a screen that had to fold it; empty: none says it.
	More string
}

// Block is a section of a message: a heading, lines of text, label/value
// fields and buttons.
type Block struct {
	Title string
	Text  string // lines separated by \n; *word* is emphasis
	// Detail is more text, after Text, that chat platforms show and the
	// terminal leaves to "detail N" (why a step applies, what a question
	// means), so that a screen of 40 lines holds a fresh incident.
	Detail string
	// Keep is how many of Text's first lines a screen that must fold its
	// text to fit never folds away: a pending step's recipients and
	// deadline.
	Keep    int
	Fields  []Field
	Buttons []Button
}

// Body is the block's text with its detail, as chat platforms show it.
func (b Block) Body() string {
	switch {
	case b.Detail == "":
		return b.Text
	case b.Text == "":
		return b.Detail
	}
	return b.Text + "\n" + b.Detail
}

// Field is a label and its value, shown side by side.
type Field struct {
	Label, Value string
}

// Button styles.
const (
	StylePrimary = "primary"
	StyleDanger  = "danger"
)

// Button is a clickable action. Action is the command it runs, such as
// "#2026-0001 repondre malicious yes".
type Button struct {
	Label  string
	Action string
	Style  string
}

// Dialog asks the user for several values at once: the proof of a
// notification, a situation point, a reason. On submission the adapter
// sends an Event whose Text is Action and whose Fields are the values.
type Dialog struct {
	Title  string
	Submit string
	Action string
	Fields []DialogField
}

// DialogField is one input of a dialog.
type DialogField struct {
	Name     string
	Label    string
	Kind     string // "text", "textarea" or "select"
	Options  []Option
	Default  string
	Optional bool
	Help     string
}

// Option is a choice of a select field.
type Option struct {
	Label, Value string
}
