package bot

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/guard"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file writes the hand-over's text. It must read at 3 a.m. on a
// phone: about twenty lines, the legal clocks first after what was done,
// each line one fact. The main courante keeps every detail; the hand-over
// says where to look.

// handoverKinds are the entries a hand-over lists: what the cell did and
// decided. Reminders, snoozes, exports, facts and the guard's records are
// left to the main courante.
var handoverKinds = map[string]bool{
	incident.KindDone: true, incident.KindNA: true, incident.KindAnswer: true, incident.KindNote: true,
	incident.KindPoint: true, incident.KindRole: true, incident.KindT0: true, incident.KindChain: true,
	incident.KindDraft: true, incident.KindMessage: true, incident.KindProposed: true,
}

// handoverMajor are the kinds a long list keeps first: the legal steps,
// the answers that decide them, the situation. Role changes come after:
// the hand-over says who holds what in a line of its own.
var handoverMajor = map[string]bool{
	incident.KindDone: true, incident.KindNA: true, incident.KindProposed: true, incident.KindAnswer: true,
	incident.KindPoint: true, incident.KindT0: true, incident.KindChain: true,
}

// handoverIcon marks the kinds whose entry text the hand-over quotes.
var handoverIcon = map[string]string{
	incident.KindT0: "🕑", incident.KindChain: "🔗", incident.KindDraft: "📄", incident.KindMessage: "📣",
}

// Bounds of the hand-over's lists; what does not fit is counted, and
// "statut" or the export show it whole.
const (
	maxHandoverDone     = 12
	maxHandoverPending  = 6
	maxHandoverNote     = 100 // runes of a note quoted
	maxHandoverQuestion = 70  // runes of a question: its key says the rest
)

// handoverText is a hand-over as written: its title and lines, and what
// its entry records.
type handoverText struct {
	title       string
	lines       []string
	listed      int      // entries of the shift it lists (or counts)
	pendingIDs  []string // steps still owed
	questionIDs []string // questions still open
}

// text is the hand-over as posted and hashed: the title, then the lines.
func (h *handoverText) text() string { return h.title + "\n" + strings.Join(h.lines, "\n") }

func (h *handoverText) add(lines ...string) { h.lines = append(h.lines, lines...) }

// handoverSummary writes the hand-over of inc in lang from the entries
// after since (covered, the kinds of handoverKinds and hand-overs) and
// the last situation point (nil: none).
func (b *Bot) handoverSummary(inc *incident.Incident, c *flows.Chain, covered []incident.Entry, since uint64, point *incident.Entry, r *request, lang Lang) *handoverText {
	now := r.now
	ho := &handoverText{title: exerciseTitle(inc, lang, tr(lang, "handover.title", inc.ID, inc.Title))}
	ho.add(tr(lang, "handover.head", b.when(now, lang), r.ev.User.String(), b.when(inc.T0, lang), i18n.Span(now.Sub(inc.T0), lang)))

	var prev *incident.Entry
	var shift []incident.Entry
	for i := range covered {
		e := &covered[i]
		if e.Kind == incident.KindHandover {
			if since > 0 && e.Data["to"] == strconv.FormatUint(since, 10) {
				prev = e
			}
			continue
		}
		shift = append(shift, *e)
	}
	ho.listed = len(shift)
	switch {
	case len(shift) == 0 && prev != nil:
		ho.add(tr(lang, "handover.nothing", b.when(prev.Time, lang), prev.Actor))
	case len(shift) == 0:
		ho.add(tr(lang, "handover.nothing_open"))
	case prev != nil:
		ho.add(tr(lang, "handover.since", b.when(prev.Time, lang), prev.Actor, len(shift)))
	default:
		ho.add(tr(lang, "handover.since_open", len(shift)))
	}
	ho.add(b.shiftLines(shift, c, now, lang)...)
	b.pendingLines(ho, inc, c, now, lang)
	if held := b.holders(inc, lang); held != "" {
		ho.add(tr(lang, "handover.roles", held))
	} else {
		ho.add(tr(lang, "handover.no_roles", b.prefix()))
	}
	ho.add(b.pointLines(point, lang)...)
	return ho
}

// shiftLines are the lines of what the shift did, oldest first: at most
// maxHandoverDone, the legal steps, answers, roles and points kept before
// notes and drafts, the latest before the earliest.
func (b *Bot) shiftLines(shift []incident.Entry, c *flows.Chain, now time.Time, lang Lang) []string {
	keep := map[uint64]bool{}
	for _, major := range []bool{true, false} {
		for i := len(shift) - 1; i >= 0 && len(keep) < maxHandoverDone; i-- {
			if handoverMajor[shift[i].Kind] == major {
				keep[shift[i].Seq] = true
			}
		}
	}
	var lines []string
	for _, e := range shift {
		if keep[e.Seq] {
			lines = append(lines, b.shiftLine(e, c, now, lang))
		}
	}
	if left := len(shift) - len(keep); left > 0 {
		lines = append(lines, tr(lang, "handover.more_done", left, b.prefix()))
	}
	return lines
}

// shiftLine is one entry as the hand-over lists it: when, what, who.
func (b *Bot) shiftLine(e incident.Entry, c *flows.Chain, now time.Time, lang Lang) string {
	at, d, who := e.Time, e.Data, e.Actor
	var what string
	switch e.Kind {
	case incident.KindDone, incident.KindProposed:
		step, means, ref := stepName(c, d["step"], lang), i18n.Means(d["means"], lang), i18n.Ref(d["ref"], lang)
		what = tr(lang, "handover.done", step, means, ref)
		if e.Kind == incident.KindProposed {
			what = tr(lang, "handover.proposed", step, means, ref)
		}
		// Listed in the record's order, at the record's time; the time
		// the declaration was made, when another, is said.
		if t, err := time.Parse(rfc3339, d["declared_at"]); err == nil && e.Time.Sub(t) >= time.Minute {
			what += tr(lang, "handover.declared_at", shortWhen(t, now, lang))
		}
		if p := d["proposed_by"]; p != "" { // the declaration is its proposer's
			who = tr(lang, "handover.confirmed_by", p, e.Actor)
		}
	case incident.KindNA:
		what = tr(lang, "handover.na", stepName(c, d["step"], lang), b.masked(d["reason"], lang))
	case incident.KindAnswer:
		q := d["key"]
		if c != nil && c.Question(q) != nil {
			q = questionLabel(c, c.Question(q))
		}
		what = tr(lang, "handover.answer", q, i18n.Value(flows.Value(d["value"]), lang))
		if p, ok := d["previous"]; ok {
			what = tr(lang, "handover.answer_revised", q, i18n.Value(flows.Value(p), lang), i18n.Value(flows.Value(d["value"]), lang))
		}
	case incident.KindNote:
		what = "📝 " + shorten(b.masked(e.Text, lang), maxHandoverNote)
	case incident.KindPoint:
		what = tr(lang, "handover.point", d["n"])
	case incident.KindRole:
		what = "👤 " + e.Text
	default: // T0, chain, drafts, messages: their entry says it (but the hash)
		text, _, _ := strings.Cut(e.Text, " (SHA-256")
		what = handoverIcon[e.Kind] + " " + shorten(b.masked(text, lang), maxHandoverNote)
	}
	return tr(lang, "handover.line", shortWhen(at, now, lang), what, who)
}

// pendingLines adds what is still owed: the required steps neither done
// nor set not applicable, each with its legal deadline and countdown (the
// overdue and immediate first), then the open questions.
func (b *Bot) pendingLines(ho *handoverText, inc *incident.Incident, c *flows.Chain, now time.Time, lang Lang) {
	if c == nil {
		ho.add(tr(lang, "handover.no_chain", b.prefix()))
		return
	}
	plan := flows.Evaluate(c, inc.Inputs())
	var urgent, next []string
	for _, p := range plan.Steps {
		if st := inc.Steps[p.Step.ID]; st != nil && st.Status != incident.StepPending {
			continue
		}
		ho.pendingIDs = append(ho.pendingIDs, p.Step.ID)
		name := strconv.Itoa(p.Step.Order) + ". " + p.Step.Title.In(lang)
		if st := inc.Steps[p.Step.ID]; st != nil && st.Proposed != nil {
			name += tr(lang, "handover.awaits", st.Proposed.By.String(), b.confirmers(inc, p.Step, lang))
		}
		switch {
		case p.Step.Deadline.Kind == flows.Immediate:
			urgent = append(urgent, tr(lang, "handover.immediate", name, i18n.Span(now.Sub(inc.T0), lang)))
		case p.Due.IsZero():
			next = append(next, tr(lang, "handover.open_deadline", name, b.deadlineText(p, inc, c, now, lang, false)))
		case now.After(p.Due):
			urgent = append(urgent, tr(lang, "handover.late", name, b.when(p.Due, lang), i18n.Countdown(p.Due, now, lang)))
		default:
			next = append(next, tr(lang, "handover.due", name, b.when(p.Due, lang), i18n.Countdown(p.Due, now, lang)))
		}
	}
	lines := slices.Concat(urgent, next)
	if len(lines) == 0 {
		ho.add(tr(lang, "handover.nothing_pending"))
	} else {
		ho.add(tr(lang, "handover.pending", len(lines)))
		if len(lines) > maxHandoverPending {
			lines = append(lines[:maxHandoverPending], tr(lang, "handover.more_pending", len(lines)-maxHandoverPending, b.prefix()))
		}
		ho.add(lines...)
	}
	var asked []string
	for _, q := range plan.Questions {
		ho.questionIDs = append(ho.questionIDs, q.ID)
		line := "❓ " + questionLabel(c, q) + " — " + shorten(q.Text.In(lang), maxHandoverQuestion)
		if a, ok := inc.Answer(q.ID); ok && a.Value == flows.Unknown {
			line += " " + tr(lang, "handover.unknown_yet")
		}
		asked = append(asked, line)
	}
	if len(asked) > 0 {
		ho.add(tr(lang, "handover.questions", len(asked)))
		ho.add(asked...)
	}
}

// pointLines are the last situation point: when and by whom, then its
// situation, actions and needs; or how to record one.
func (b *Bot) pointLines(point *incident.Entry, lang Lang) []string {
	if point == nil {
		return []string{tr(lang, "handover.no_point", b.prefix())}
	}
	lines := []string{tr(lang, "handover.last_point", point.Data["n"], b.when(point.Time, lang), point.Actor)}
	for _, k := range []struct{ key, label string }{{"conditions", "point.conditions"}, {"actions", "point.actions"}, {"besoins", "point.needs"}} {
		if v := point.Data[k.key]; v != "" {
			lines = append(lines, tr(lang, "handover.point_part", tr(lang, k.label), b.masked(v, lang)))
		}
	}
	return lines
}

// stepName is a step as the hand-over names it, "1. Déclarer l'incident
// au CERT Santé"; its key when the chain lacks it.
func stepName(c *flows.Chain, id string, lang Lang) string {
	if c == nil || c.Step(id) == nil {
		return id
	}
	s := c.Step(id)
	return strconv.Itoa(s.Order) + ". " + s.Title.In(lang)
}

// shortWhen is a time of the shift: "02:25" on the day of now (Paris
// time), else with its day, "22/11 23:40".
func shortWhen(t, now time.Time, lang Lang) string {
	t, n := t.In(incident.Paris), now.In(incident.Paris)
	if t.YearDay() == n.YearDay() && t.Year() == n.Year() {
		return t.Format("15:04")
	}
	if lang == flows.EN {
		return t.Format("Jan 2 15:04")
	}
	return t.Format("02/01 15:04")
}

// shorten cuts s to n runes, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// masked is free text of the main courante as a hand-over shows it: a
// patient identifier kept there at someone's request (forcer=oui) is not
// posted again in the channel.
func (b *Bot) masked(s string, lang Lang) string { return guard.Mask(s, b.ipp(), lang) }
