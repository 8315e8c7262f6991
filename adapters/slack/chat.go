package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
)

// Post posts m in channel and returns "channel|ts", the reference Update
// takes back.
func (a *Adapter) Post(ctx context.Context, channel string, m bot.Message) (string, error) {
	opts := a.messageOptions(m)
	var ch, ts string
	err := a.call(ctx, "chat.postMessage", func() (err error) {
		ch, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("post to %s: %w", channel, err)
	}
	if ch == "" {
		ch = channel
	}
	return ch + "|" + ts, nil
}

// Update replaces the message ref with m (chat.update).
func (a *Adapter) Update(ctx context.Context, channel, ref string, m bot.Message) error {
	ch, ts := splitRef(channel, ref)
	opts := a.messageOptions(m)
	err := a.call(ctx, "chat.update", func() error {
		_, _, _, err := a.api.UpdateMessageContext(ctx, ch, ts, opts...)
		return err
	})
	if err != nil {
		return fmt.Errorf("update %s in %s: %w", ts, ch, err)
	}
	return nil
}

// splitRef reads a reference made by Post; a bare ts is in channel.
func splitRef(channel, ref string) (string, string) {
	if ch, ts, ok := strings.Cut(ref, "|"); ok {
		return ch, ts
	}
	return channel, ref
}

func (a *Adapter) messageOptions(m bot.Message) []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionText(fallbackText(m), false),
		slack.MsgOptionBlocks(renderMessage(m, a.opt.Lang, a.opt.Trigger)...),
	}
}

// Upload shares a file in channel (files.getUploadURLExternal, the upload,
// files.completeUploadExternal) and says where it is.
func (a *Adapter) Upload(ctx context.Context, channel, name string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", errors.New("upload: empty file")
	}
	var f *slack.FileSummary
	err := a.call(ctx, "files.upload", func() (err error) {
		f, err = a.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: strings.NewReader(string(data)), FileSize: len(data), Filename: name, Title: name, Channel: channel,
		})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("upload %s to %s: %w", name, channel, err)
	}
	a.log.Info("slack: file shared", "file", name, "id", f.ID, "channel", channel)
	return name + " → " + bot.ChannelMention(channel), nil
}

// CreateChannel opens a private channel for an incident: a cyber incident
// is not discussed where anyone may read. The opener is invited, and the
// display name becomes the channel's purpose (Slack channels have no
// display name). A name taken gets a suffix.
func (a *Adapter) CreateChannel(ctx context.Context, name, display, from, opener string) (string, error) {
	var ch *slack.Channel
	for i := 1; ; i++ {
		try := name
		if i > 1 {
			try = fmt.Sprintf("%s-%d", trimTo(name, 76), i)
		}
		err := a.call(ctx, "conversations.create", func() (err error) {
			ch, err = a.api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: try, IsPrivate: true})
			return err
		})
		if err == nil {
			break
		}
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && se.Err == "name_taken" && i < 5 {
			continue
		}
		return "", fmt.Errorf("conversations.create %s: %w", try, err)
	}
	if opener != "" {
		err := a.call(ctx, "conversations.invite", func() error {
			_, err := a.api.InviteUsersToConversationContext(ctx, ch.ID, opener)
			return err
		})
		var se slack.SlackErrorResponse
		if err != nil && !(errors.As(err, &se) && se.Err == "already_in_channel") {
			return "", fmt.Errorf("invite %s to %s: %w", opener, ch.ID, err)
		}
	}
	if display != "" {
		if _, err := a.api.SetPurposeOfConversationContext(ctx, ch.ID, trimTo(display, 250)); err != nil {
			a.log.Warn("slack: channel purpose", "channel", ch.ID, "err", err)
		}
	}
	a.log.Info("slack: channel created", "channel", ch.ID, "name", ch.Name, "from", from)
	return ch.ID, nil
}

// call runs one Web API call. A 429 whose Retry-After is short is waited
// out and retried once; a request refused for rate is not processed by
// Slack, so the retry cannot post twice. Other errors are classified.
func (a *Adapter) call(ctx context.Context, method string, fn func() error) error {
	err := fn()
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) && a.opt.MaxRetryWait > 0 && rl.RetryAfter <= a.opt.MaxRetryWait {
		a.log.Warn("slack: rate limited, retrying", "method", method, "retry_after", rl.RetryAfter)
		t := time.NewTimer(rl.RetryAfter)
		select {
		case <-t.C:
			err = fn()
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	if err != nil {
		return classify(err)
	}
	return nil
}

// temporary is platform trouble worth retrying: a 429, a 5xx, the network.
// It is bot.ErrTemporary and says when to come back.
type temporary struct {
	err   error
	after time.Duration
}

func (e *temporary) Error() string { return e.err.Error() }

func (e *temporary) Unwrap() []error { return []error{bot.ErrTemporary, e.err} }

// RetryAfter implements bot.RetryAfter.
func (e *temporary) RetryAfter() time.Duration { return e.after }

// classify wraps the errors worth retrying in temporary; Slack's answers
// (channel_not_found, missing_scope…) stay as they are.
func classify(err error) error {
	if err == nil || errors.Is(err, bot.ErrTemporary) {
		return err
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return &temporary{err: err, after: rl.RetryAfter}
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) && sc.Retryable() {
		return &temporary{err: err}
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout":
			return &temporary{err: err}
		}
		return err
	}
	var ne net.Error
	var ue *url.Error
	if errors.As(err, &ne) || errors.As(err, &ue) {
		return &temporary{err: err}
	}
	return err
}
