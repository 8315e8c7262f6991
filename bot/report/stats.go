package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file computes a structure's own yearly figures from its
// deployment's incidents: counts by structure profile, by month of T0
// (Europe/Paris), malicious or not, personal-data breach, impact on
// capacity, and the delay from T0 to each declaration. No text asks a
// structure for them: CSP art. D1111-16-3 puts the yearly statistical
// report on anonymised reports on the GIP (ANS, CERT Santé); these are the
// structure's figures in the same spirit, for its own use.
//
// Only counts, durations and fixed category names (chain profiles, answer
// values, step ids) are written, never an incident's id, title, people,
// notes, facts or any other text typed in the chat. For one structure, a
// count of 1 points at an incident all the same, so the writers suppress
// small counts (SmallCount).

// SmallCount is the suppression threshold: a count from 1 to SmallCount-1
// is written "<3" (csv) or "< 3" (md), and the median, 90th percentile and
// maximum of fewer than SmallCount delays are not written, since they would
// be one incident's own delays. The rule holds in every table of both
// formats, the deadlines' included. Zero and counts of SmallCount or more
// are written as they are, and so is the number of exercises left out,
// which points at no incident. Totals are not adjusted: subtracting shown counts
// from a total can narrow a hidden one, so the figures stay the
// structure's own, shared with care.
const SmallCount = 3

// StatsFormats are the formats of the statistics.
var StatsFormats = []string{"csv", "md"}

// StatsQuestions are the chain questions counted, in order.
var StatsQuestions = []string{"malicious", "personal_data_breach", "capacity_impact"}

// StatsSteps are the declarations whose delay from T0 is measured: their
// done time is the time declared in the proof.
var StatsSteps = []string{"cert-sante", "ars", "cnil", "anssi"}

// ProfileUnknown is the profile of an incident whose chain was never
// chosen.
const ProfileUnknown = "unknown"

// YearStats are the statistics of the incidents whose T0 falls in Year,
// Paris time.
type YearStats struct {
	Year      int
	Incidents int
	Closed    int
	// Exercises counts the exercises of the year (ouvrir … exercice),
	// left out of every other figure: a rehearsal is no incident, and
	// would skew the delays. The writers say how many, when any.
	Exercises int
	ByProfile map[string]int
	ByMonth   [12]int
	Answers   map[string]*Tally // by question of StatsQuestions
	Delays    []DelayStat       // one per StatsSteps, in order
	// Deadlines are the obligations with a deadline in hours (the CNIL
	// at T0 + 72 h…) of the incidents counted, by step, sorted by step
	// id, as their closing reports judge them (NewClosing).
	Deadlines []DeadlineStat
}

// DeadlineStat counts the obligations of one step with a deadline in
// hours: how many incidents required it, how many declared it by its
// deadline, after it, and how many closed without it past its deadline.
type DeadlineStat struct {
	Step                           string
	Required, OnTime, Late, Missed int
}

// Tally counts the answers to a question. Unknown is "not known yet" or
// not answered; NotAsked, an incident whose chain does not ask it (the
// private practitioners' chain has no capacity question).
type Tally struct {
	Yes, No, Unknown, NotAsked int
}

// DelayStat sums up the delays from T0 to a declaration, each rounded to
// the minute: the median (the mean of the two middle ones for an even
// count) and the 90th percentile by the nearest-rank method (the smallest
// delay at least 90 % of the declarations did not exceed).
type DelayStat struct {
	Step   string
	Count  int
	Median time.Duration
	P90    time.Duration
	Max    time.Duration
}

// ComputeStats computes the statistics of year over incs. chainOf returns
// the chain an incident follows (nil when it has none or it is unknown).
func ComputeStats(incs []*incident.Incident, year int, chainOf func(*incident.Incident) *flows.Chain) *YearStats {
	st := &YearStats{Year: year, ByProfile: map[string]int{}, Answers: map[string]*Tally{}}
	for _, q := range StatsQuestions {
		st.Answers[q] = &Tally{}
	}
	delays := map[string][]time.Duration{}
	deadlines := map[string]*DeadlineStat{}
	for _, inc := range incs {
		t0 := inc.T0.In(incident.Paris)
		if t0.Year() != year {
			continue
		}
		if inc.Exercise {
			st.Exercises++
			continue
		}
		st.Incidents++
		if inc.Status == incident.StatusClosed {
			st.Closed++
		}
		st.ByMonth[t0.Month()-1]++
		c := chainOf(inc)
		st.ByProfile[profileOf(inc, c)]++
		countDeadlines(deadlines, inc, c)
		for _, q := range StatsQuestions {
			t := st.Answers[q]
			a, answered := inc.Answer(q)
			switch {
			case c != nil && c.Question(q) == nil:
				t.NotAsked++
			case answered && a.Value == flows.Yes:
				t.Yes++
			case answered && a.Value == flows.No:
				t.No++
			default:
				t.Unknown++
			}
		}
		for _, s := range StatsSteps {
			ss := inc.Steps[s]
			if ss == nil || ss.Status != incident.StepDone || ss.Proof == nil {
				continue
			}
			d := ss.Proof.DeclaredAt.Sub(inc.T0).Round(time.Minute)
			if d < 0 {
				d = 0
			}
			delays[s] = append(delays[s], d)
		}
	}
	for _, s := range StatsSteps {
		st.Delays = append(st.Delays, delayStat(s, delays[s]))
	}
	for _, d := range deadlines {
		st.Deadlines = append(st.Deadlines, *d)
	}
	slices.SortFunc(st.Deadlines, func(a, b DeadlineStat) int { return strings.Compare(a.Step, b.Step) })
	return st
}

// countDeadlines adds the obligations of inc with a deadline in hours to
// by, judged by its closing report: at its closing, or, still open, only
// what was declared.
func countDeadlines(by map[string]*DeadlineStat, inc *incident.Incident, c *flows.Chain) {
	if c == nil {
		return
	}
	for _, o := range NewClosing(inc, c, inc.ClosedAt).Obligations {
		if o.Step.Deadline.Kind != flows.After {
			continue
		}
		d := by[o.Step.ID]
		if d == nil {
			d = &DeadlineStat{Step: o.Step.ID}
			by[o.Step.ID] = d
		}
		d.Required++
		switch o.Verdict {
		case OnTime:
			d.OnTime++
		case Late:
			d.Late++
		case Overdue:
			d.Missed++
		}
	}
}

func profileOf(inc *incident.Incident, c *flows.Chain) string {
	switch {
	case c != nil && c.Profile != "":
		return c.Profile
	case inc.Chain != "":
		_, p, _ := strings.Cut(inc.Chain, "/")
		if p != "" {
			return p
		}
		return inc.Chain
	}
	return ProfileUnknown
}

func delayStat(step string, ds []time.Duration) DelayStat {
	s := DelayStat{Step: step, Count: len(ds)}
	if len(ds) == 0 {
		return s
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		s.Median = ds[n/2]
	} else {
		s.Median = (ds[n/2-1] + ds[n/2]) / 2
	}
	rank := (90*n + 99) / 100 // ceil(0.9 n), 1-based
	s.P90 = ds[rank-1]
	s.Max = ds[n-1]
	return s
}

// profiles returns the profiles counted, sorted, unknown last.
func (st *YearStats) profiles() []string {
	var out []string
	for p := range st.ByProfile {
		if p != ProfileUnknown {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	if st.ByProfile[ProfileUnknown] > 0 {
		out = append(out, ProfileUnknown)
	}
	return out
}

// WriteStats writes st in format: csv (one table, stable English column
// and category names, for tools) or md (a report, in lang).
func WriteStats(w io.Writer, format string, st *YearStats, lang flows.Lang) error {
	switch format {
	case "csv":
		return writeStatsCSV(w, st)
	case "md":
		return writeStatsMarkdown(w, st, lang)
	}
	return fmt.Errorf("unknown statistics format %q (accepted: %s)", format, strings.Join(StatsFormats, ", "))
}

// small reports whether n is a count the writers suppress.
func small(n int) bool { return n > 0 && n < SmallCount }

// countCSV writes a count for the CSV: "<3" when suppressed.
func countCSV(n int) string {
	if small(n) {
		return "<" + strconv.Itoa(SmallCount)
	}
	return strconv.Itoa(n)
}

// countMD writes a count for the report: "< 3" when suppressed.
func countMD(n int) string {
	if small(n) {
		return "< " + strconv.Itoa(SmallCount)
	}
	return strconv.Itoa(n)
}

// minutes writes a duration in minutes, with a decimal only when needed
// (a median of two delays).
func minutes(d time.Duration) string {
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
}

// writeStatsCSV writes rows of section,key,count,median_minutes,
// p90_minutes,max_minutes; the last three only for delays.
func writeStatsCSV(w io.Writer, st *YearStats) error {
	cw := csv.NewWriter(w)
	row := func(cells ...string) { _ = cw.Write(cells) }
	row("section", "key", "count", "median_minutes", "p90_minutes", "max_minutes")
	row("year", strconv.Itoa(st.Year), countCSV(st.Incidents), "", "", "")
	row("incidents", "closed", countCSV(st.Closed), "", "", "")
	for _, p := range st.profiles() {
		row("profile", p, countCSV(st.ByProfile[p]), "", "", "")
	}
	for m, n := range st.ByMonth {
		row("month", fmt.Sprintf("%04d-%02d", st.Year, m+1), countCSV(n), "", "", "")
	}
	for _, q := range StatsQuestions {
		t := st.Answers[q]
		for _, kv := range []struct {
			k string
			n int
		}{{"yes", t.Yes}, {"no", t.No}, {"unknown", t.Unknown}, {"not_asked", t.NotAsked}} {
			row(q, kv.k, countCSV(kv.n), "", "", "")
		}
	}
	for _, d := range st.Delays {
		if d.Count == 0 || small(d.Count) {
			row("delay", d.Step, countCSV(d.Count), "", "", "")
			continue
		}
		row("delay", d.Step, countCSV(d.Count), minutes(d.Median), minutes(d.P90), minutes(d.Max))
	}
	for _, d := range st.Deadlines {
		for _, kv := range []struct {
			k string
			n int
		}{{"required", d.Required}, {"on_time", d.OnTime}, {"late", d.Late}, {"missed", d.Missed}} {
			row("deadline_"+kv.k, d.Step, countCSV(kv.n), "", "", "")
		}
	}
	if st.Exercises > 0 {
		row("excluded", "exercises", strconv.Itoa(st.Exercises), "", "", "")
	}
	cw.Flush()
	return cw.Error()
}

func writeStatsMarkdown(w io.Writer, st *YearStats, lang flows.Lang) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# %s\n\n", tr(lang, "stats.title", st.Year))
	p("%s\n\n", tr(lang, "stats.intro"))
	p("| %s | %s |\n|---|---:|\n", tr(lang, "stats.what"), tr(lang, "stats.count"))
	p("| %s | %s |\n", tr(lang, "stats.incidents"), countMD(st.Incidents))
	p("| %s | %s |\n\n", tr(lang, "stats.closed"), countMD(st.Closed))
	if st.Exercises > 0 {
		p("%s\n\n", tr(lang, "stats.exercises", st.Exercises))
	}

	p("## %s\n\n| %s | %s |\n|---|---:|\n", tr(lang, "stats.by_profile"), tr(lang, "stats.profile"), tr(lang, "stats.count"))
	for _, pr := range st.profiles() {
		name := pr
		if pr == ProfileUnknown {
			name = tr(lang, "stats.profile_unknown")
		}
		p("| %s | %s |\n", name, countMD(st.ByProfile[pr]))
	}
	p("\n## %s\n\n| %s | %s |\n|---|---:|\n", tr(lang, "stats.by_month"), tr(lang, "stats.month"), tr(lang, "stats.count"))
	for m, n := range st.ByMonth {
		p("| %04d-%02d | %s |\n", st.Year, m+1, countMD(n))
	}
	p("\n## %s\n\n| %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|\n", tr(lang, "stats.answers"),
		tr(lang, "stats.question"), tr(lang, "value.yes"), tr(lang, "value.no"), tr(lang, "stats.unknown"), tr(lang, "stats.not_asked"))
	for _, q := range StatsQuestions {
		t := st.Answers[q]
		p("| %s | %s | %s | %s | %s |\n", tr(lang, "stats.q."+q), countMD(t.Yes), countMD(t.No), countMD(t.Unknown), countMD(t.NotAsked))
	}
	p("\n## %s\n\n| %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|\n", tr(lang, "stats.delays"),
		tr(lang, "stats.declaration"), tr(lang, "stats.count"), tr(lang, "stats.median"), tr(lang, "stats.p90"), tr(lang, "stats.max"))
	for _, d := range st.Delays {
		if d.Count == 0 || small(d.Count) {
			p("| %s | %s | — | — | — |\n", d.Step, countMD(d.Count))
			continue
		}
		p("| %s | %s | %s | %s | %s |\n", d.Step, countMD(d.Count), i18n.Delay(d.Median, lang), i18n.Delay(d.P90, lang), i18n.Delay(d.Max, lang))
	}
	if len(st.Deadlines) > 0 {
		p("\n## %s\n\n| %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|\n", tr(lang, "stats.deadlines"),
			tr(lang, "stats.declaration"), tr(lang, "stats.required"), tr(lang, "stats.on_time"), tr(lang, "stats.late"), tr(lang, "stats.missed"))
		for _, d := range st.Deadlines {
			p("| %s | %s | %s | %s | %s |\n", d.Step, countMD(d.Required), countMD(d.OnTime), countMD(d.Late), countMD(d.Missed))
		}
	}
	p("\n%s\n", tr(lang, "stats.method"))
	p("\n%s\n", tr(lang, "stats.suppressed", SmallCount))
	return bw.Flush()
}
