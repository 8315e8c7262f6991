package bot

import (
	"testing"

	"github.com/vigie-sante/vigie/bot/i18n/i18ntest"
	"github.com/vigie-sante/vigie/bot/incident"
)

func TestMessages(t *testing.T) { i18ntest.Check(t, messages) }

// TestHelpMessages: every command "aide" shows has its syntax and its
// example in the catalogue, in both languages.
func TestHelpMessages(t *testing.T) {
	for _, c := range helpCommands {
		for _, k := range []string{"help.cmd." + c, "help.ex." + c} {
			if !messages.Has(k) {
				t.Errorf("help: %s missing", k)
			}
		}
	}
	for _, m := range incident.Means {
		if !messages.Has("via." + m) {
			t.Errorf("means %s: via.%s missing", m, m)
		}
	}
}
