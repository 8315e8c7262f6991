package guard

import (
	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

// tr returns the message key in lang, formatted with args.
func tr(lang flows.Lang, key string, args ...any) string { return messages.T(lang, key, args...) }

// messages are the words that replace a masked identifier.
var messages = i18n.Catalogue{
	"guard.nir_mask": {FR: "[NIR masqué]", EN: "[NIR masked]"},
	"guard.ipp_mask": {FR: "[IPP masqué]", EN: "[IPP masked]"},
}
