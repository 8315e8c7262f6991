// Package expiring holds a bounded map whose entries expire: what the chat
// adapters know of people (name, language) for a while, so that an event
// costs no extra call to the platform, without growing without bound.
//
// It imports nothing of ours.
package expiring

import (
	"sync"
	"time"
)

// Map maps keys to values until their expiry, holding at most Max entries
// (4096 when zero). The zero Map is ready to use and safe for concurrent
// use. Time is passed in, so that callers keep their own clock.
type Map[K comparable, V any] struct {
	Max int

	mu sync.Mutex // guards m
	m  map[K]entry[V]
}

type entry[V any] struct {
	v     V
	until time.Time
}

// Get returns the value of k if it has not expired at now.
func (c *Map[K, V]) Get(k K, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || now.After(e.until) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put stores v for k until the instant until. A full map first drops its
// expired entries, then, if still full, a quarter of the others (any).
func (c *Map[K, V]) Put(k K, v V, until, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := c.Max
	if limit <= 0 {
		limit = 4096
	}
	if c.m == nil {
		c.m = map[K]entry[V]{}
	}
	if _, ok := c.m[k]; !ok && len(c.m) >= limit {
		for key, e := range c.m {
			if now.After(e.until) {
				delete(c.m, key)
			}
		}
		for key := range c.m {
			if len(c.m) < limit*3/4 {
				break
			}
			delete(c.m, key)
		}
	}
	c.m[k] = entry[V]{v, until}
}

// Len returns the number of entries held, expired ones included.
func (c *Map[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Delete forgets k.
func (c *Map[K, V]) Delete(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}
