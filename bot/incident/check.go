package incident

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ChainError is why a main courante is not intact: the first bad entry
// (Seq, its expected position in the chain) or, with Seq 0, something
// around the entries (the head, the file that carries them).
type ChainError struct {
	Seq    uint64
	Reason string
}

func (e *ChainError) Error() string {
	if e.Seq == 0 {
		return e.Reason
	}
	return "entry " + strconv.FormatUint(e.Seq, 10) + ": " + e.Reason
}

// Check checks that entries form the main courante of incident id from its
// first entry, and returns its head. It names the first entry that breaks
// the chain, by the position where it was expected, as a *ChainError.
func Check(id string, entries []Entry) (Head, error) {
	c := Checker{ID: id}
	for i := range entries {
		if err := c.Next(&entries[i]); err != nil {
			return Head{}, err
		}
	}
	return c.Head, nil
}

// Checker checks a main courante one entry at a time, as Check does, for
// readers that never hold it whole (an export of 100 000 entries is
// written, and read back, a page at a time).
type Checker struct {
	ID   string // the incident the entries belong to
	Head Head   // the last entry checked; zero before the first
}

// Next checks that e follows the entries checked so far, and makes it the
// head. After an error the Checker is unchanged.
func (c *Checker) Next(e *Entry) error {
	want := c.Head.Seq + 1
	bad := func(format string, args ...any) error {
		return &ChainError{Seq: want, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case e.Seq != want:
		return bad("expected seq %d, found %d (removed or reordered?)", want, e.Seq)
	case e.Incident != c.ID:
		return bad("belongs to incident %q, not %q", e.Incident, c.ID)
	case e.Prev != c.Head.Hash && want == 1:
		return bad("prev must be empty for the first entry (entries removed at the start?)")
	case e.Prev != c.Head.Hash:
		return bad("prev does not match the hash of entry %d (entry %d altered?)", want-1, want-1)
	}
	if e.ComputeHash() != e.Hash {
		return bad("hash does not match its content (altered?)")
	}
	c.Head = Head{Seq: e.Seq, Hash: e.Hash}
	return nil
}

// ErrBroken is matched (errors.Is) by a BrokenError.
var ErrBroken = errors.New("main courante broken")

// BrokenError says that the stored main courante of an incident does not
// verify, and where it breaks. A store returns it instead of appending
// after the break, which the next entry's hash would seem to vouch for.
type BrokenError struct {
	Incident string
	Where    string // the store: a database file
	Err      error  // the first break, as Check names it
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("the main courante of incident %s in %s is broken (%v): nothing more is appended to it. "+
		"Restore the last backup, or run vigie check", e.Incident, e.Where, e.Err)
}

// Is makes errors.Is(err, ErrBroken) true.
func (e *BrokenError) Is(target error) bool { return target == ErrBroken }

// Unwrap returns the break.
func (e *BrokenError) Unwrap() error { return e.Err }

// RecordError says that a field of an incident's record (or of the header
// of an export, which copies it) disagrees with what its entries say.
type RecordError struct {
	Field     string // title, exercise, t0, chain, version, opened_by, opened_at, status, closed_by, closed_at
	Got, Want string
	Seq       uint64 // the entry that says otherwise; 0: no entry closes the incident
}

func (e *RecordError) Error() string {
	switch {
	case e.Seq == 0 && e.Field == "status":
		return fmt.Sprintf("%s is %q but no entry closes the incident", e.Field, e.Got)
	case e.Seq == 0:
		return fmt.Sprintf("%s is %q but no entry gives it", e.Field, e.Got)
	}
	return fmt.Sprintf("%s is %q but entry %d says %q", e.Field, e.Got, e.Seq, e.Want)
}

// CheckRecord recomputes from entries, a chain already checked whose first
// entry is the opening, every field of inc they determine, and returns
// the first that disagrees as a *RecordError: the opening gives the title,
// whether the incident is an exercise (data exercise=yes), who opened and
// when; T0 is the last T0 correction's, else the opening's
// (to the second, as entries record it); the chain and its version are the
// last chosen; the status, who closed and when come from the closing
// entry. Entries that do not start with an opening determine nothing.
func CheckRecord(inc *Incident, entries []Entry) error {
	if len(entries) == 0 || entries[0].Kind != KindOpened {
		return nil
	}
	utc := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	opened := entries[0]
	if v, ok := opened.Data["title"]; ok && v != inc.Title {
		return &RecordError{"title", inc.Title, v, 1}
	}
	if ex := opened.Data["exercise"] == "yes"; inc.Exercise != ex {
		return &RecordError{"exercise", yesNo(inc.Exercise), yesNo(ex), 1}
	}
	if by := inc.OpenedBy.String(); by != opened.Actor {
		return &RecordError{"opened_by", by, opened.Actor, 1}
	}
	if !inc.OpenedAt.Equal(opened.Time) {
		return &RecordError{"opened_at", utc(inc.OpenedAt), utc(opened.Time), 1}
	}
	t0, t0Seq := opened.Data["t0"], uint64(1)
	chain, version, chainSeq := opened.Data["chain"], opened.Data["version"], uint64(1)
	var closed *Entry
	held, roleSeq := holders(entries)
	for i := range entries {
		e := &entries[i]
		switch e.Kind {
		case KindT0:
			t0, t0Seq = e.Data["new"], e.Seq
		case KindChain:
			chain, version, chainSeq = e.Data["chain"], e.Data["version"], e.Seq
		case KindClosed:
			closed = e
		}
	}
	if t0 != "" {
		want, err := time.Parse(time.RFC3339Nano, t0)
		if err != nil || !inc.T0.Truncate(time.Second).Equal(want.Truncate(time.Second)) {
			return &RecordError{"t0", utc(inc.T0), t0, t0Seq}
		}
	}
	if inc.Chain != chain {
		return &RecordError{"chain", inc.Chain, chain, chainSeq}
	}
	if inc.Version != version {
		return &RecordError{"version", inc.Version, version, chainSeq}
	}
	for _, f := range []struct {
		name string
		got  map[string]User
	}{{"roles", inc.Roles}, {"deputies", inc.Deputies}} {
		for key, u := range f.got {
			if _, ok := held[f.name][key]; !ok {
				return &RecordError{f.name + "." + key, u.String(), "", roleSeq[f.name+"."+key]}
			}
		}
		for key, u := range held[f.name] {
			if got, ok := f.got[key]; !ok || got != u {
				return &RecordError{f.name + "." + key, got.String(), u.String(), roleSeq[f.name+"."+key]}
			}
		}
	}
	if closed == nil {
		if inc.Status != StatusOpen || !inc.ClosedAt.IsZero() || inc.ClosedBy != (User{}) {
			return &RecordError{Field: "status", Got: string(inc.Status)}
		}
		return nil
	}
	switch {
	case inc.Status != StatusClosed:
		return &RecordError{"status", string(inc.Status), string(StatusClosed), closed.Seq}
	case inc.ClosedBy.String() != closed.Actor:
		return &RecordError{"closed_by", inc.ClosedBy.String(), closed.Actor, closed.Seq}
	case !inc.ClosedAt.Equal(closed.Time):
		return &RecordError{"closed_at", utc(inc.ClosedAt), utc(closed.Time), closed.Seq}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Holders are the roles' holders and deputies as entries give them (a
// record whose own fields do not say, such as an export's header).
func Holders(entries []Entry) (roles, deputies map[string]User) {
	held, _ := holders(entries)
	return held["roles"], held["deputies"]
}

// holders replays the KindRole entries: the holders ("roles") and the
// deputies ("deputies") by role key, and the entry that last set each
// ("roles.dpo").
func holders(entries []Entry) (held map[string]map[string]User, seq map[string]uint64) {
	held, seq = map[string]map[string]User{"roles": {}, "deputies": {}}, map[string]uint64{}
	for _, e := range entries {
		deputy, key, u, ok := e.RoleChange()
		if key == "" {
			continue
		}
		field := "roles"
		if deputy {
			field = "deputies"
		}
		seq[field+"."+key] = e.Seq
		if ok {
			held[field][key] = u
		} else {
			delete(held[field], key)
		}
	}
	return held, seq
}

// RoleChange reads a KindRole entry: whether it is a deputy's, the role's
// key, and who holds it after it (ok false: nobody, released). Any other
// entry gives key "".
func (e Entry) RoleChange() (deputy bool, key string, holder User, ok bool) {
	if e.Kind != KindRole {
		return false, "", User{}, false
	}
	deputy, key = e.Data["deputy"] == "yes", e.Data["role"]
	if h := e.Data["holder"]; h != "" {
		return deputy, key, User{ID: e.Data["holder_id"], Name: strings.TrimPrefix(h, "@")}, true
	}
	return deputy, key, User{}, false
}
