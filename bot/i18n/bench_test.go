package i18n

import (
	"testing"

	"github.com/vigie-sante/vigie/flows"
)

// BenchmarkT: a message with an argument, as every reply and card line
// pays for it (go-i18n's localizer, then fmt): about 0.4 µs on 2 cores.
func BenchmarkT(b *testing.B) {
	c := Catalogue{}
	for b.Loop() {
		_ = c.T(flows.EN, "time.in", "2 h 05")
	}
}
