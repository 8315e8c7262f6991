package slack

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
)

const (
	// queueSize bounds the requests waiting for a worker; beyond it they
	// wait in the inbox for the next rescan.
	queueSize = 1024
	// rescanEvery is how often the inbox is read for requests that no
	// worker holds: left by a previous process, or beyond the queue.
	rescanEvery = 5 * time.Second
	// triggerLife is how long a trigger_id opens a modal (Slack says 3 s).
	triggerLife = 2500 * time.Millisecond
	// responseURLLife is how long a response_url answers (Slack: 30 min).
	responseURLLife = 29 * time.Minute
)

// job is an inbound request on its way to a worker.
type job struct {
	in *inbound
	// rescanned is set on a job read from the inbox by a rescan, which
	// may have read it just before its handler forgot it: the worker
	// checks that the inbox still holds it.
	rescanned bool
	// waiting is set while the acknowledgement waits for the reply, which
	// the worker then hands over on result instead of sending it itself.
	waiting atomic.Bool
	result  chan bot.Reply
}

func newJob(in *inbound) *job { return &job{in: in, result: make(chan bot.Reply, 1)} }

// start launches the workers and the rescans, once, handing events to h.
func (a *Adapter) start(h Handler) {
	a.startOnce.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		a.mu.Lock()
		a.h, a.base, a.stop = h, ctx, cancel
		a.queue = make(chan *job, queueSize)
		a.quit = make(chan struct{})
		a.rescanned = make(chan struct{})
		a.crew = newCrew(&a.workers, a.quit)
		a.mu.Unlock()
		for range a.opt.Workers {
			a.workers.Go(a.work)
		}
		go a.rescan()
	})
}

// begin counts an inbound request until its acknowledgement (end), and
// refuses it once the adapter is closing.
func (a *Adapter) begin() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing || a.queue == nil {
		return false
	}
	a.requests.Add(1)
	a.acking.Add(1)
	return true
}

func (a *Adapter) end() {
	a.acking.Add(-1)
	a.requests.Done()
}

// busy says a reply would not be quick: no worker is free, or more
// requests are being acknowledged than there are workers. Then a slash
// command's acknowledgement does not wait for the bot.
func (a *Adapter) busy() bool {
	return a.idle.Load() == 0 || int(a.acking.Load()) > a.opt.Workers
}

// accept records in, received, in the inbox, unless Slack sent it before
// (dup).
func (a *Adapter) accept(in *inbound) (j *job, dup bool, err error) {
	if in.Key != "" && a.seen.add(in.Key) {
		return nil, true, nil
	}
	return a.record(in, nil)
}

// record writes in, already counted as seen, to the inbox; claim is put's.
func (a *Adapter) record(in *inbound, claim func(uint64)) (j *job, dup bool, err error) {
	fresh, err := a.inbox.put(in, in.Received, claim)
	if err != nil {
		if in.Key != "" {
			a.seen.forget(in.Key)
		}
		return nil, false, err
	}
	if !fresh {
		return nil, true, nil
	}
	return newJob(in), false, nil
}

// await queues j and, when wait > 0, waits that long for the bot's reply;
// ok says the reply came and is the caller's to send.
func (a *Adapter) await(j *job, wait time.Duration) (r bot.Reply, ok bool) {
	if wait <= 0 {
		a.enqueue(j)
		return bot.Reply{}, false
	}
	j.waiting.Store(true)
	a.enqueue(j)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case r = <-j.result:
		return r, true
	case <-t.C:
		if j.waiting.CompareAndSwap(true, false) {
			return bot.Reply{}, false
		}
		return <-j.result, true // the worker is handing it over
	}
}

// enqueue gives j to a worker unless one holds it already or the queue is
// full; then it stays in the inbox for the next rescan.
func (a *Adapter) enqueue(j *job) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.queueClosed || a.inflight[j.in.seq] > 0 {
		return false
	}
	select {
	case a.queue <- j:
		a.inflight[j.in.seq]++
		return true
	default:
		return false
	}
}

// hold marks inbox entry seq as queued or being handled: no rescan hands
// it to a worker until it is released as many times.
func (a *Adapter) hold(seq uint64) {
	a.mu.Lock()
	a.inflight[seq]++
	a.mu.Unlock()
}

func (a *Adapter) release(seq uint64) {
	a.mu.Lock()
	if a.inflight[seq]--; a.inflight[seq] <= 0 {
		delete(a.inflight, seq)
	}
	a.mu.Unlock()
}

func (a *Adapter) work() {
	a.idle.Add(1)
	for j := range a.queue {
		a.idle.Add(-1)
		if a.base.Err() == nil && (!j.rescanned || a.inbox.holds(j.in.seq)) {
			a.run(j)
		} else {
			a.release(j.in.seq) // stopping, or forgotten since the rescan read it
		}
		a.idle.Add(1)
	}
	a.idle.Add(-1)
}

// run handles one request: the bot first; then, after the worker moved on
// to the next request, the inbox forgets it and the reply goes to the
// person (on the acknowledgement when it waits). Workers bound the events
// the bot handles at once, not the replies on their way: a worker that
// waited for the inbox's commit and for Slack to take the reply (a tenth
// of a second or more on the Internet) would cap the adapter at a few
// dozen requests a second whatever the bot's speed.
func (a *Adapter) run(j *job) {
	r, err := a.handle(j.in)
	if err != nil {
		// Kept in the inbox: the next rescan tries again.
		a.log.Warn("slack: will retry", "kind", j.in.Kind, "key", j.in.Key, "err", err)
		if j.waiting.CompareAndSwap(true, false) {
			j.result <- bot.Reply{}
		}
		a.release(j.in.seq)
		return
	}
	// A waiting acknowledgement gets the reply at once: the bot's change
	// is stored, and the inbox forgetting the request is bookkeeping.
	handed := j.waiting.CompareAndSwap(true, false)
	if handed {
		j.result <- r
	}
	a.crew.Go(func() { a.finish(j.in, r, !handed) })
}

// finish forgets a request handled, then shows its reply when deliver.
// It runs counted with the workers, so that Close waits for it before the
// inbox closes; the request is released only once forgotten, so that no
// rescan hands it to a worker again meanwhile.
func (a *Adapter) finish(in *inbound, r bot.Reply, deliver bool) {
	defer a.release(in.seq)
	if err := a.inbox.done(in.seq); err != nil {
		a.log.Error("slack: inbox", "err", err)
	}
	a.ran(in)
	if deliver {
		a.deliver(a.base, in, r)
	}
}

// ran tells the tests that in was handled (Options.afterRun).
func (a *Adapter) ran(in *inbound) {
	if a.opt.afterRun != nil {
		a.opt.afterRun(in)
	}
}

// handle hands a request to the bot. An error means it was not handled
// and may be tried again: a pin whose message could not be read, or a
// refusal because the adapter is stopping and the bot's calls were cut (a
// refusal changed nothing; the next start handles it again).
func (a *Adapter) handle(in *inbound) (bot.Reply, error) {
	ctx := a.base
	r, err := a.process(ctx, in)
	if err == nil && r.Error && ctx.Err() != nil {
		err = ctx.Err()
	}
	return r, err
}

func (a *Adapter) process(ctx context.Context, in *inbound) (bot.Reply, error) {
	if in.Kind == kindPin {
		return bot.Reply{}, a.pin(ctx, in)
	}
	ev := in.Event
	ev.Lang = a.userLang(ctx, ev.User.ID) // the person's, looked up at handling (people.go)
	ev.Dialogs = in.TriggerID != "" && in.Kind != kindSubmit && a.now().Sub(in.Received) < triggerLife
	r := a.h.Handle(ctx, ev)
	if r.Dialog == nil {
		return r, nil
	}
	err := a.openDialog(ctx, in.TriggerID, ev.Channel, *r.Dialog, ev.Lang)
	if err == nil {
		return bot.Reply{}, nil
	}
	// The trigger expired (3 s) or Slack refused the modal: the bot then
	// answers with the typed form of the command.
	a.log.Warn("slack: open dialog", "channel", ev.Channel, "err", err)
	ev.Dialogs = false
	return a.h.Handle(ctx, ev), nil
}

// later sends a reply in the background, after an acknowledgement.
func (a *Adapter) later(in *inbound, r bot.Reply) {
	if r.Text == "" && r.Message == nil {
		return
	}
	a.crew.Go(func() { a.deliver(a.base, in, r) })
}

// deliver shows a reply to the person only: through the response_url while
// it lives, else chat.postEphemeral.
func (a *Adapter) deliver(ctx context.Context, in *inbound, r bot.Reply) {
	if r.Text == "" && r.Message == nil {
		return
	}
	opts := a.replyOptions(r)
	if in.ResponseURL != "" && a.now().Sub(in.Received) < responseURLLife && a.trustedURL(in.ResponseURL) {
		err := a.call(ctx, "response_url", func() error {
			_, _, err := a.api.PostMessageContext(ctx, in.Event.Channel,
				append(opts, slack.MsgOptionResponseURL(in.ResponseURL, slack.ResponseTypeEphemeral))...)
			return err
		})
		if err == nil {
			a.answered(in)
			return
		}
		a.log.Warn("slack: reply through response_url", "err", err)
	}
	err := a.call(ctx, "chat.postEphemeral", func() error {
		_, err := a.api.PostEphemeralContext(ctx, in.Event.Channel, in.Event.User.ID, opts...)
		return err
	})
	if err != nil {
		a.log.Warn("slack: reply", "channel", in.Event.Channel, "user", in.Event.User.ID, "err", err)
		return
	}
	a.answered(in)
}

func (a *Adapter) replyOptions(r bot.Reply) []slack.MsgOption {
	if r.Message != nil {
		return a.messageOptions(*r.Message)
	}
	return []slack.MsgOption{slack.MsgOptionText(mrkdwn(r.Text), false)}
}

// trustedURL accepts the response_urls Slack gives: https on slack.com or
// one of its subdomains, or the API's own host (tests). A forged one
// would not get our answers.
func (a *Adapter) trustedURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme == "https" && (host == "slack.com" || strings.HasSuffix(host, ".slack.com")) {
		return true
	}
	api, err := url.Parse(a.opt.APIURL)
	return a.opt.APIURL != "" && err == nil && u.Scheme == api.Scheme && strings.EqualFold(u.Host, api.Host)
}

// rescan hands the workers what the inbox holds and no worker has: first
// what a previous process acknowledged and did not handle, then, every few
// seconds, what the queue could not take or a worker must try again.
// It also forgets old ids.
func (a *Adapter) rescan() {
	defer close(a.rescanned)
	if n, err := a.inbox.prune(a.now()); err != nil {
		a.log.Warn("slack: inbox prune", "err", err)
	} else if n > 0 {
		a.log.Debug("slack: inbox pruned", "ids", n)
	}
	a.requeue(true)
	t := time.NewTicker(rescanEvery)
	defer t.Stop()
	pruned := a.now()
	for {
		select {
		case <-a.quit:
			return
		case <-t.C:
			a.requeue(false)
			if a.now().Sub(pruned) > 10*time.Minute {
				pruned = a.now()
				if _, err := a.inbox.prune(pruned); err != nil {
					a.log.Warn("slack: inbox prune", "err", err)
				}
			}
		}
	}
}

// requeue queues the inbox's requests; at start all of them, later only
// those old enough not to be on their way from an acknowledgement.
func (a *Adapter) requeue(all bool) {
	pending, err := a.inbox.pending(queueSize)
	if err != nil {
		a.log.Error("slack: inbox", "err", err)
		return
	}
	for _, in := range pending {
		if !all && a.now().Sub(in.Received) < 2*time.Second {
			continue
		}
		if all {
			a.log.Info("slack: handling a request left from before the restart", "kind", in.Kind, "received", in.Received)
		}
		j := newJob(in)
		j.rescanned = true
		a.enqueue(j)
	}
}
