package metrics

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
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

// noState is a Source with nothing in it.
type noState struct{}

func (noState) Open(context.Context, string) ([]*incident.Incident, error) { return nil, nil }
func (noState) Owed(context.Context) ([]string, error)                     { return nil, nil }
func (noState) Incident(context.Context, string) (*incident.Incident, error) {
	return nil, incident.ErrNotFound
}
func (noState) Entries(context.Context, string, uint64, int) ([]incident.Entry, error) {
	return nil, nil
}

// TestRepeatsCounted: a repeated click is counted under its verb with
// outcome="repeat", beside the clicks that acted.
func TestRepeatsCounted(t *testing.T) {
	m := New(noState{}, func(*incident.Incident) *flows.Chain { return nil }, time.Now, slog.New(slog.DiscardHandler))
	m.Command("snooze", true, "ok", time.Millisecond)
	m.Command("snooze", true, "repeat", 0)
	m.Command("snooze", true, "repeat", 0)
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`vigie_commands_total{outcome="ok",source="click",verb="snooze"} 1`,
		`vigie_commands_total{outcome="repeat",source="click",verb="snooze"} 2`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestAnswersTimed: what a person waits for is a histogram by platform
// and kind, listed at zero before the first answer (an alert on it can be
// written on the first day), then counting the answers reported.
func TestAnswersTimed(t *testing.T) {
	m := New(noState{}, func(*incident.Incident) *flows.Chain { return nil }, time.Now, slog.New(slog.DiscardHandler))
	scrape := func() string {
		w := httptest.NewRecorder()
		m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
		return w.Body.String()
	}
	before := scrape()
	for _, platform := range []string{"mattermost", "slack"} {
		for _, kind := range AnswerKinds {
			if want := `vigie_answer_seconds_count{kind="` + kind + `",platform="` + platform + `"} 0`; !strings.Contains(before, want) {
				t.Errorf("/metrics at start lacks %q", want)
			}
		}
	}
	m.Answered("slack", "click", 30*time.Millisecond)
	m.Answered("slack", "click", 3*time.Second)
	after := scrape()
	for _, want := range []string{
		`vigie_answer_seconds_count{kind="click",platform="slack"} 2`,
		`vigie_answer_seconds_bucket{kind="click",platform="slack",le="0.05"} 1`,
		`vigie_answer_seconds_bucket{kind="click",platform="slack",le="5"} 2`,
		`vigie_answer_seconds_count{kind="command",platform="slack"} 0`,
	} {
		if !strings.Contains(after, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
