package mattermost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
)

// Editing a post costs Mattermost a database write and a broadcast, 10 to
// 20 ms each, and the bot edits the card and the checklist after every
// change. Made in line they would double the time a click or a command
// waits for its answer. So Update only records the latest rendering of the
// post and returns; one goroutine per post sends it, and a rendering that
// arrives while another is being sent replaces whatever is still waiting:
// the newest always wins and the oldest never lands last. After an edit,
// the goroutine waits Options.EditGap (500 ms) before it sends the next
// one of that post: a lone change shows at once, and a burst of changes to
// one card (a cell answering its questions, or the load benchmark's 200
// clients) makes an edit per half second instead of one per change, which
// spares Mattermost most of them (the load benchmark spent a third of its
// CPU in edits). A failed edit is tried again with backoff (honouring
// Retry-After) until a newer rendering replaces it. Flush waits for the
// edits not yet made; Run calls it on its way out, so a stopping Vigie
// leaves its cards as they should be.

// updates is the state of the edits not yet made.
type updates struct {
	mu      sync.Mutex         // guards the fields below
	pending map[string]pending // post id → the latest rendering to send
	busy    map[string]bool    // post id → a goroutine sends its edits
	sending int                // edits being sent
}

type pending struct {
	channel string
	m       bot.Message
}

// Update records m as the new content of the post ref; it is sent in the
// background (see above), or at once when Options.SyncUpdates is set.
func (a *Adapter) Update(ctx context.Context, channel, ref string, m bot.Message) error {
	if a.opt.SyncUpdates {
		return a.update(ctx, channel, ref, m)
	}
	u := &a.upd
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.pending == nil {
		u.pending, u.busy = map[string]pending{}, map[string]bool{}
	}
	u.pending[ref] = pending{channel: channel, m: m}
	if !u.busy[ref] {
		u.busy[ref] = true
		go a.sendUpdates(ref)
	}
	return nil
}

// sendUpdates sends the latest rendering of ref until none is waiting.
func (a *Adapter) sendUpdates(ref string) {
	u := &a.upd
	failures := 0
	for {
		u.mu.Lock()
		p, ok := u.pending[ref]
		if !ok {
			delete(u.busy, ref)
			u.mu.Unlock()
			return
		}
		delete(u.pending, ref)
		u.sending++
		u.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), a.opt.Timeout)
		err := a.update(ctx, p.channel, ref, p.m)
		cancel()
		u.mu.Lock()
		u.sending--
		u.mu.Unlock()
		if err == nil || !errors.Is(err, bot.ErrTemporary) || failures >= 5 {
			if err != nil {
				a.log.Warn("mattermost: card not updated", "post", ref, "err", err)
			}
			failures = 0
			time.Sleep(a.opt.EditGap) // newer renderings gather meanwhile
			continue
		}
		// Platform trouble: put it back unless newer came, and wait.
		failures++
		wait := min(time.Second<<failures, time.Minute)
		var ra bot.RetryAfter
		if errors.As(err, &ra) && ra.RetryAfter() > wait {
			wait = min(ra.RetryAfter(), 5*time.Minute)
		}
		a.log.Warn("mattermost: card update failed; retrying", "post", ref, "in", wait.String(), "err", err)
		u.mu.Lock()
		if _, newer := u.pending[ref]; !newer {
			u.pending[ref] = p
		}
		u.mu.Unlock()
		time.Sleep(wait)
	}
}

// Flush waits until the edits recorded so far are sent (or ctx ends).
func (a *Adapter) Flush(ctx context.Context) error {
	for {
		a.upd.mu.Lock()
		n := len(a.upd.pending) + a.upd.sending
		a.upd.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// update edits the post ref in place with m: message and attachments.
func (a *Adapter) update(ctx context.Context, channel, ref string, m bot.Message) error {
	p := a.renderer(ctx, channel).post(m)
	msg := p.Message
	props := model.StringInterface{model.PostPropsFromBot: "true"}
	if at, ok := p.GetProps()[model.PostPropsAttachments]; ok {
		props[model.PostPropsAttachments] = at
	}
	patch := &model.PostPatch{Message: &msg, Props: &props}
	err := a.do(ctx, "patch post", func() (*model.Response, error) {
		return a.patchPost(ctx, ref, patch)
	})
	if err != nil {
		return fmt.Errorf("update post %s in %s: %w", ref, channel, err)
	}
	return nil
}

// patchPost is model.Client4.PatchPost without decoding the edited post
// the server answers with: Vigie does not read it, and decoding it cost a
// tenth of the CPU of the load benchmark (load_test.go).
func (a *Adapter) patchPost(ctx context.Context, ref string, patch *model.PostPatch) (*model.Response, error) {
	r, err := a.api.DoAPIPutJSON(ctx, "/posts/"+url.PathEscape(ref)+"/patch", patch)
	if r != nil && r.Body != nil {
		io.Copy(io.Discard, r.Body) // so that the connection is reused
		r.Body.Close()
	}
	return model.BuildResponse(r), err
}
