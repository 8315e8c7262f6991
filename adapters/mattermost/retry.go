package mattermost

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
)

// Retry bounds how a REST call is retried on 429, 5xx and network errors.
// The waits happen while someone waits for an answer (a slash command, a
// click), so they stay short: a longer Retry-After is not waited in line,
// it is returned for the sweep to honour.
type Retry struct {
	Attempts int           // calls in all (3 by default)
	Base     time.Duration // first backoff, doubled at each attempt (200 ms)
	MaxWait  time.Duration // longest wait in line (3 s)
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 3
	}
	if r.Base <= 0 {
		r.Base = 200 * time.Millisecond
	}
	if r.MaxWait <= 0 {
		r.MaxWait = 3 * time.Second
	}
	return r
}

// apiError is a failed REST call: the operation, the HTTP status (0 when
// the server was not reached) and, for 429 and 5xx, how long to wait.
type apiError struct {
	op         string
	status     int
	temporary  bool
	retryAfter time.Duration
	err        error
}

func (e *apiError) Error() string {
	if e.status != 0 {
		return fmt.Sprintf("mattermost %s: status %d: %s", e.op, e.status, e.message())
	}
	return fmt.Sprintf("mattermost %s: %v", e.op, e.err)
}

// message is the server's own words, without the request id noise.
func (e *apiError) message() string {
	var ae *model.AppError
	if errors.As(e.err, &ae) {
		if ae.Message != "" {
			return ae.Message
		}
		return ae.Id
	}
	if e.err != nil {
		return e.err.Error()
	}
	return http.StatusText(e.status)
}

// Unwrap lets errors.Is find bot.ErrTemporary on platform trouble.
func (e *apiError) Unwrap() []error {
	if e.temporary {
		return []error{e.err, bot.ErrTemporary}
	}
	return []error{e.err}
}

// RetryAfter implements bot.RetryAfter: the sweep waits at least that
// (zero: the server did not say, the sweep's own backoff applies).
func (e *apiError) RetryAfter() time.Duration { return e.retryAfter }

var _ bot.RetryAfter = (*apiError)(nil)

// do runs a REST call, retrying it on 429, 5xx and network errors with
// backoff honouring Retry-After, within a.opt.Retry.
func (a *Adapter) do(ctx context.Context, op string, fn func() (*model.Response, error)) error {
	r := a.opt.Retry
	backoff := r.Base
	for attempt := 1; ; attempt++ {
		resp, err := fn()
		if err == nil {
			return nil
		}
		e := classify(op, resp, err)
		if !e.temporary || attempt >= r.Attempts || ctx.Err() != nil {
			return e
		}
		wait := backoff
		if e.retryAfter > 0 {
			wait = e.retryAfter
		}
		if wait > r.MaxWait {
			return e
		}
		a.log.Debug("mattermost: retrying", "op", op, "status", e.status, "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return e
		case <-t.C:
		}
		backoff *= 2
	}
}

// classify makes an apiError of a failed call.
func classify(op string, resp *model.Response, err error) *apiError {
	e := &apiError{op: op, err: err}
	if resp != nil {
		e.status = resp.StatusCode
	}
	switch {
	case e.status == http.StatusTooManyRequests || e.status >= 500:
		e.temporary = true
		if resp != nil {
			e.retryAfter = parseRetryAfter(resp.Header, time.Now())
		}
	case e.status == 0 && !errors.Is(err, context.Canceled):
		// The server was not reached, or did not answer in time.
		var ue *url.Error
		var ne net.Error
		e.temporary = errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
	}
	return e
}

// parseRetryAfter reads Retry-After (seconds or an HTTP date), else
// Mattermost's X-Ratelimit-Reset (seconds); zero when neither is there.
// It is bounded to an hour: a server saying "next year" is wrong.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			d = time.Duration(n) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			d = t.Sub(now)
		}
	} else if v := strings.TrimSpace(h.Get("X-Ratelimit-Reset")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			d = time.Duration(n) * time.Second
		}
	}
	return min(max(d, 0), time.Hour)
}
