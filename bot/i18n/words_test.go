package i18n_test

import (
	"testing"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/i18n/i18ntest"
)

// TestWordsRender: every shared word renders in both languages without
// the other's marks. (Which code names them is seen room by room: they
// are asked for from every package.)
func TestWordsRender(t *testing.T) {
	for _, p := range i18ntest.Render(i18n.Words()) {
		t.Error(p)
	}
}
