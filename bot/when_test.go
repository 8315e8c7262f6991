package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// TestParseWhenTimeOfDay: a time of day is today's; yesterday's only when
// today's is still to come and yesterday's is within a night; a later
// time today is refused as in the future, saying how to give another day.
func TestParseWhenTimeOfDay(t *testing.T) {
	paris := func(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, incident.Paris) }
	for _, tc := range []struct {
		now   time.Time
		typed string
		want  time.Time // zero: refused
		err   string
	}{
		{paris(3, 14, 43), "14:00", paris(3, 14, 0), ""},
		{paris(3, 14, 43), "14:44", paris(3, 14, 44), ""}, // within the clock skew
		{paris(3, 14, 43), "2h10", paris(3, 2, 10), ""},
		{paris(3, 0, 30), "23:50", paris(2, 23, 50), ""}, // the night crossed midnight
		{paris(3, 8, 0), "22:00", paris(2, 22, 0), ""},   // 10 h ago
		{paris(3, 14, 43), "16:00", time.Time{}, "L'heure « 16:00 » est encore à venir aujourd'hui (il est 03/12/2026 14:43)"},
		{paris(3, 14, 43), "16:00", time.Time{}, "par exemple 02/12/2026 16:00"},
		{paris(3, 11, 30), "23:00", time.Time{}, "encore à venir"}, // yesterday's is 12 h 30 ago
		{paris(3, 14, 43), "2030-01-01T00:00:00Z", time.Time{}, "L'heure « 2030-01-01T00:00:00Z » est dans le futur"},
		{paris(3, 14, 43), "02/12/2026 16:00", paris(2, 16, 0), ""}, // what the message suggests
	} {
		got, err := parseWhen(tc.typed, tc.now.UTC(), "fr")
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("at %v, %q: %v", tc.now, tc.typed, err)
		case tc.err == "" && !got.Equal(tc.want):
			t.Errorf("at %v, %q read as %v, want %v", tc.now, tc.typed, got.In(incident.Paris), tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("at %v, %q: got %v, %v; want an error containing %q", tc.now, tc.typed, got, err, tc.err)
		}
	}
	_, err := parseWhen("16:00", paris(3, 14, 43).UTC(), "en")
	if err == nil || !strings.Contains(err.Error(), `Time "16:00" is still to come today (it is 2026-12-03 14:43)`) || !strings.Contains(err.Error(), "2026-12-02 16:00") {
		t.Errorf("in English: %v", err)
	}
}
