package slack

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/internal/openloop"
)

// BenchmarkProtocolOpenLoop is the floor under BenchmarkAnswerOpenLoop: the
// same requests, senders and stub, served by a handler that speaks Slack's
// protocol and does nothing else. It checks the signature, decodes the
// request as the adapter does, writes one value with the bare handler's
// durable write (openloop.BareWriter), and answers: a command on its
// acknowledgement, a click by posting to its response_url after an empty
// acknowledgement, as Slack requires of any app. No bot, no store, no
// outbox. Beside it, in the same run, the bare handler, as in
// BenchmarkAnswerOpenLoop. Its ratios are what Slack's protocol alone
// leaves of the bare handler's figures on this machine: Vigie cannot do
// better, and the gap between the two benchmarks is what the bot costs.
//
//	go test -run '^$' -bench ProtocolOpenLoop -benchtime 1x ./adapters/slack/
func BenchmarkProtocolOpenLoop(b *testing.B) {
	openloop.Benchmark(b, newProtocolLoop)
}

func newProtocolLoop(b *testing.B) openloop.Target {
	dir := b.TempDir()
	l := &slackLoop{resp: &responses{waiting: map[string]chan time.Time{}}, client: openloop.Client()}
	l.startStub(b)
	bare := openloop.Bare(b, filepath.Join(dir, "bare.db"))
	p := &protocolOnly{write: openloop.BareWriter(b, filepath.Join(dir, "protocol.db")), post: openloop.Client()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/commands", p.command)
	mux.HandleFunc("POST /slack/interactions", p.click)
	srv := httptest.NewServer(mux)
	b.Cleanup(func() { srv.Close(); p.posts.Wait() })
	l.url = srv.URL
	return openloop.Target{
		Ours: l.send,
		Bare: openloop.BareSend(l.client, bare.URL+"/write", func(i int) (string, io.Reader) {
			return "application/x-www-form-urlencoded", strings.NewReader(benchRequestFor(i, l.api).body)
		}),
		Quiet: p.posts.Wait,
		Name:  "proto",
	}
}

// protocolOnly serves Slack's requests with one durable write each.
type protocolOnly struct {
	write func([]byte) error
	post  *http.Client
	posts sync.WaitGroup // answers being posted to response_urls
}

// body reads and verifies a request's body; false when refused.
func (p *protocolOnly) body(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := readBody(r)
	if err == nil {
		err = verify(testSecret, r.Header.Get("X-Slack-Request-Timestamp"), string(body), r.Header.Get("X-Slack-Signature"), time.Now())
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

func (p *protocolOnly) command(w http.ResponseWriter, r *http.Request) {
	body, ok := p.body(w, r)
	if !ok {
		return
	}
	cmd, _, err := decodeCommand(body)
	if err == nil {
		err = p.write([]byte(cmd.Text))
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, commandReply{ResponseType: "ephemeral", Text: "📝 Note ajoutée à la main courante : " + cmd.Text})
}

func (p *protocolOnly) click(w http.ResponseWriter, r *http.Request) {
	body, ok := p.body(w, r)
	if !ok {
		return
	}
	cb, err := decodeInteraction(body)
	var in *inbound
	if err == nil {
		in, err = fromInteraction(cb)
	}
	if err == nil {
		err = p.write([]byte(in.Event.Text))
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
	p.posts.Go(func() {
		msg, _ := json.Marshal(map[string]any{"response_type": "ephemeral", "replace_original": false,
			"text": "✅ Réponse enregistrée : " + in.Event.Text})
		resp, err := p.post.Post(in.ResponseURL, "application/json", bytes.NewReader(msg))
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
