package bot

import "time"

// Observer hears what the bot does, for metrics. The bot calls it
// synchronously: implementations must be quick and never block.
type Observer interface {
	// Command is one event handled: its verb ("open", "done"…), whether it
	// came from a button, its outcome ("ok", "refused", "error", or
	// "repeat": a click already taken into account, which changed nothing)
	// and how long the bot took.
	Command(verb string, click bool, outcome string, d time.Duration)
	// Swept is one reminder sweep.
	Swept(st SweepStats)
	// PlatformError is a call to the chat platform that failed.
	PlatformError(op string)
	// ChainBroken is an incident found with a main courante that does not
	// verify: an alarm, raised once per incident.
	ChainBroken()
	// CardDelivered is a card and checklist shown in their channel, d
	// after the first change they show was acknowledged.
	CardDelivered(d time.Duration)
	// OutboxRetry is a delivery that failed and will be retried, by cause:
	// "rate_limited" (the platform said when), "temporary", "other".
	OutboxRetry(cause string)
}

// OutboxRetryCauses are the causes OutboxRetry reports, for metrics that
// exist before the first retry.
var OutboxRetryCauses = []string{"rate_limited", "temporary", "other"}

type nopObserver struct{}

func (nopObserver) Command(string, bool, string, time.Duration) {}
func (nopObserver) Swept(SweepStats)                            {}
func (nopObserver) PlatformError(string)                        {}
func (nopObserver) ChainBroken()                                {}
func (nopObserver) CardDelivered(time.Duration)                 {}
func (nopObserver) OutboxRetry(string)                          {}
