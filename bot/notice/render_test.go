package notice

import (
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// TestLongDate: a press statement's date, the French first of the month
// written "1er", in Paris time (23:30 UTC on 30 November is 1 December).
func TestLongDate(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		lang flows.Lang
		want string
	}{
		{time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), flows.FR, "1er décembre 2026"},
		{time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), flows.EN, "1 December 2026"},
		{time.Date(2026, 8, 23, 1, 10, 0, 0, time.UTC), flows.FR, "23 août 2026"},
	} {
		if got := longDate(tc.at, tc.lang); got != tc.want {
			t.Errorf("longDate(%v, %s) = %q, want %q", tc.at, tc.lang, got, tc.want)
		}
	}
}
