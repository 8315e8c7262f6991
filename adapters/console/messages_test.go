package console

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/i18n/i18ntest"
)

func TestMessages(t *testing.T) { i18ntest.Check(t, messages) }

type silent struct{}

func (silent) Handle(context.Context, bot.Event) bot.Reply { return bot.Reply{} }

// TestBannerEnglish: at a terminal, the console greets in its language.
func TestBannerEnglish(t *testing.T) {
	for lang, want := range map[bot.Lang]string{
		"en": "Vigie — console. Type \"help\" for the commands, Ctrl-D to quit.\n\nvigie> ⚠️ No button [7] shown.\n\n",
		"fr": "Vigie — console. Tapez « aide » pour les commandes, Ctrl-D pour quitter.\n\nvigie> ⚠️ Aucun bouton [7] affiché.\n\n",
	} {
		var out bytes.Buffer
		c := New(Options{In: strings.NewReader("7\n"), Out: &out, TTY: true, Lang: lang})
		if err := c.Run(context.Background(), silent{}); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}
