package metrics

import (
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

func TestOverdue(t *testing.T) {
	due := time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)
	immediate := &flows.Step{Deadline: flows.Deadline{Kind: flows.Immediate}, Remind: flows.Remind{EscalateAfter: time.Hour}}
	hours := &flows.Step{Deadline: flows.Deadline{Kind: flows.After, Anchor: "t0", Offset: 72 * time.Hour}}
	for _, tc := range []struct {
		name string
		p    flows.Planned
		at   time.Duration
		want bool
	}{
		{"sans délai, within its escalation delay", flows.Planned{Step: immediate, Due: due}, 59 * time.Minute, false},
		{"sans délai, past it", flows.Planned{Step: immediate, Due: due}, 61 * time.Minute, true},
		{"72 h deadline, before", flows.Planned{Step: hours, Due: due}, -time.Minute, false},
		{"72 h deadline, after", flows.Planned{Step: hours, Due: due}, time.Minute, true},
		{"no fixed instant", flows.Planned{Step: hours}, 1000 * time.Hour, false},
	} {
		if got := Overdue(tc.p, due.Add(tc.at)); got != tc.want {
			t.Errorf("%s: Overdue = %v, want %v", tc.name, got, tc.want)
		}
	}
}
