package report

import (
	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

// tr returns the catalogue message key in lang, formatted with args.
func tr(lang flows.Lang, key string, args ...any) string { return i18n.T(lang, key, args...) }
