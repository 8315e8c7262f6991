package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// maxAcking bounds the envelopes being acknowledged at once in Socket
// Mode; the event loop waits beyond it.
const maxAcking = 256

// Run runs until ctx ends. In Socket Mode it holds the WebSocket (which
// slack-go reconnects) and acknowledges each envelope; in HTTP mode it only
// waits, the endpoints doing the work. In both it first handles what a
// previous process left in the inbox, and closes the adapter when done.
func (a *Adapter) Run(ctx context.Context, h Handler) error {
	a.start(h)
	defer a.Close()
	if a.opt.Mode != ModeSocket {
		<-ctx.Done()
		return nil
	}
	if a.client == nil {
		return errors.New("slack: Socket Mode needs the Web API client")
	}
	opts := append([]socketmode.Option{socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug))}, a.opt.socketOptions...)
	sm := socketmode.New(a.client, opts...)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(ctx) }()
	acking := make(chan struct{}, maxAcking)
	for {
		select {
		case <-ctx.Done():
			<-errc
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			if refused(err) {
				err = fmt.Errorf("slack.app_token: Slack refuses it (%v)", err)
			} else {
				err = fmt.Errorf("slack: socket mode: %w", err)
			}
			a.mu.Lock()
			a.runErr = err
			a.mu.Unlock()
			return err
		case evt := <-sm.Events:
			a.onEnvelope(ctx, sm, evt, acking)
		}
	}
}

// onEnvelope reads one Socket Mode event and acknowledges it in its own
// goroutine, so that a wait for the bot never holds the event loop.
func (a *Adapter) onEnvelope(ctx context.Context, sm *socketmode.Client, evt socketmode.Event, acking chan struct{}) {
	var in *inbound
	var err error
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.log.Debug("slack: connecting (socket mode)")
		return
	case socketmode.EventTypeConnected:
		a.log.Info("slack: connected (socket mode)")
		return
	case socketmode.EventTypeConnectionError:
		a.log.Warn("slack: socket mode connection", "err", fmt.Sprint(evt.Data))
		return
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("slack: socket mode refused the app-level token (slack.app_token)")
		return
	case socketmode.EventTypeErrorBadMessage:
		a.ackUnreadable(ctx, sm, evt)
		return
	case socketmode.EventTypeSlashCommand:
		cmd, _ := evt.Data.(slack.SlashCommand)
		in, err = fromCommand(cmd)
	case socketmode.EventTypeInteractive:
		cb, _ := evt.Data.(slack.InteractionCallback)
		in, err = fromInteraction(cb)
	case socketmode.EventTypeEventsAPI:
		ev, _ := evt.Data.(slackevents.EventsAPIEvent)
		in, err = fromEvent(ev)
	default:
		return // hello, disconnect (slack-go reconnects)
	}
	req := evt.Request
	if req == nil {
		return
	}
	if req.RetryAttempt > 0 {
		a.log.Info("slack: envelope redelivered", "type", req.Type, "retry", req.RetryAttempt, "reason", req.RetryReason)
	}
	if err != nil {
		if !errors.Is(err, errIgnored) {
			a.log.Warn("slack: envelope not understood", "type", req.Type, "err", err)
		}
		sm.AckCtx(ctx, req.EnvelopeID, nil)
		return
	}
	if in.Key == "" {
		in.Key = "env:" + req.EnvelopeID
	}
	if !a.begin() {
		return // closing: unacknowledged, Slack sends it again later
	}
	acking <- struct{}{}
	go func() {
		defer func() { <-acking; a.end() }()
		payload, dup, err := a.acknowledge(in)
		switch {
		case err != nil && payload == nil:
			// Not recorded: no acknowledgement, so that Slack redelivers.
			a.log.Error("slack: cannot record a request", "kind", in.Kind, "err", err)
			return
		case err != nil:
			a.log.Error("slack: cannot record a request", "kind", in.Kind, "err", err)
		case dup:
			a.log.Info("slack: duplicate dropped", "kind", in.Kind, "key", in.Key)
		}
		if err := sm.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
			a.log.Warn("slack: acknowledge", "type", req.Type, "err", err)
		}
	}()
}

// ackUnreadable acknowledges an envelope slack-go could not read (an event
// type it does not know), so that Slack stops redelivering it.
func (a *Adapter) ackUnreadable(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		return
	}
	var env struct {
		EnvelopeID string `json:"envelope_id"`
	}
	if json.Unmarshal(bad.Message, &env) == nil && env.EnvelopeID != "" {
		sm.AckCtx(ctx, env.EnvelopeID, nil)
	}
	a.log.Debug("slack: envelope not understood", "err", bad.Cause)
}
