package incident

import (
	"errors"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// Status is where an incident stands.
type Status string

// The statuses of an incident.
const (
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

// User is a person acting in the chat, as the platform names them.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// String is how a user appears in the main courante and on cards.
func (u User) String() string {
	if u.Name != "" {
		return "@" + u.Name
	}
	return u.ID
}

// Incident is one cyber incident followed by a crisis cell. The bot changes
// it only through Store.Update, together with the main-courante entries
// that record the change.
type Incident struct {
	ID    string `json:"id"` // human id such as 2026-0007, allocated by the store
	Title string `json:"title"`
	// Exercise marks a crisis exercise (ouvrir … exercice): numbered
	// apart (EX-2026-0001), marked EXERCICE on every output, left out of
	// the statistics. The opening entry records it (data exercise=yes),
	// so that the hash chain proves it and CheckRecord checks it.
	Exercise bool `json:"exercise,omitempty"`
	// Chain and Version are pinned at opening (or when the structure's type
	// is chosen), so that editing a chain file never rewrites history.
	Chain   string    `json:"chain,omitempty"`
	Version string    `json:"version,omitempty"`
	T0      time.Time `json:"t0"` // prise de connaissance, UTC
	// Features are the chain switches on for this incident (e.g. nis2).
	Features map[string]bool `json:"features,omitempty"`
	OpenedBy User            `json:"opened_by"`
	OpenedAt time.Time       `json:"opened_at"`
	Channel  string          `json:"channel"`
	Status   Status          `json:"status"`
	ClosedBy User            `json:"closed_by,omitzero"`
	ClosedAt time.Time       `json:"closed_at,omitzero"`
	// Answers holds the current answer to each question (a slice, as files
	// of older versions kept every revision there: the last one counts).
	// Every answer and revision is an entry of the main courante, with the
	// value it replaced.
	Answers map[string][]AnswerRecord `json:"answers,omitempty"`
	Steps   map[string]*StepState     `json:"steps,omitempty"`
	Points  int                       `json:"points,omitempty"` // situation points recorded
	// LastPointAt is when the last situation point was recorded: the
	// point reminder counts from it.
	LastPointAt time.Time `json:"last_point_at,omitzero"`
	// LastPoint is the entry of the last situation point, so that a
	// hand-over or a message to stakeholders reads it without walking
	// the main courante; 0 with Points set: recorded before it was kept.
	LastPoint uint64 `json:"last_point,omitempty"`
	// HandedOver is the last entry the last hand-over covered: the next
	// one covers the entries after it. 0: none yet.
	HandedOver uint64 `json:"handed_over,omitempty"`
	// HandoverOwed is the entry of a hand-over the channel is still owed:
	// the outbox posts it with the card, then clears it. 0: none.
	HandoverOwed uint64 `json:"handover_owed,omitempty"`
	// Wake is when the reminder sweep must look at the incident next; the
	// store indexes it. Zero: never (closed, or nothing to remind).
	Wake time.Time `json:"wake,omitzero"`
	// Reminded is the reminders' sent-log: for each reminded item ("step:
	// cnil", "question:malicious", "point"), the scheduled instant of the
	// last reminder sent. A sweep sends an occurrence only if it is later,
	// so a restart or two overlapping sweeps never nag twice.
	Reminded map[string]time.Time `json:"reminded,omitempty"`
	// Pinned holds the platform ids of messages logged with a 📌 reaction,
	// so that a second pin of the same message logs nothing.
	Pinned map[string]bool `json:"pinned,omitempty"`
	// RemindFailures counts the sweeps in a row whose posts failed, for
	// backoff; a success resets it.
	RemindFailures int `json:"remind_failures,omitempty"`
	// Messages maps a message role ("card", "checklist") to the platform's
	// reference of the message showing it, so that it is edited in place.
	Messages map[string]string `json:"messages,omitempty"`
	// Shown is the head sequence number the channel's card and checklist
	// last showed. While Head.Seq is above it, the channel is owed them:
	// stores index such incidents in the transaction that appends the
	// entries, and the bot's outbox sends them, after a restart too.
	Shown uint64 `json:"shown,omitempty"`
	// LinkFrom is the channel an incident opened in a channel of its own
	// (canal=nouveau) was opened from: that channel is owed a message
	// leading to the incident's, delivered with the first card, and then
	// LinkFrom is cleared.
	LinkFrom string `json:"link_from,omitempty"`
	// Rev is the store's revision of the record this copy was read from,
	// which Change.Seen compares: it is the store's, never encoded. (The
	// clicks of the last minute, once a field here, are kept by the store
	// apart: re-encoding them with every change made a busy incident slow.)
	Rev uint64 `json:"-"`
	// Facts are what the crisis cell gave for the declaration drafts
	// (brouillon), by fact key; the main courante keeps every value given.
	Facts map[string]string `json:"facts,omitempty"`
	// Roles are the crisis cell's roles held on this incident: the
	// holder of each role key ("dpo"), set by the role command and by the
	// configuration's holders at opening; every change is a KindRole
	// entry, which CheckRecord replays.
	Roles map[string]User `json:"roles,omitempty"`
	// Deputies are the roles' deputies (suppléants), called when the
	// role's holder is not there, and with the holder on escalations;
	// KindRole entries with deputy "yes" give them.
	Deputies map[string]User `json:"deputies,omitempty"`
	// Head is the last entry of the main courante, kept by the store.
	Head Head `json:"head"`
}

// AnswerRecord is one answer to a question: its value, who gave it and when
// (server time).
type AnswerRecord struct {
	Value flows.Value `json:"value"`
	By    User        `json:"by"`
	At    time.Time   `json:"at"`
}

// Answer returns the current answer to question key.
func (inc *Incident) Answer(key string) (AnswerRecord, bool) {
	rs := inc.Answers[key]
	if len(rs) == 0 {
		return AnswerRecord{}, false
	}
	return rs[len(rs)-1], true
}

// StepStatus is where a step of the chain stands.
type StepStatus string

// The statuses of a step. A step with no state is pending.
const (
	StepPending StepStatus = ""
	StepDone    StepStatus = "done"
	StepNA      StepStatus = "na" // sans objet, with a reason
)

// StepState is what the crisis cell did about a step.
type StepState struct {
	Status StepStatus `json:"status,omitempty"`
	Proof  *Proof     `json:"proof,omitempty"`
	Reason string     `json:"reason,omitempty"` // why not applicable
	By     User       `json:"by,omitzero"`
	At     time.Time  `json:"at,omitzero"` // server time of the last change
	// SnoozedUntil silences reminders of a pending step until then.
	SnoozedUntil time.Time `json:"snoozed_until,omitzero"`
	// Proposed is a declaration recorded by someone who may not settle
	// the step alone (declarations.owner, declarations.four_eyes): the
	// step stays pending, its deadline running, until confirmed.
	Proposed *Proof `json:"proposed,omitempty"`
}

// Means are the ways a notification is made.
var Means = []string{"portail", "email", "telephone", "courrier", "autre"}

// Proof is the evidence that a notification was made: who made it, when
// they say they made it and when the server recorded it, how, and the
// reference the recipient gave.
type Proof struct {
	By         User      `json:"by"`
	DeclaredAt time.Time `json:"declared_at"` // the time given by the user (default: server time)
	ServerAt   time.Time `json:"server_at"`
	Means      string    `json:"means"` // one of Means
	Ref        string    `json:"ref,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// Inputs returns what the chain evaluator needs from the incident.
func (inc *Incident) Inputs() flows.Input {
	in := flows.Input{T0: inc.T0, Answers: map[string]flows.Answer{}, Done: map[string]time.Time{}, Features: inc.Features}
	for key := range inc.Answers {
		a, _ := inc.Answer(key)
		in.Answers[key] = flows.Answer{Value: a.Value, At: a.At}
	}
	for id, st := range inc.Steps {
		if st.Status == StepDone && st.Proof != nil {
			in.Done[id] = st.Proof.DeclaredAt
		}
	}
	return in
}

// ErrNotFound is returned by a store for an incident it does not hold.
var ErrNotFound = errors.New("not found")

// Organisation is the structure Vigie serves, as declarations name it.
// Facts given on an incident (structure=, finess=, siren=, dpo=) take
// precedence, for a deployment that serves several structures.
type Organisation struct {
	Name   string // raison sociale
	FINESS string // for health and medico-social establishments
	SIREN  string // the CNIL's form asks it
	DPO    string // the data protection officer: name and how to reach them
	// Region is the id of the structure's region (pays-de-la-loire),
	// whose ARS it reports to: the main courante names it on its first
	// page, where a national chain does not say it.
	Region string
}
