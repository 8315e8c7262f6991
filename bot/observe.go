package bot

import (
	"slices"
	"time"
)

// Observer hears what the bot does, for metrics. The bot calls it
// synchronously: implementations must be quick and never block.
//
// Every label value it reports is listed below (PlatformOps,
// OutboxRetryCauses, CommandOutcomes, Verbs), so that the metrics exist at
// zero from the start: an alert on them can be written, and tested, before
// the day it is needed. A value reported but not listed would appear only
// on its first occurrence; the bot's tests refuse one.
type Observer interface {
	// Command is one event handled: its verb (Verbs), whether it came from
	// a button, its outcome (CommandOutcomes) and how long the bot took.
	Command(verb string, click bool, outcome string, d time.Duration)
	// Swept is one reminder sweep.
	Swept(st SweepStats)
	// PlatformError is a call to the chat platform that failed, by
	// operation (PlatformOps).
	PlatformError(op string)
	// ChainBroken is an incident found with a main courante that does not
	// verify: an alarm, raised once per incident.
	ChainBroken()
	// CardDelivered is a card and checklist shown in their channel, d
	// after the first change they show was acknowledged.
	CardDelivered(d time.Duration)
	// OutboxRetry is a delivery that failed and will be retried, by cause
	// (OutboxRetryCauses).
	OutboxRetry(cause string)
}

// The operations PlatformError reports.
const (
	// OpPost is a message posted: a card, a checklist, an alarm, a closing
	// report, a hand-over, the link from the channel an incident was
	// opened in.
	OpPost = "post"
	// OpUpdate is a card or checklist edited in place.
	OpUpdate = "update"
	// OpPostReminder is a reminder, an escalation or a deadline passed.
	OpPostReminder = "post_reminder"
)

// PlatformOps are the operations PlatformError reports.
var PlatformOps = []string{OpPost, OpUpdate, OpPostReminder}

// The causes OutboxRetry reports.
const (
	// CauseRateLimited is the platform saying when to come back.
	CauseRateLimited = "rate_limited"
	// CauseTemporary is a failure worth retrying (a 5xx, a timeout).
	CauseTemporary = "temporary"
	// CauseOther is any other failure: retried too, the card stays owed.
	CauseOther = "other"
)

// OutboxRetryCauses are the causes OutboxRetry reports.
var OutboxRetryCauses = []string{CauseRateLimited, CauseTemporary, CauseOther}

// The outcomes Command reports.
const (
	OutcomeOK      = "ok"
	OutcomeRefused = "refused" // a refusal the person reads (a bot.Error)
	OutcomeError   = "error"   // anything else: an internal error
	// OutcomeRepeat is a click already taken into account, which changed
	// nothing.
	OutcomeRepeat = "repeat"
)

// CommandOutcomes are the outcomes Command reports.
var CommandOutcomes = []string{OutcomeOK, OutcomeRefused, OutcomeError, OutcomeRepeat}

// VerbUnknown is the verb Command reports for an event that names no
// command Vigie knows (or that was refused before its verb was read).
const VerbUnknown = "unknown"

// Verbs returns the verbs Command reports, sorted: every command's
// canonical verb ("open", "done"…), and VerbUnknown.
func Verbs() []string {
	vs := []string{VerbUnknown}
	for v := range handlers {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}

// The kinds of request a platform adapter reports answering (its
// Options.Answered), for the metric of what a person waits for.
const (
	AnswerCommand = "command" // a typed command
	AnswerClick   = "click"   // a button
	AnswerForm    = "form"    // a form submitted (a Mattermost dialog, a Slack modal)
)

// AnswerKinds are the kinds of request an adapter reports answering.
var AnswerKinds = []string{AnswerCommand, AnswerClick, AnswerForm}

type nopObserver struct{}

func (nopObserver) Command(string, bool, string, time.Duration) {}
func (nopObserver) Swept(SweepStats)                            {}
func (nopObserver) PlatformError(string)                        {}
func (nopObserver) ChainBroken()                                {}
func (nopObserver) CardDelivered(time.Duration)                 {}
func (nopObserver) OutboxRetry(string)                          {}
