// Package remind drives the reminder sweep with robfig/cron: one job every
// interval (30 s by default) that asks the bot to send what fell due.
//
// The job holds no state: what is due, what was sent and when to look next
// live in the store, so a restart loses nothing. At start a sweep runs at
// once, so that what fell due while Vigie was down is sent (once, marked
// late) without waiting for the first tick.
//
// It imports the conversation (bot) for what a sweep reports, and must not
// import an adapter, a store or the command line.
package remind

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/vigie-sante/vigie/bot"
)

// Sweeper is what the scheduler needs from the bot.
type Sweeper interface {
	Sweep(ctx context.Context, now time.Time) (bot.SweepStats, error)
}

// DefaultInterval is how often the sweep runs.
const DefaultInterval = 30 * time.Second

// Scheduler runs the sweep on a cron schedule.
type Scheduler struct {
	sweeper  Sweeper
	interval time.Duration
	log      *slog.Logger
	now      func() time.Time
	cron     *cron.Cron
	ctx      context.Context
	cancel   context.CancelFunc
	first    sync.WaitGroup // the start sweep, waited for by Stop
}

// Options configure a Scheduler.
type Options struct {
	Interval time.Duration // DefaultInterval when zero
	Log      *slog.Logger
	// Now is the clock handed to each sweep (time.Now when nil): cron's
	// own timers drive the ticks, this says what time the sweep believes.
	Now func() time.Time
}

// New returns a scheduler. Intervals below a second are refused: cron's
// @every rounds them up.
func New(s Sweeper, opt Options) (*Scheduler, error) {
	if opt.Interval == 0 {
		opt.Interval = DefaultInterval
	}
	if opt.Interval < time.Second {
		return nil, fmt.Errorf("remind: sweep interval %v is below one second", opt.Interval)
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Scheduler{sweeper: s, interval: opt.Interval, log: opt.Log, now: opt.Now}, nil
}

// Start sweeps once in the background, then every interval until Stop:
// what fell due while Vigie was down is sent without holding up the start
// (serve answers meanwhile; the bot serializes sweeps). The job chain skips a
// tick while a sweep still runs and recovers a panicking sweep. The order
// matters (platforms.md §4): SkipIfStillRunning outermost, Recover inside
// it, so that a panic releases Skip's token and the next tick still runs.
func (s *Scheduler) Start(ctx context.Context) error {
	s.ctx, s.cancel = context.WithCancel(ctx)
	logger := cronLogger{s.log}
	s.cron = cron.New(
		cron.WithLocation(time.UTC),
		cron.WithLogger(logger),
		cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger)),
	)
	if _, err := s.cron.AddFunc(fmt.Sprintf("@every %s", s.interval), s.tick); err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	start := cron.NewChain(cron.Recover(logger)).Then(cron.FuncJob(s.tick)) // as the ticks are
	s.first.Go(start.Run)
	s.cron.Start()
	return nil
}

// Stop ends the schedule and waits for a running sweep to finish.
func (s *Scheduler) Stop() {
	if s.cron == nil {
		return
	}
	<-s.cron.Stop().Done()
	s.cancel() // a start sweep still running stops at its next incident
	s.first.Wait()
}

func (s *Scheduler) tick() {
	st, err := s.sweeper.Sweep(s.ctx, s.now())
	if err != nil {
		s.log.Error("reminder sweep", "err", err)
		return
	}
	if st.Sent > 0 || st.Failed > 0 {
		s.log.Info("reminder sweep", "incidents", st.Incidents, "sent", st.Sent, "late", st.Late, "failed", st.Failed)
	}
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
