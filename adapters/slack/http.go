package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

const (
	// maxBody bounds a request's body; Slack's are a few kilobytes.
	maxBody = 1 << 20
	// presized is the largest body read into a buffer of its announced
	// size (readBody): a click on a card is 7 to 15 KB.
	presized = 64 << 10
)

// readBody reads a request's body, up to one byte beyond maxBody, into a
// buffer of the size it announces, up to presized: io.ReadAll grew and
// copied a click's 15 KB five times. Beyond presized, the buffer grows
// with what arrives, so that an unsigned client announcing a megabyte
// and sending nothing holds no megabyte.
func readBody(r *http.Request) ([]byte, error) {
	n := r.ContentLength
	if n < 0 || n > presized {
		n = 0
	}
	buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(r.Body, maxBody+1))
	return buf.Bytes(), err
}

// Endpoints Vigie serves for Slack in HTTP mode, under the public URL.
const (
	PathCommands     = "/slack/commands"
	PathInteractions = "/slack/interactions"
	PathEvents       = "/slack/events"
)

// routes are the endpoints Mount registers; Paths lists the same.
var routes = []struct {
	path  string
	serve func(a *Adapter, w http.ResponseWriter, r *http.Request)
}{
	{PathCommands, (*Adapter).serveCommand},
	{PathInteractions, (*Adapter).serveInteraction},
	{PathEvents, (*Adapter).serveEvent},
}

// Mount registers the HTTP endpoints in HTTP mode: POST /slack/commands,
// /slack/interactions and /slack/events. Socket Mode needs none.
func (a *Adapter) Mount(mux *http.ServeMux, h Handler) {
	if a.opt.Mode != ModeHTTP {
		return
	}
	a.start(h)
	for _, rt := range routes {
		mux.HandleFunc("POST "+rt.path, func(w http.ResponseWriter, r *http.Request) { rt.serve(a, w, r) })
	}
}

// Paths are the paths Mount serves (none in Socket Mode), for metrics by
// endpoint.
func (a *Adapter) Paths() []string {
	if a.opt.Mode != ModeHTTP {
		return nil
	}
	var ps []string
	for _, rt := range routes {
		ps = append(ps, rt.path)
	}
	return ps
}

// body reads the raw body and checks Slack's signature over it before
// anything else reads it; it answers the refusal itself.
func (a *Adapter) body(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := readBody(r)
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return nil, false
	}
	if len(body) > maxBody {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	err = verify(a.opt.SigningSecret, r.Header.Get("X-Slack-Request-Timestamp"), string(body), r.Header.Get("X-Slack-Signature"), a.now())
	if err != nil {
		a.log.Warn("slack: request refused", "path", r.URL.Path, "reason", err.Error(), "remote", r.RemoteAddr)
		http.Error(w, "not signed by Slack: "+err.Error(), http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request) {
	body, ok := a.body(w, r)
	if !ok {
		return
	}
	cmd, sslCheck, err := decodeCommand(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// Slack checks the certificate of the command URL now and then with a
	// signed POST of ssl_check=1, which wants a 200 and nothing else.
	if sslCheck {
		w.WriteHeader(http.StatusOK)
		return
	}
	in, err := fromCommand(cmd)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.serve(w, r, in)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	body, ok := a.body(w, r)
	if !ok {
		return
	}
	cb, err := decodeInteraction(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	in, err := fromInteraction(cb)
	if errors.Is(err, errIgnored) {
		w.WriteHeader(http.StatusOK)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.serve(w, r, in)
}

func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request) {
	body, ok := a.body(w, r)
	if !ok {
		return
	}
	var probe struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if json.Unmarshal(body, &probe) == nil && probe.Type == "url_verification" {
		// Slack checks the Request URL with a signed challenge.
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, probe.Challenge)
		return
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		a.log.Info("slack: event retried", "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	ev, err := decodeEvent(body)
	if err != nil {
		// Signed by Slack yet unreadable: retrying would not help.
		a.log.Warn("slack: event not understood", "err", err)
		w.Header().Set("X-Slack-No-Retry", "1")
		w.WriteHeader(http.StatusOK)
		return
	}
	in, err := fromEvent(ev)
	if err != nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	a.serve(w, r, in)
}

// serve records in and acknowledges it. A request the inbox cannot record
// gets a 503, so that Slack sends it again (events) or the person sees
// the failure (commands); a retry already recorded gets X-Slack-No-Retry.
func (a *Adapter) serve(w http.ResponseWriter, r *http.Request, in *inbound) {
	if in.Key == "" {
		// No id of Slack's: the signature is one, and refuses a replay.
		in.Key = "sig:" + r.Header.Get("X-Slack-Signature")
	}
	if !a.begin() {
		http.Error(w, "Vigie is stopping", http.StatusServiceUnavailable)
		return
	}
	defer a.end()
	payload, dup, err := a.acknowledge(in)
	if err != nil {
		a.log.Error("slack: cannot record a request", "kind", in.Kind, "err", err)
		if payload != nil {
			writeJSON(w, payload)
			return
		}
		http.Error(w, "cannot record the request", http.StatusServiceUnavailable)
		return
	}
	if dup {
		a.log.Info("slack: duplicate dropped", "kind", in.Kind, "key", in.Key)
		w.Header().Set("X-Slack-No-Retry", "1")
	}
	if payload == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, payload)
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
