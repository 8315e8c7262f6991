package cli

import (
	"embed"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

//go:embed locales/*.toml
var locales embed.FS

// messages are the command line's words that depend on a count
// (locales/fr.toml and locales/en.toml).
var messages = i18n.MustLoad(locales, "locales")

// entries says how many entries a main courante has, in the operator's
// reports, which are in English: "1 entry", "2 entries".
func entries(n int) string { return messages.T(flows.EN, "entries", n) }
