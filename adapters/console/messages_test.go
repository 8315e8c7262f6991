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

// TestBannerEnglish: at a terminal, the console greets, and refuses a
// number typed as a button, in its language.
func TestBannerEnglish(t *testing.T) {
	for lang, want := range map[bot.Lang][]string{
		"en": {"Vigie — console. \"help\": the commands · Tab: complete", "⚠️ No button [7]: buttons are typed by their letter"},
		"fr": {"Vigie — console. « aide » : les commandes · Tab : compléter", "⚠️ Aucun bouton [7] : les boutons se tapent par leur lettre"},
	} {
		var out bytes.Buffer
		c := New(Options{In: strings.NewReader("7\n"), Out: &out, TTY: true, Lang: lang})
		if err := c.Run(context.Background(), silent{}); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		if !strings.HasPrefix(got, want[0]) || !strings.Contains(got, want[1]) {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}
