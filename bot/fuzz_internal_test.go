package bot

import (
	"errors"
	"testing"
	"time"
	"unicode/utf8"
)

// The parsers of what people type: none may panic; what they accept is
// what the handlers rely on.

// FuzzParseCommand: a parsed command has a known verb (or help), options
// only of its verb, and a typed command written back parses alike.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"#2026-0001 fait cert-sante via=portail ref=CS-1234 appelé le standard",
		`point conditions="PACS arrêté" actions="bascule" besoins=renfort`, "ouvrir « Rançongiciel » t0=02:10",
		"#", "# statut", `note "non fermé`, "FAIT cert-sante VIA=email via=portail", "brouillon cnil périmètre=x scope=y", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := parseCommand(line, "fr")
		if err != nil {
			var ue *Error
			if !errors.As(err, &ue) || ue.Message == "" {
				t.Fatalf("%q: error %v is not a user error", line, err)
			}
			return
		}
		if c.verb != "help" && verbs[c.verb] != c.verb {
			t.Fatalf("%q: verb %q", line, c.verb)
		}
		for k := range c.opts {
			if !contains(optionKeys[c.verb], k) {
				t.Fatalf("%q: option %q is not one of %s", line, k, c.verb)
			}
		}
		if c.verb == "help" || c.word == "" {
			return
		}
		again, err := parseCommand(commandLine(c), "fr")
		if err != nil || again.verb != c.verb || again.incident != c.incident || len(again.opts) != len(c.opts) {
			t.Fatalf("%q written back as %q parses as %+v, %v", line, commandLine(c), again, err)
		}
	})
}

// FuzzParseWhen: a time people type is refused with a user error, or is
// a time in the past (give or take the clock skew) of this century.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"02:10", "2h10", "23h", "2026-11-23T02:10", "28/03/2026 10:00", "2026-11-23T02:10:00+01:00",
		"25:99", "hier", "-1:-1", "2026-13-45T99:99", "0001-01-01T00:00:00Z", "99999-01-01T00:00:00Z"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseWhen(s, now, "fr")
		if err != nil {
			var ue *Error
			if !errors.As(err, &ue) {
				t.Fatalf("%q: error %v is not a user error", s, err)
			}
			return
		}
		if got.After(now.Add(skew)) || got.Year() < 2000 {
			t.Fatalf("%q read as %v", s, got)
		}
	})
}

// FuzzCleanInput: what cleanInput lets through is UTF-8 with no control
// character but line breaks and tabs, and no bidi control.
func FuzzCleanInput(f *testing.F) {
	for _, s := range []string{"PACS arrêté\r\nbascule\t🚑", "\x1b[2J", "a\x00b", "\u202e01:30", "caf\xe9", "\u2066x\u2069"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := cleanInput(s, "", "fr")
		if err != nil {
			return
		}
		if !utf8.ValidString(out) {
			t.Fatalf("%q let through as invalid UTF-8", s)
		}
		for _, r := range out {
			if badRune(r, "fr") != "" || r == '\r' {
				t.Fatalf("%q let %U through", s, r)
			}
		}
	})
}
