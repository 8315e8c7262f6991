package notice

import (
	"embed"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

// tr returns the message key in lang, formatted with args.
func tr(lang flows.Lang, key string, args ...any) string { return messages.T(lang, key, args...) }

//go:embed locales/*.toml
var locales embed.FS

// messages are the words of the messages to stakeholders
// (locales/fr.toml and locales/en.toml).
var messages = i18n.MustLoad(locales, "locales")
