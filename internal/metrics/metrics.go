// Package metrics exposes Vigie's Prometheus metrics: commands and clicks,
// reminders sent, late and failed, platform errors, acknowledgement
// latency, open incidents and overdue steps. prometheus/client_golang is
// the reference client; writing the exposition format by hand would be
// code of ours doing a well-kept library's job.
//
// Every family is listed from the start with each label value the code
// reports at zero (the lists of bot/observe.go, the platforms, the
// endpoints the platform serves), so that an alert on any of them can be
// written, loaded and tested before the first occurrence: alerts.yml
// holds the rules worth loading.
//
// It implements the conversation's Observer (bot); it must not import an
// adapter, a store or the command line.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Metrics is a bot.Observer feeding a Prometheus registry.
type Metrics struct {
	reg       *prometheus.Registry
	endpoints atomic.Pointer[[]string] // the paths the platform serves (Endpoints)
	commands  *prometheus.CounterVec
	nags      *prometheus.CounterVec
	platform  *prometheus.CounterVec
	broken    prometheus.Counter
	ack       *prometheus.HistogramVec
	answer    *prometheus.HistogramVec
	card      prometheus.Histogram
	retries   *prometheus.CounterVec
}

var _ bot.Observer = (*Metrics)(nil)

// Source is what the gauges read at scrape time.
type Source interface {
	Open(ctx context.Context, channel string) ([]*incident.Incident, error)
	Owed(ctx context.Context) ([]string, error)
	Incident(ctx context.Context, id string) (*incident.Incident, error)
	Entries(ctx context.Context, id string, after uint64, limit int) ([]incident.Entry, error)
}

// ChainOf finds the pinned chain of an incident (nil when none).
type ChainOf func(inc *incident.Incident) *flows.Chain

// New returns the metrics, with gauges of open incidents and overdue
// steps computed from src when Prometheus scrapes.
func New(src Source, chainOf ChainOf, now func() time.Time, log *slog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_commands_total", Help: "Commands and clicks handled, by verb, source (typed or click) and outcome (ok, refused, error, repeat: a click already taken into account).",
		}, []string{"verb", "source", "outcome"}),
		nags: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_reminders_total", Help: "Reminders by result: sent, late (sent after their scheduled time), failed (incidents whose post failed).",
		}, []string{"result"}),
		platform: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_platform_errors_total", Help: "Failed calls to the chat platform, by operation.",
		}, []string{"op"}),
		broken: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigie_main_courante_broken_total", Help: "Incidents found with a stored main courante that does not verify (altered or removed entries); each refuses new entries.",
		}),
		card: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "vigie_card_delay_seconds", Help: "From an acknowledged change to its card and checklist shown in the channel.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_outbox_retries_total", Help: "Card deliveries that failed and will be retried, by cause (rate_limited, temporary, other).",
		}, []string{"cause"}),
		ack: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vigie_ack_seconds", Help: "Time to acknowledge a platform request (slash command, click, dialog), by endpoint.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"endpoint"}),
		answer: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vigie_answer_seconds", Help: "From a request received to the answer shown to the person who sent it (on the acknowledgement, or posted after it), by platform and kind (command, click, form).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"platform", "kind"}),
	}
	// At zero from the start: an alert can be written before the first
	// occurrence.
	for _, verb := range bot.Verbs() {
		for _, source := range sources {
			for _, outcome := range bot.CommandOutcomes {
				m.commands.WithLabelValues(verb, source, outcome)
			}
		}
	}
	for _, r := range reminderResults {
		m.nags.WithLabelValues(r.result)
	}
	for _, op := range bot.PlatformOps {
		m.platform.WithLabelValues(op)
	}
	for _, cause := range bot.OutboxRetryCauses {
		m.retries.WithLabelValues(cause)
	}
	m.ack.WithLabelValues(otherEndpoint) // the platform's own, once it is built (Endpoints)
	for _, platform := range Platforms {
		for _, kind := range AnswerKinds {
			m.answer.WithLabelValues(platform, kind)
		}
	}
	m.reg.MustRegister(m.commands, m.nags, m.platform, m.broken, m.ack, m.answer, m.card, m.retries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&stateCollector{src: src, chainOf: chainOf, now: now, log: log})
	return m
}

// AnswerKinds are the kinds of request Answered reports.
var AnswerKinds = bot.AnswerKinds

// Platforms are the platforms Answered reports: those serve can run.
var Platforms = []string{"mattermost", "slack"}

// sources are where a command came from: typed, or a button.
var sources = []string{"typed", "click"}

// reminderResults are vigie_reminders_total's results, each read from a
// sweep's stats.
var reminderResults = []struct {
	result string
	n      func(bot.SweepStats) int
}{
	{"sent", func(st bot.SweepStats) int { return st.Sent }},
	{"late", func(st bot.SweepStats) int { return st.Late }},
	{"failed", func(st bot.SweepStats) int { return st.Failed }},
}

// Answered records what a person waited for: from their request received
// by Vigie to the answer shown to them, on platform. The adapters report
// it (mattermost.Options.Answered, slack.Options.Answered): only they know
// whether the acknowledgement carried the answer or it followed.
func (m *Metrics) Answered(platform, kind string, d time.Duration) {
	m.answer.WithLabelValues(platform, kind).Observe(d.Seconds())
}

// Command implements bot.Observer.
func (m *Metrics) Command(verb string, click bool, outcome string, d time.Duration) {
	source := sources[0]
	if click {
		source = sources[1]
	}
	m.commands.WithLabelValues(verb, source, outcome).Inc()
}

// Swept implements bot.Observer.
func (m *Metrics) Swept(st bot.SweepStats) {
	for _, r := range reminderResults {
		m.nags.WithLabelValues(r.result).Add(float64(r.n(st)))
	}
}

// PlatformError implements bot.Observer.
func (m *Metrics) PlatformError(op string) { m.platform.WithLabelValues(op).Inc() }

// CardDelivered implements bot.Observer.
func (m *Metrics) CardDelivered(d time.Duration) { m.card.Observe(d.Seconds()) }

// OutboxRetry implements bot.Observer.
func (m *Metrics) OutboxRetry(cause string) { m.retries.WithLabelValues(cause).Inc() }

// ChainBroken implements bot.Observer.
func (m *Metrics) ChainBroken() { m.broken.Inc() }

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// stateCollector computes the gauges from the store at scrape time, so
// they are right after a restart.
type stateCollector struct {
	src     Source
	chainOf ChainOf
	now     func() time.Time
	log     *slog.Logger
}

var (
	openDesc    = prometheus.NewDesc("vigie_open_incidents", "Incidents open.", nil, nil)
	overdueDesc = prometheus.NewDesc("vigie_overdue_steps", "Mandatory steps past their deadline and not done, over open incidents.", nil, nil)
	owedDesc    = prometheus.NewDesc("vigie_outbox_pending", "Incidents whose channel is owed their card and checklist.", nil, nil)
	oldestDesc  = prometheus.NewDesc("vigie_outbox_oldest_seconds", "Age of the oldest change not yet shown in its channel (0: none).", nil, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- openDesc
	ch <- overdueDesc
	ch <- owedDesc
	ch <- oldestDesc
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	open, err := c.src.Open(ctx, "")
	if err != nil {
		c.log.Warn("metrics: open incidents", "err", err)
		return
	}
	now := c.now()
	overdue := 0
	for _, inc := range open {
		chain := c.chainOf(inc)
		if chain == nil {
			continue
		}
		for _, p := range flows.Evaluate(chain, inc.Inputs()).Steps {
			if st := inc.Steps[p.Step.ID]; st == nil || st.Status == incident.StepPending {
				if Overdue(p, now) {
					overdue++
				}
			}
		}
	}
	ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, float64(len(open)))
	ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(overdue))
	owed, err := c.src.Owed(ctx)
	if err != nil {
		c.log.Warn("metrics: outbox", "err", err)
		return
	}
	oldest := 0.0
	for _, id := range owed {
		inc, err := c.src.Incident(ctx, id)
		if err != nil {
			continue
		}
		// The first change the channel has not seen yet.
		if es, err := c.src.Entries(ctx, id, inc.Shown, 1); err == nil && len(es) == 1 {
			oldest = max(oldest, now.Sub(es[0].Time).Seconds())
		}
	}
	ch <- prometheus.MustNewConstMetric(owedDesc, prometheus.GaugeValue, float64(len(owed)))
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, oldest)
}

// Overdue reports whether a pending step is late: past its deadline when
// it has one in hours, past its escalation delay (1 h by default) when it
// is due "sans délai", never when it has no fixed instant.
func Overdue(p flows.Planned, now time.Time) bool {
	if p.Due.IsZero() {
		return false
	}
	due := p.Due
	if p.Step.Deadline.Kind == flows.Immediate {
		grace := p.Step.Remind.EscalateAfter
		if grace <= 0 {
			grace = time.Hour
		}
		due = due.Add(grace)
	}
	return now.After(due)
}
