package notice

import (
	"testing"

	"github.com/vigie-sante/vigie/bot/i18n/i18ntest"
)

func TestMessages(t *testing.T) { i18ntest.Check(t, messages) }
