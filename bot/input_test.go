package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// TestControlCharactersRefused: text that could fool whoever reads the
// main courante later (terminal escapes, NUL, backspaces, bidi overrides
// and isolates, C1 controls, invalid UTF-8) is refused in every typed
// field, with its position, and nothing changes.
func TestControlCharactersRefused(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(10 * time.Minute)
	h.ok("repondre malicious oui")
	bads := []struct{ name, s, what string }{
		{"ESC sequence", "\x1b[2J", "ESC"},
		{"NUL", "a\x00b", "NUL"},
		{"backspace", "fait\b\b\b\bpas fait", "U+0008"},
		{"bell", "\a", "U+0007"},
		{"delete", "\x7f", "U+007F"},
		{"C1 next line", "\u0085", "U+0085"},
		{"right-to-left override", "\u202e01:30", "U+202E"},
		{"left-to-right embedding", "\u202a", "U+202A"},
		{"first strong isolate", "\u2068", "U+2068"},
		{"pop directional isolate", "\u2069", "U+2069"},
		{"invalid UTF-8", "caf\xe9", "0xE9"},
	}
	fields := []struct {
		name string
		cmd  func(bad string) string
		pos  int // position of the bad text's first character in the command
	}{
		{"note", func(bad string) string { return "note x" + bad }, 7},
		{"time", func(bad string) string { return "#2026-0001 t0 " + bad }, 15},
		{"title", func(bad string) string { return "ouvrir Panne " + bad }, 14},
		{"reference", func(bad string) string { return "fait cert-sante via=portail ref=" + bad }, 33},
		{"reason", func(bad string) string { return "sans-objet plainte " + bad }, 20},
		{"point", func(bad string) string { return `point conditions="` + bad + `"` }, 19},
		{"fact", func(bad string) string { return "brouillon cnil nature=" + bad }, 23},
	}
	for _, f := range fields {
		for _, b := range bads {
			t.Run(f.name+"/"+b.name, func(t *testing.T) {
				before := h.snapshot("2026-0001")
				cmd := f.cmd(b.s)
				r := h.do(cmd)
				if !r.Error || !strings.Contains(r.Text, b.what) || !strings.Contains(r.Text, "position ") || !strings.Contains(r.Text, "Rien n'a été enregistré") {
					t.Fatalf("%q: reply %q; want a refusal naming %s and its position", cmd, r.Text, b.what)
				}
				if after := h.snapshot("2026-0001"); after != before {
					t.Fatalf("%q changed the incident", cmd)
				}
			})
		}
	}
	// The position is the offending character's, counted in characters.
	if r := h.do("note éé\x1b"); !strings.Contains(r.Text, "position 8") {
		t.Errorf("position of ESC after two accented letters: %q", r.Text)
	}
	// A dialog's field is named.
	r := h.bot.Handle(context.Background(), bot.Event{Channel: "crise", User: h.user, Text: "#2026-0001 point",
		Fields: map[string]string{"conditions": "ok\u202e"}})
	if !r.Error || !strings.Contains(r.Text, "« conditions »") || !strings.Contains(r.Text, "position 3") {
		t.Errorf("dialog field: %q", r.Text)
	}
}

// TestTextThatIsText: tabs, line breaks, emoji and accents are text; a
// dialog's CR LF is a line break.
func TestTextThatIsText(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	r := h.bot.Handle(context.Background(), bot.Event{Channel: "crise", User: h.user, Text: "#2026-0001 point",
		Fields: map[string]string{"conditions": "PACS arrêté\r\nbascule papier\t🚑 « ok »"}})
	if r.Error {
		t.Fatalf("refused: %s", r.Text)
	}
	es := h.entries("2026-0001")
	if got := es[len(es)-1].Data["conditions"]; got != "PACS arrêté\nbascule papier\t🚑 « ok »" {
		t.Errorf("stored %q", got)
	}
}

// TestEchoAndLimits: input quoted back is cut; every field has its limit.
func TestEchoAndLimits(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(10 * time.Minute)
	long := strings.Repeat("9", 100_000)
	for _, cmd := range []string{"#" + long[:12000] + " statut", long[:12000], "fait " + long[:12000] + " via=portail",
		"exporter " + long[:12000], "repondre malicious " + long[:12000], "ouvrir x flow=" + long[:12000]} {
		r := h.do(cmd)
		if !r.Error || len(r.Text) > 1200 {
			t.Errorf("%.30q…: reply of %d bytes: %.200q", cmd, len(r.Text), r.Text)
		}
	}
	for _, tc := range []struct{ cmd, want string }{
		{"fait cert-sante via=portail ref=" + strings.Repeat("r", 201), "Référence trop longue (200 caractères au plus)"},
		{"sans-objet plainte " + strings.Repeat("r", 4001), "Raison trop longue (4000 caractères au plus)"},
		{"fait cert-sante via=portail " + strings.Repeat("n", 4001), "Note trop longue"},
		{long[:20000], "Commande trop longue"},
	} {
		before := h.snapshot("2026-0001")
		if r := h.do(tc.cmd); !r.Error || !strings.Contains(r.Text, tc.want) {
			t.Errorf("%.40q…: %q, want %q", tc.cmd, r.Text, tc.want)
		}
		if h.snapshot("2026-0001") != before {
			t.Errorf("%.40q… changed the incident", tc.cmd)
		}
	}
	// A display name is shown as text, never as controls.
	h.user = incident.User{ID: "u9", Name: "dg\u202e\x1b[31m"}
	h.ok("note bonjour")
	if es := h.entries("2026-0001"); strings.ContainsAny(es[len(es)-1].Actor, "\u202e\x1b") {
		t.Errorf("actor stored as %q", es[len(es)-1].Actor)
	}
}

// TestPointPartsLimited: each part of a situation point has the limit of a
// note.
func TestPointPartsLimited(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	before := h.snapshot("2026-0001")
	for _, k := range []string{"conditions", "actions", "besoins"} {
		if r := h.do("point " + k + `="` + strings.Repeat("é", 4001) + `"`); !r.Error || !strings.Contains(r.Text, "« "+k+" » est trop long (4000 caractères au plus)") {
			t.Errorf("%s of 4001 characters: %q", k, r.Text)
		}
	}
	if h.snapshot("2026-0001") != before {
		t.Error("a refused point changed the incident")
	}
}
