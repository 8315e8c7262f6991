package slack

import (
	"sync/atomic"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// Requests handled in their own acknowledgement. In HTTP mode, a command,
// a click or a form submitted is handled before it is acknowledged when
// one of the Workers places is free: what the bot stored is then the
// durable record, and the inbox is not written. Through the inbox, every
// request paid two more commits (written, then forgotten) on a second
// file, and a command's answer came through its response_url; measured on
// BenchmarkAnswerOpenLoop, the inbox's commits were 0.44 of the 0.93 disk
// syncs each request cost.
//
// Slack wants the acknowledgement within 3 seconds. When the bot takes
// longer than DirectWithin, the request is written to the inbox then,
// marked as held so that no rescan hands it to a worker, and acknowledged:
// from then on, it is the inbox's like any other, and a Vigie that dies
// before the bot is done handles it at its next start. Either way, what is
// acknowledged is stored, unless the inbox itself fails then (late).
//
// Socket Mode keeps the inbox for every request: an envelope not
// acknowledged is delivered again, and only the inbox's ids tell a
// redelivery from a new request after a restart. Over HTTP, Slack sends
// commands and clicks once.

// handled is the bot's work on a request: its reply, or why it must be
// tried again (handle).
type handled struct {
	r   bot.Reply
	err error
}

// directJob is a request handled in its own acknowledgement.
type directJob struct {
	in *inbound
	// waiting is set while the acknowledgement waits for the bot; who
	// clears it decides: the bot's goroutine hands the result over, or
	// the acknowledgement gives up and records the request.
	waiting  atomic.Bool
	result   chan handled // the bot's result, when handed over
	recorded chan uint64  // once given up: the inbox key written, or 0
}

// directs says whether requests of kind are handled in their own
// acknowledgement.
func (a *Adapter) directs(kind string) bool {
	if a.opt.Mode != ModeHTTP || a.opt.DirectWithin <= 0 {
		return false
	}
	switch kind {
	case kindCommand, kindAction, kindSubmit:
		return true
	}
	return false
}

// direct handles in before its acknowledgement, holding one of a.places,
// which it gives back; waited is the time spent waiting for that place,
// part of DirectWithin. ok says r is the bot's reply, for the caller to
// show; dup that in was seen before; err that in could not be recorded.
func (a *Adapter) direct(in *inbound, waited time.Duration) (r bot.Reply, ok, dup bool, err error) {
	if in.Key != "" && (a.seen.add(in.Key) || a.inbox.known(in.Key)) {
		<-a.places
		return bot.Reply{}, false, true, nil
	}
	j := &directJob{in: in, result: make(chan handled, 1), recorded: make(chan uint64, 1)}
	j.waiting.Store(true)
	a.crew.Go(func() {
		defer func() { <-a.places }()
		a.handleDirect(j)
	})
	wait := a.opt.DirectWithin
	if in.Kind == kindSubmit && a.opt.SubmitWithin > 0 {
		wait = min(wait, a.opt.SubmitWithin)
	}
	wait -= waited
	t := time.NewTimer(wait)
	defer t.Stop()
	var h handled
	select {
	case h = <-j.result:
	case <-t.C:
		if j.waiting.CompareAndSwap(true, false) {
			return a.late(j)
		}
		h = <-j.result // the bot's goroutine is handing it over
	}
	if h.err != nil {
		// Not handled: the inbox keeps it for a worker to try again.
		a.log.Warn("slack: will retry", "kind", in.Kind, "key", in.Key, "err", h.err)
		qj, dup, err := a.record(in, nil)
		if err == nil && !dup {
			a.enqueue(qj)
		}
		return bot.Reply{}, false, dup, err
	}
	return h.r, true, false, nil
}

// late records a request the bot has not finished within DirectWithin,
// held by its goroutine, which forgets it once handled. put's function
// may run more than once (bbolt runs a batch's functions again after one
// of them failed), claiming a sequence number each time: every claim
// holds its number, and all but the one written are released.
//
// When the inbox cannot record it, the request is acknowledged all the
// same: the bot is at work on it, and its answer, or its refusal, will
// show. Failing the acknowledgement would tell the person that nothing
// happened, then show the answer.
func (a *Adapter) late(j *directJob) (bot.Reply, bool, bool, error) {
	var claimed []uint64
	fresh, err := a.inbox.put(j.in, j.in.Received, func(n uint64) {
		a.hold(n)
		claimed = append(claimed, n)
	})
	var seq uint64
	if err == nil && fresh {
		seq = j.in.seq
	}
	kept := false
	for _, n := range claimed {
		if n == seq && !kept {
			kept = true
			continue
		}
		a.release(n)
	}
	if err != nil {
		a.log.Error("slack: inbox cannot record a request the bot is still handling; acknowledged without it", "kind", j.in.Kind, "err", err)
	}
	j.recorded <- seq
	return bot.Reply{}, false, err == nil && !fresh, nil
}

// handleDirect runs the bot on j's request and hands the result to the
// acknowledgement, or, when it gave up waiting, finishes the request as a
// worker does.
func (a *Adapter) handleDirect(j *directJob) {
	r, err := a.handle(j.in)
	if j.waiting.CompareAndSwap(true, false) {
		j.result <- handled{r, err}
		if err == nil {
			a.ran(j.in)
		}
		return
	}
	seq := <-j.recorded
	switch {
	case seq == 0 && err != nil:
		a.log.Error("slack: a request neither recorded nor handled", "kind", j.in.Kind, "key", j.in.Key, "err", err)
	case seq == 0:
		// Not in the inbox: the bot's commit is its only record.
		a.ran(j.in)
		a.deliver(a.base, j.in, r)
	case err != nil:
		a.log.Warn("slack: will retry", "kind", j.in.Kind, "key", j.in.Key, "err", err)
		a.release(seq)
	default:
		a.finish(j.in, r, true)
	}
}
