package incident

import (
	"strconv"
	"strings"
	"time"
)

// Canonical is the one encoding Vigie hashes and signs: every field on its
// own line, its name and its value each preceded by its length in bytes
// ("4 text 5 hello\n"), so that no two different sequences of fields
// encode alike, whatever their names and values hold (spaces, newlines,
// digits). Entries are hashed in it, and export headers signed in it.
type Canonical struct {
	b strings.Builder
}

// Field appends a field.
func (c *Canonical) Field(name, v string) {
	c.b.WriteString(strconv.Itoa(len(name)))
	c.b.WriteByte(' ')
	c.b.WriteString(name)
	c.b.WriteByte(' ')
	c.b.WriteString(strconv.Itoa(len(v)))
	c.b.WriteByte(' ')
	c.b.WriteString(v)
	c.b.WriteByte('\n')
}

// Time appends an instant as UTC RFC 3339 with as many decimals as it has;
// the zero instant is the empty string.
func (c *Canonical) Time(name string, t time.Time) {
	if t.IsZero() {
		c.Field(name, "")
		return
	}
	c.Field(name, t.UTC().Format(time.RFC3339Nano))
}

// Bytes returns the encoding so far.
func (c *Canonical) Bytes() []byte { return []byte(c.b.String()) }
