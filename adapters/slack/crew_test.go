package slack

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestCrewKeepsGoroutines: functions one after the other run on the same
// goroutine; functions at once each get one; an idle goroutine ends after
// crewIdle, and all end when the crew quits.
func TestCrewKeepsGoroutines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var wg sync.WaitGroup
		quit := make(chan struct{})
		c := newCrew(&wg, quit)
		ran := 0
		for range 5 {
			c.Go(func() { ran++ })
			synctest.Wait() // done, and waiting for more
		}
		if ran != 5 || c.spawned.Load() != 1 {
			t.Fatalf("5 functions one after the other: %d ran on %d goroutines, want 5 on 1", ran, c.spawned.Load())
		}

		gate := make(chan struct{})
		for range 3 {
			c.Go(func() { <-gate })
		}
		synctest.Wait()
		if n := c.spawned.Load(); n != 3 {
			t.Fatalf("3 functions at once: %d goroutines in all, want 3 (one kept, two new)", n)
		}
		close(gate)
		synctest.Wait()

		time.Sleep(crewIdle + time.Second)
		synctest.Wait() // the idle ones ended
		c.Go(func() {})
		synctest.Wait()
		if n := c.spawned.Load(); n != 4 {
			t.Fatalf("after %v idle: %d goroutines in all, want 4 (a new one)", crewIdle, n)
		}

		close(quit)
		wg.Wait() // hangs (and synctest says so) if one is still waiting
	})
}
