package mattermost_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/vigie-sante/vigie/adapters/mattermost"
	"github.com/vigie-sante/vigie/internal/openloop"
)

// BenchmarkProtocolOpenLoop is the floor under BenchmarkAnswerOpenLoop:
// the same requests and senders, served by a handler that speaks
// Mattermost's protocol and does nothing else (mattermost.ProtocolForTest):
// it decodes the command and checks its token, or decodes the click and
// checks its signed context, writes one value with the bare handler's
// durable write (openloop.BareWriter), and answers in its HTTP response.
// No bot, no store, no outbox. Beside it, in the same run, the bare
// handler. The gap between this benchmark and BenchmarkAnswerOpenLoop is
// what Vigie's own work costs: reading the incident, checking the action,
// chaining the entry, writing it, rendering the answer, editing the card.
//
//	go test -run '^$' -bench ProtocolOpenLoop -benchtime 1x ./adapters/mattermost/
func BenchmarkProtocolOpenLoop(b *testing.B) {
	openloop.Benchmark(b, newProtocolLoop)
}

func newProtocolLoop(b *testing.B) openloop.Target {
	dir := b.TempDir()
	l := &mmLoop{client: openloop.Client()}
	for k := range loopIncidents {
		l.ids = append(l.ids, fmt.Sprintf("INC-%04d", k))
		l.cards = append(l.cards, fmt.Sprintf("post%022d", k))
	}
	bare := openloop.Bare(b, filepath.Join(dir, "bare.db"))
	mux := http.NewServeMux()
	mattermost.ProtocolForTest(mux, secret, loopToken, openloop.BareWriter(b, filepath.Join(dir, "protocol.db")))
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	l.url = srv.URL
	return openloop.Target{
		Ours: l.send,
		Bare: openloop.BareSend(l.client, bare.URL+"/write", func(i int) (string, io.Reader) {
			r := l.request(i)
			return r.Header.Get("Content-Type"), r.Body
		}),
		Quiet: func() {},
		Name:  "proto",
	}
}
