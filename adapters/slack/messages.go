package slack

import (
	"embed"

	"github.com/vigie-sante/vigie/bot/i18n"
)

//go:embed locales/*.toml
var locales embed.FS

// messages are the adapter's own few sentences (locales/fr.toml and
// locales/en.toml); the bot's catalogue speaks for everything else.
var messages = i18n.MustLoad(locales, "locales")
