package expiring

import (
	"fmt"
	"testing"
	"time"
)

func TestExpiryAndBound(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)
	c := Map[string, int]{Max: 100}
	c.Put("a", 1, now.Add(time.Minute), now)
	if v, ok := c.Get("a", now); !ok || v != 1 {
		t.Fatalf("Get = %v %v", v, ok)
	}
	if _, ok := c.Get("a", now.Add(2*time.Minute)); ok {
		t.Fatal("an expired entry is returned")
	}
	for i := range 100 {
		c.Put(fmt.Sprint("stale", i), i, now.Add(-time.Second), now)
	}
	c.Put("fresh", 1, now.Add(time.Minute), now)
	if c.Len() > 3 { // a, the last stale one (put into a full map), fresh
		t.Fatalf("%d entries after a put on a full map of stale ones; the stale ones must go first", c.Len())
	}
	for i := range 300 {
		c.Put(fmt.Sprint("u", i), i, now.Add(time.Minute), now)
		if c.Len() > 100 {
			t.Fatalf("%d entries, over 100", c.Len())
		}
	}
	// Replacing a key in a full map drops nothing.
	n := c.Len()
	c.Put("u299", 0, now.Add(time.Minute), now)
	if c.Len() != n {
		t.Fatalf("replacing a key changed the size from %d to %d", n, c.Len())
	}
}
