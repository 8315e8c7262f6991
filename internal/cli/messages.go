package cli

import (
	"embed"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

//go:embed locales/*.toml
var locales embed.FS

// messages are the command line's words (locales/fr.toml and
// locales/en.toml): how vigie flows shows the alert chains, and counts.
var messages = i18n.MustLoad(locales, "locales")

// tr returns the message key in lang, formatted with args.
func tr(lang flows.Lang, key string, args ...any) string { return messages.T(lang, key, args...) }

// entries says how many entries a main courante has, in the operator's
// reports, which are in English: "1 entry", "2 entries".
func entries(n int) string { return messages.T(flows.EN, "entries", n) }
