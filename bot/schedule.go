package bot

import (
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// The reminder schedule is pure: from an incident, its chain and an
// instant, it says which reminders are due and when the next one falls.
// Nothing about it is stored but what was sent (for dedup) and the next
// wake-up (for the index), so a restart, a changed answer or a snooze is
// taken into account at the next sweep with no state to migrate.

// RemindConfig holds the cadences the chain does not give.
type RemindConfig struct {
	// PointEvery is the situation-point cadence while the incident is open
	// (domain.md §5: every 2 h).
	PointEvery time.Duration
	// OverdueEvery repeats the overdue escalation of a step past its
	// deadline.
	OverdueEvery time.Duration
	// Reask is the cadence of questions the chain gives none.
	Reask time.Duration
	// Steps overrides the cadence of steps by id (deployment configuration).
	Steps map[string]flows.Remind
}

// DefaultRemind is domain.md §6's cadences, marked [PROP] there.
var DefaultRemind = RemindConfig{PointEvery: 2 * time.Hour, OverdueEvery: time.Hour, Reask: time.Hour}

// Nag kinds.
const (
	NagStep     = "step"
	NagQuestion = "question"
	NagPoint    = "point"
)

// Nag is one reminder due: the latest scheduled occurrence of an item not
// settled yet. Occurrences missed before it (Vigie was down) are not sent
// again: one nag, marked late, says it.
type Nag struct {
	Key      string // the item reminded, key of Incident.Reminded: "step:cnil"
	Kind     string
	Step     *flows.Step
	Planned  flows.Planned
	Question *flows.Question
	At       time.Time // when it was scheduled
	Escalate bool      // past the escalation delay: mention the roles
	Overdue  bool      // past the legal deadline
}

// series is a schedule of occurrences: a list of instants, then an
// optional period from the last of them (or from first when the list is
// empty).
type series struct {
	at     []time.Time
	first  time.Time // start of the periodic part (inclusive)
	period time.Duration
}

// around returns the latest occurrence ≤ now and the first > now (zero when
// none).
func (s series) around(now time.Time) (last, next time.Time) {
	for _, t := range s.at {
		if !t.After(now) {
			last = t
		} else if next.IsZero() {
			next = t
		}
	}
	if s.period <= 0 || s.first.IsZero() {
		return last, next
	}
	if now.Before(s.first) {
		if next.IsZero() || s.first.Before(next) {
			next = s.first
		}
		return last, next
	}
	k := now.Sub(s.first) / s.period
	p := s.first.Add(k * s.period)
	if p.After(last) {
		last = p
	}
	if n := p.Add(s.period); next.IsZero() || n.Before(next) {
		next = n
	}
	return last, next
}

// Reminders returns the nags of inc due at now and the next instant a nag
// falls due (zero: none while nothing changes).
func Reminders(inc *incident.Incident, c *flows.Chain, now time.Time, cfg RemindConfig) (due []Nag, next time.Time) {
	if inc.Status != incident.StatusOpen {
		return nil, time.Time{}
	}
	soonest := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if cfg.PointEvery > 0 {
		base := inc.OpenedAt
		if inc.LastPointAt.After(base) {
			base = inc.LastPointAt
		}
		last, n := series{first: base.Add(cfg.PointEvery), period: cfg.PointEvery}.around(now)
		if !last.IsZero() {
			due = append(due, Nag{Key: NagPoint, Kind: NagPoint, At: last})
		}
		soonest(n)
	}
	if c == nil {
		return due, next
	}
	plan := flows.Evaluate(c, inc.Inputs())
	for _, q := range plan.Questions {
		base := inc.OpenedAt
		if a, ok := inc.Answer(q.ID); ok {
			base = a.At
		}
		every := q.Reask
		if every <= 0 {
			every = cfg.Reask
		}
		last, n := series{first: base.Add(every), period: every}.around(now)
		if !last.IsZero() {
			due = append(due, Nag{Key: NagQuestion + ":" + q.ID, Kind: NagQuestion, Question: q, At: last})
		}
		soonest(n)
	}
	for _, p := range plan.Steps {
		st := inc.Steps[p.Step.ID]
		if st != nil && st.Status != incident.StepPending {
			continue
		}
		rm := p.Step.Remind
		if o, ok := cfg.Steps[p.Step.ID]; ok {
			rm = o
		}
		s, overdueFrom := stepSeries(p, rm, inc, cfg)
		last, n := s.around(now)
		if st != nil && !st.SnoozedUntil.IsZero() {
			// Nothing before the snooze ends; then one reminder at its end.
			if sn := st.SnoozedUntil; sn.After(now) {
				last, n = time.Time{}, sn
			} else if last.Before(sn) {
				last = sn
			}
		}
		soonest(n)
		if last.IsZero() {
			continue
		}
		nag := Nag{Key: NagStep + ":" + p.Step.ID, Kind: NagStep, Step: p.Step, Planned: p, At: last}
		// "Sans délai" is due at once and escalates on its own delay; only a
		// deadline counted in hours can be overdue.
		nag.Overdue = p.Step.Deadline.Kind == flows.After && !last.Before(p.Due)
		nag.Escalate = nag.Overdue || (!overdueFrom.IsZero() && !last.Before(overdueFrom))
		due = append(due, nag)
	}
	return due, next
}

// stepSeries is the reminder schedule of a pending step, and when its
// reminders start to escalate.
func stepSeries(p flows.Planned, rm flows.Remind, inc *incident.Incident, cfg RemindConfig) (series, time.Time) {
	d := p.Step.Deadline
	var escalate time.Time
	switch {
	case d.Kind == flows.Immediate:
		// "Sans délai": due at once, and shown on the checklist at once;
		// reminded on its cadence from then, escalated after escalate_after.
		every := rm.Every
		if every <= 0 {
			every = 15 * time.Minute
		}
		if rm.EscalateAfter > 0 {
			escalate = p.Due.Add(rm.EscalateAfter)
		}
		return series{first: p.Due.Add(every), period: every}, escalate
	case d.Kind == flows.None:
		if rm.Every <= 0 {
			return series{}, time.Time{}
		}
		became := inc.T0
		for _, r := range p.Because {
			if r.At.After(became) {
				became = r.At
			}
		}
		return series{first: became.Add(rm.Every), period: rm.Every}, time.Time{}
	case p.Due.IsZero():
		return series{}, time.Time{} // counts from a step not done yet
	}
	anchor := p.Since
	var s series
	for _, off := range rm.At {
		if t := anchor.Add(off); t.Before(p.Due) {
			s.at = append(s.at, t)
		}
	}
	if len(rm.At) == 0 && rm.Every > 0 {
		// Before the deadline, the chain's cadence…
		for t := anchor.Add(rm.Every); t.Before(p.Due); t = t.Add(rm.Every) {
			s.at = append(s.at, t)
		}
	}
	// …then overdue escalation at the deadline and on a cadence after it.
	s.at = append(s.at, p.Due)
	s.first, s.period = p.Due.Add(cfg.OverdueEvery), cfg.OverdueEvery
	if rm.EscalateAfter > 0 {
		escalate = anchor.Add(rm.EscalateAfter)
	}
	return s, escalate
}
