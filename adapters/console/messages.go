package console

import (
	"embed"

	"github.com/vigie-sante/vigie/bot/i18n"
)

//go:embed locales/*.toml
var locales embed.FS

// messages are the console's own words (locales/fr.toml and
// locales/en.toml): its banner, its refusals, how it lays out a field.
// The bot's catalogue speaks for everything else.
var messages = i18n.MustLoad(locales, "locales")

// tr returns the message key in the console's language, formatted with
// args.
func (c *Console) tr(key string, args ...any) string { return messages.T(c.opt.Lang, key, args...) }
