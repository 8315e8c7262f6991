package incident

import (
	"errors"
	"time"
)

// Change tells a store how to make one change (bot.Store.Change) beyond
// what its fn does to the incident.
type Change struct {
	// Seen, when not nil, is a copy of the incident the caller read from
	// the same store (Incident or Open), Rev set by the store. If the
	// record has not changed since, fn runs on Seen itself, sparing a
	// second decode; else on a fresh copy. Seen is the caller's no more.
	Seen *Incident
	// Click, when its Where is set, is the click making the change: it is
	// recorded with the change, and a change repeating the person's last
	// click on the same message within ClickWindow is refused with
	// ErrRepeatClick, fn not run, nothing recorded.
	Click Click
	// ClickWindow is how long a click is remembered.
	ClickWindow time.Duration
}

// Click is the identity of a click on a platform's button.
type Click struct {
	// Where is the platform, the person and the message clicked on.
	Where string
	// What is the action and its value: yes, no, then yes again on the
	// same message are three clicks; yes twice is one.
	What string
	// At is when the click was taken.
	At time.Time
}

// ErrRepeatClick refuses a change whose click was already taken into
// account within the click window.
var ErrRepeatClick = errors.New("click already taken into account")
