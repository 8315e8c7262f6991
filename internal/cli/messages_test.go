package cli

import (
	"testing"

	"github.com/vigie-sante/vigie/bot/i18n/i18ntest"
)

func TestMessages(t *testing.T) {
	i18ntest.Check(t, messages)
	if entries(1) != "1 entry" || entries(0) != "0 entries" || entries(2) != "2 entries" {
		t.Errorf("entries: %q, %q, %q", entries(0), entries(1), entries(2))
	}
}
