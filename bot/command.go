package bot

import (
	"strings"
	"unicode"

	"github.com/vigie-sante/vigie/bot/draft"
)

// command is a parsed command line: "#2026-0001 fait cert-sante via=portail
// ref=CS-1234 appelé le standard".
type command struct {
	incident string            // from "#ID", or ""
	verb     string            // canonical (English) name
	word     string            // as typed
	opts     map[string]string // key=value arguments
	args     []string          // the other words, in order
}

// rest returns the free words joined by spaces: titles, notes, reasons.
func (c *command) rest(from int) string {
	if from >= len(c.args) {
		return ""
	}
	return strings.Join(c.args[from:], " ")
}

// verbs maps every accepted word (French first, English aliases) to the
// canonical verb.
var verbs = map[string]string{
	"ouvrir": "open", "open": "open",
	"statut": "status", "status": "status", "etat": "status", "état": "status",
	"detail": "detail", "détail": "detail", "details": "detail", "détails": "detail",
	"repondre": "answer", "répondre": "answer", "answer": "answer",
	"fait": "done", "done": "done",
	"sans-objet": "na", "na": "na", "sansobjet": "na",
	"rappel": "snooze", "snooze": "snooze", "remind": "snooze",
	"note":     "note",
	"point":    "point",
	"t0":       "t0",
	"exporter": "export", "export": "export",
	"clore": "close", "close": "close",
	"aide": "help", "help": "help",
	"chaine": "chain", "chaîne": "chain", "flow": "chain", "chain": "chain",
	"brouillon": "draft", "draft": "draft",
	"role": "role", "rôle": "role", "roles": "role", "rôles": "role",
	"confirmer": "confirm", "confirm": "confirm",
	"releve": "handover", "relève": "handover", "handover": "handover",
	"message": "message",
	"liste":   "list", "list": "list",
}

// optionKeys are the key=value arguments each verb understands; any other
// word containing "=" is free text (a note may contain "=").
var optionKeys = map[string][]string{
	"open":   {"flow", "t0", "canal", "channel", "exercice", "exercise"},
	"done":   {"via", "ref", "at", "note"},
	"point":  {"conditions", "actions", "besoins", "needs"},
	"export": {"format"},
	"draft":  draft.Options, // the facts of declarations (package draft)
}

// tokenize splits a command line on white space, keeping "double quoted"
// words together (quotes removed). An unclosed quote runs to the end.
func tokenize(s string) []string {
	var (
		out   []string
		cur   strings.Builder
		inQ   bool
		start bool
	)
	for _, r := range s {
		switch {
		case r == '"' || r == '«' || r == '»' || r == '“' || r == '”':
			inQ = !inQ
			start = true
		case unicode.IsSpace(r) && !inQ:
			if start {
				out = append(out, cur.String())
				cur.Reset()
				start = false
			}
		default:
			cur.WriteRune(r)
			start = true
		}
	}
	if start {
		out = append(out, cur.String())
	}
	return out
}

// maxCommandLen bounds what the parser reads: a command is a line, and a
// note of a few kilobytes is plenty.
const maxCommandLen = 16 << 10

// parseCommand reads a command line. Its errors are user-facing.
func parseCommand(line string, lang Lang) (*command, error) {
	if len(line) > maxCommandLen {
		return nil, uerr(EInvalid, lang, "err.too_long", maxCommandLen/1024)
	}
	words := tokenize(line)
	c := &command{opts: map[string]string{}}
	if len(words) > 0 && strings.HasPrefix(words[0], "#") {
		c.incident = strings.TrimPrefix(words[0], "#")
		words = words[1:]
		if c.incident == "" {
			return nil, uerr(EInvalid, lang, "err.empty_id")
		}
	}
	if len(words) == 0 {
		return &command{verb: "help", opts: c.opts, incident: c.incident}, nil
	}
	c.word = words[0]
	verb, ok := verbs[strings.ToLower(words[0])]
	if !ok {
		return nil, uerr(EInvalid, lang, "err.unknown_verb", echo(words[0]))
	}
	c.verb = verb
	keys := optionKeys[verb]
	for _, w := range words[1:] {
		if k, v, found := strings.Cut(w, "="); found && contains(keys, strings.ToLower(k)) {
			k = strings.ToLower(k)
			if _, dup := c.opts[k]; dup {
				return nil, uerr(EInvalid, lang, "err.dup_option", echo(k))
			}
			c.opts[k] = v
			continue
		}
		c.args = append(c.args, w)
	}
	return c, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
