package slack

import (
	"sync"
	"sync/atomic"
	"time"
)

// crewIdle is how long a crew's goroutine waits for more work before it
// ends: under load it is never idle that long; a quiet adapter keeps none.
const crewIdle = 10 * time.Second

// crew runs functions on goroutines it keeps between them. A request's
// goroutine grows its stack to the depth of the bot and of net/http, a few
// tens of kilobytes: a fresh goroutine per request copied its stack four
// or five times on the way, 6 % of the CPU per request on Slack's
// BenchmarkAnswerOpenLoop. A goroutine that waits for the next function
// keeps its grown stack.
//
// A function is handed to a goroutine waiting, or else to a new one: a
// crew never queues, so that a function never waits behind another, and
// its size is that of the busiest moment, bounded by its callers.
type crew struct {
	wg      *sync.WaitGroup // counts the goroutines, for Close to wait on
	work    chan func()     // unbuffered: taken only by a goroutine waiting
	quit    <-chan struct{} // closed when the adapter stops: waiting ones end
	spawned atomic.Int64    // goroutines started, for the tests
}

func newCrew(wg *sync.WaitGroup, quit <-chan struct{}) *crew {
	return &crew{wg: wg, work: make(chan func()), quit: quit}
}

// Go runs f on a goroutine of the crew. The caller must be counted in wg
// itself, or call before Close waits on wg.
func (c *crew) Go(f func()) {
	select {
	case c.work <- f:
	default:
		c.spawned.Add(1)
		c.wg.Go(func() {
			f()
			c.wait()
		})
	}
}

// wait runs the functions handed over until the crew has been idle for
// crewIdle, or quits.
func (c *crew) wait() {
	t := time.NewTimer(crewIdle)
	defer t.Stop()
	for {
		select {
		case f := <-c.work:
			f()
			t.Reset(crewIdle)
		case <-t.C:
			return
		case <-c.quit:
			return
		}
	}
}
