package console

import (
	"strings"
)

// colon separates a label from its value: with a space before it in
// French, without in English.
func (c *Console) colon() string { return c.tr("colon") }

// cancelWords drop a form; quitWords leave the console.
var (
	cancelWords = []string{"annuler", "cancel", "."}
	quitWords   = []string{"quitter", "quit"}
	yesWords    = []string{"o", "oui", "y", "yes"}
	noWords     = []string{"n", "non", "no"}
)

func isWord(list []string, s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, w := range list {
		if s == w {
			return true
		}
	}
	return false
}
