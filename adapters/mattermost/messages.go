package mattermost

import (
	"embed"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/i18n"
)

//go:embed locales/*.toml
var locales embed.FS

// messages are the adapter's own words to people (locales/fr.toml and
// locales/en.toml): refusals of what did not come from Vigie, and platform
// trouble. The bot's catalogue speaks for everything else.
var messages = i18n.MustLoad(locales, "locales")

// msg returns the message key in lang, the person's language (see
// people.go), or the adapter's when lang is empty.
func (a *Adapter) msg(lang bot.Lang, key string, args ...any) string {
	if lang == "" {
		lang = a.opt.Lang
	}
	return messages.T(lang, key, args...)
}
