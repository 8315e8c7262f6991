package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"time"
)

// Entry is one line of the main courante: the append-only, hash-chained log
// of everything said and done during an incident. Corrections are new
// entries; nothing is deleted.
type Entry struct {
	Incident string            `json:"incident"`
	Seq      uint64            `json:"seq"` // 1, 2, 3… per incident
	Time     time.Time         `json:"time"`
	Actor    string            `json:"actor"`
	Kind     string            `json:"kind"`
	Text     string            `json:"text"`
	Data     map[string]string `json:"data,omitempty"`
	Prev     string            `json:"prev"` // hash of the previous entry; "" for the first
	Hash     string            `json:"hash"`
}

// Head is the last entry of a main courante: its sequence number and hash.
// The card shows its short form so that the chat history witnesses it.
type Head struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Short is the head as shown on cards: "#12 3f2a9c1b04de".
func (h Head) Short() string {
	if h.Hash == "" {
		return "#0"
	}
	return "#" + strconv.FormatUint(h.Seq, 10) + " " + h.Hash[:12]
}

// Kinds of entries.
const (
	KindOpened   = "opened"
	KindChain    = "chain"
	KindAnswer   = "answer"
	KindDone     = "done"
	KindNA       = "na"
	KindSnooze   = "snooze"
	KindNote     = "note"
	KindPoint    = "point"
	KindT0       = "t0"
	KindExport   = "export"
	KindClosed   = "closed"
	KindReminder = "reminder"
	// KindGuard records that a text was kept with what looked like a
	// patient identifier, at the user's request.
	KindGuard = "guard"
	KindFacts = "facts" // facts given for the declaration drafts
	KindDraft = "draft" // a declaration draft produced, with its hash
	// KindRole records a role taken, given or released: data role (its
	// key), holder ("@name", empty when released), holder_id (the
	// platform's id, when known) and previous (who held it); deputy "yes"
	// when it is the role's deputy that changed.
	KindRole = "role"
	// KindProposed records a declaration awaiting its confirmation by the
	// step's owner or a second person (data as KindDone's); the KindDone
	// entry that confirms it gives proposed_by.
	KindProposed = "proposed"
	// KindHandover records a hand-over between shifts: data from and to
	// (the entries it covers, those after the previous hand-over's),
	// text (the summary posted in the channel) and sha256 (its hash).
	KindHandover = "handover"
	// KindMessage records a message to stakeholders produced from a
	// situation point: data audience, point (the point's entry), sha256
	// (the hash of the text) and masked (the identifiers masked in it).
	KindMessage = "message"
)

// ComputeHash returns the SHA-256 of the entry's content and the previous
// hash, in hex, in the Canonical encoding (data keys sorted), so that no
// two entries encode alike whatever their text or data keys.
func (e *Entry) ComputeHash() string {
	var c Canonical
	field := c.Field
	field("v", "1")
	field("incident", e.Incident)
	field("seq", strconv.FormatUint(e.Seq, 10))
	field("time", e.Time.UTC().Format(time.RFC3339Nano)) // never zero: sealed entries have a time
	field("actor", e.Actor)
	field("kind", e.Kind)
	field("text", e.Text)
	keys := make([]string, 0, len(e.Data))
	for k := range e.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field("data."+k, e.Data[k])
	}
	field("prev", e.Prev)
	sum := sha256.Sum256(c.Bytes())
	return hex.EncodeToString(sum[:])
}

// Seal chains entries after head: it numbers them, links each to the one
// before and computes their hashes. It returns the new head. Stores call it
// inside the transaction that writes the entries.
func Seal(head Head, incident string, entries []Entry) Head {
	for i := range entries {
		e := &entries[i]
		e.Incident = incident
		e.Time = e.Time.UTC()
		head.Seq++
		e.Seq = head.Seq
		e.Prev = head.Hash
		e.Hash = e.ComputeHash()
		head.Hash = e.Hash
	}
	return head
}
