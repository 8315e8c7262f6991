package bot

import "time"

// Observer hears what the bot does, for metrics. The bot calls it
// synchronously: implementations must be quick and never block.
type Observer interface {
	// Command is one event handled: its verb ("open", "done"…), whether it
	// came from a button, its outcome ("ok", "refused", "error") and how
	// long the bot took.
	Command(verb string, click bool, outcome string, d time.Duration)
	// Swept is one reminder sweep.
	Swept(st SweepStats)
	// PlatformError is a call to the chat platform that failed.
	PlatformError(op string)
	// ChainBroken is an incident found with a main courante that does not
	// verify: an alarm, raised once per incident.
	ChainBroken()
}

type nopObserver struct{}

func (nopObserver) Command(string, bool, string, time.Duration) {}
func (nopObserver) Swept(SweepStats)                            {}
func (nopObserver) PlatformError(string)                        {}
func (nopObserver) ChainBroken()                                {}
