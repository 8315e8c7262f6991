package metrics

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

func newTestMetrics() *Metrics {
	return New(noState{}, func(*incident.Incident) *flows.Chain { return nil }, time.Now, slog.New(slog.DiscardHandler))
}

func scrape(m *Metrics) string {
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	return w.Body.String()
}

// series are the names and labels of Vigie's samples in an exposition,
// with their values.
func series(exposition string) map[string]string {
	s := map[string]string{}
	for _, l := range strings.Split(exposition, "\n") {
		if !strings.HasPrefix(l, "vigie_") {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		s[l[:i]] = l[i+1:]
	}
	return s
}

// families are the names of Vigie's families in an exposition.
func families(exposition string) []string {
	var fs []string
	for _, l := range strings.Split(exposition, "\n") {
		if name, ok := strings.CutPrefix(l, "# TYPE vigie_"); ok {
			fs = append(fs, "vigie_"+strings.Fields(name)[0])
		}
	}
	return fs
}

var mattermostPaths = []string{"/mattermost/command", "/mattermost/action", "/mattermost/dialog"}

// observeEverything reports one of every label value the bot and the
// adapters report, and one request on each endpoint and on an unknown
// path.
func observeEverything(m *Metrics) {
	for _, verb := range bot.Verbs() {
		for _, click := range []bool{false, true} {
			for _, outcome := range bot.CommandOutcomes {
				m.Command(verb, click, outcome, time.Millisecond)
			}
		}
	}
	m.Swept(bot.SweepStats{Sent: 1, Late: 1, Failed: 1})
	for _, op := range bot.PlatformOps {
		m.PlatformError(op)
	}
	for _, cause := range bot.OutboxRetryCauses {
		m.OutboxRetry(cause)
	}
	m.ChainBroken()
	m.CardDelivered(time.Second)
	for _, p := range Platforms {
		for _, kind := range bot.AnswerKinds {
			m.Answered(p, kind, time.Millisecond)
		}
	}
	acks := m.Acks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, p := range append(slices.Clone(mattermostPaths), "/mattermost/unknown", "/slack/x", "/") {
		acks.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", p, nil))
	}
}

// TestEveryFamilyAtStart: right after start, /metrics lists every family
// Vigie exports, each with every label value the code reports at zero, so
// that an alert on any of them (a rate of platform errors, of failed
// reminders) can be written and tested before the first occurrence.
func TestEveryFamilyAtStart(t *testing.T) {
	m := newTestMetrics()
	m.Endpoints(mattermostPaths...)
	start := scrape(m)
	got := series(start)
	want := []string{
		"vigie_main_courante_broken_total", "vigie_card_delay_seconds_count",
		"vigie_open_incidents", "vigie_overdue_steps", "vigie_outbox_pending", "vigie_outbox_oldest_seconds",
	}
	for _, verb := range bot.Verbs() {
		for _, source := range []string{"click", "typed"} {
			for _, outcome := range bot.CommandOutcomes {
				want = append(want, fmt.Sprintf(`vigie_commands_total{outcome=%q,source=%q,verb=%q}`, outcome, source, verb))
			}
		}
	}
	for _, result := range []string{"sent", "late", "failed"} {
		want = append(want, fmt.Sprintf(`vigie_reminders_total{result=%q}`, result))
	}
	for _, op := range bot.PlatformOps {
		want = append(want, fmt.Sprintf(`vigie_platform_errors_total{op=%q}`, op))
	}
	for _, cause := range bot.OutboxRetryCauses {
		want = append(want, fmt.Sprintf(`vigie_outbox_retries_total{cause=%q}`, cause))
	}
	for _, e := range append(slices.Clone(mattermostPaths), "other") {
		want = append(want, fmt.Sprintf(`vigie_ack_seconds_count{endpoint=%q}`, e))
	}
	for _, p := range []string{"mattermost", "slack"} {
		for _, kind := range bot.AnswerKinds {
			want = append(want, fmt.Sprintf(`vigie_answer_seconds_count{kind=%q,platform=%q}`, kind, p))
		}
	}
	for _, s := range want {
		if v, ok := got[s]; !ok || v != "0" {
			t.Errorf("/metrics at start: %s = %q, want 0", s, v)
		}
	}
	// One of everything observed: no family, no series appears that was
	// not there at start.
	observeEverything(m)
	after := scrape(m)
	for s := range series(after) {
		if _, ok := got[s]; !ok {
			t.Errorf("%s appeared only after its first observation", s)
		}
	}
	if fs, want := families(start), families(after); !slices.Equal(fs, want) {
		t.Errorf("families at start:\n %v\nafter one of everything:\n %v", fs, want)
	}
}

// TestEndpointsBounded: a path the platform does not serve is timed as
// "other", whatever it is: a scanner cannot make one series per path.
func TestEndpointsBounded(t *testing.T) {
	m := newTestMetrics()
	m.Endpoints(mattermostPaths...)
	acks := m.Acks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, p := range []string{"/mattermost/command", "/mattermost/x1", "/slack/x2", "/wp-login.php"} {
		acks.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", p, nil))
	}
	s := series(scrape(m))
	if v := s[`vigie_ack_seconds_count{endpoint="/mattermost/command"}`]; v != "1" {
		t.Errorf("/mattermost/command timed %s times, want 1", v)
	}
	if v := s[`vigie_ack_seconds_count{endpoint="other"}`]; v != "3" {
		t.Errorf("other timed %s times, want 3", v)
	}
}

// TestFamiliesDocumented: the README's /metrics row names every family
// Vigie exports.
func TestFamiliesDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "| `GET /metrics`") {
			row = l
		}
	}
	if row == "" {
		t.Fatal("README: no row for GET /metrics")
	}
	for _, f := range families(scrape(newTestMetrics())) {
		if !strings.Contains(row, "`"+f+"`") && !strings.Contains(row, "`"+f+"{") {
			t.Errorf("README's /metrics row does not name %s", f)
		}
	}
}
