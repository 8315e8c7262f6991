package mattermost_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/adapters/mattermost"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/gctune"
	"github.com/vigie-sante/vigie/internal/keyfile"
	"github.com/vigie-sante/vigie/internal/metrics"
	"github.com/vigie-sante/vigie/internal/openloop"
)

// BenchmarkAnswerOpenLoop measures what a person waits for on Mattermost:
// from a slash command or a click, sent on loopback as Mattermost sends
// them (the command's form with its token, the click's JSON with the
// button's signed context), to the answer they see, which Vigie gives in
// its HTTP response (shown to them only), at fixed rates whatever the
// answers (open loop, internal/openloop). Half the requests are notes,
// half answers to a question of the card. The Mattermost REST API is a
// stub answering every call in 1 ms. In the same run, a bare net/http
// handler doing one batched bbolt write per request, with the same fsync,
// is the physical anchor. The bot runs as serve runs it: on boltstore,
// metrics around the handlers, edits made at once (SyncUpdates) by its
// outbox in the background, the adapter's loop running.
// Sub-benchmarks (openloop.Benchmark): the saturation rate of both and
// its ratio, then 100 req/s, then half the bare handler's saturation.
//
//	go test -run '^$' -bench AnswerOpenLoop -benchtime 1x ./adapters/mattermost/
func BenchmarkAnswerOpenLoop(b *testing.B) {
	openloop.Benchmark(b, newMattermostLoop)
}

const (
	loopIncidents = 50 // each in a channel of its own
	loopCell      = 20 // the people of the crisis cell, who type and click
	loopToken     = "openloop-command-token"
)

// mmStub is the part of Mattermost's REST API that Vigie calls while it
// answers commands and clicks and edits cards, answering in 1 ms with the
// least work: Mattermost is not on Vigie's machine in production.
func mmStub(b *testing.B) *httptest.Server {
	const bot = "botuserid0000000000000000a"
	var n atomic.Int64
	mux := http.NewServeMux()
	reply := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			time.Sleep(time.Millisecond) // the platform's own time
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			io.WriteString(w, strings.ReplaceAll(body, "{id}", r.PathValue("id")))
		}
	}
	mux.HandleFunc("GET /api/v4/users/me", reply(200, `{"id":"`+bot+`","username":"vigie","is_bot":true}`))
	mux.HandleFunc("GET /api/v4/users/{id}", reply(200, `{"id":"{id}","username":"{id}","locale":"fr"}`))
	mux.HandleFunc("GET /api/v4/teams/{id}", reply(200, `{"id":"{id}","name":"crise"}`))
	mux.HandleFunc("GET /api/v4/channels/{id}", reply(200, `{"id":"{id}","team_id":"team1","name":"{id}","type":"O"}`))
	mux.HandleFunc("GET /api/v4/channels/{id}/members/{user}", reply(200, `{"channel_id":"{id}","user_id":"member"}`))
	var cell strings.Builder // the channel's members: the cell and the bot
	cell.WriteString(`[{"channel_id":"{id}","user_id":"` + bot + `"}`)
	for k := range loopCell {
		cell.WriteString(`,{"channel_id":"{id}","user_id":"` + loopUser(k) + `"}`)
	}
	cell.WriteString("]")
	mux.HandleFunc("GET /api/v4/channels/{id}/members", reply(200, cell.String()))
	mux.HandleFunc("PUT /api/v4/posts/{id}/patch", reply(200, `{"id":"{id}"}`))
	mux.HandleFunc("POST /api/v4/posts", func(w http.ResponseWriter, r *http.Request) {
		var p model.Post
		json.NewDecoder(r.Body).Decode(&p)
		time.Sleep(time.Millisecond)
		p.Id, p.UserId, p.CreateAt = fmt.Sprintf("post%022d", n.Add(1)), bot, model.GetMillis()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(&p)
	})
	srv := httptest.NewServer(mux) // no WebSocket: the adapter's loop retries it, as when Mattermost restarts
	b.Cleanup(srv.Close)
	return srv
}

// mmLoop is Vigie on Mattermost, as serve wires it.
type mmLoop struct {
	url    string
	busy   atomic.Int64 // requests Vigie is handling, answered or not
	st     *boltstore.Store
	cards  []string // card post of each incident
	ids    []string // incident ids
	client *http.Client
	seq    atomic.Int64 // request numbers, unique across runs
}

func newMattermostLoop(b *testing.B) openloop.Target {
	dir := b.TempDir()
	stub := mmStub(b)
	l := &mmLoop{client: openloop.Client()}
	bare := openloop.Bare(b, filepath.Join(dir, "bare.db"))
	log := slog.New(slog.DiscardHandler)
	var err error
	if l.st, err = boltstore.Open(filepath.Join(dir, "vigie.db"), boltstore.Options{}); err != nil {
		b.Fatal(err)
	}
	key, err := keyfile.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	vig := httptest.NewUnstartedServer(nil)
	l.url = "http://" + vig.Listener.Addr().String()
	mm, err := mattermost.New(mattermost.Options{URL: stub.URL, BotToken: "bot-token", CommandTokens: []string{loopToken},
		Secret: secret, PublicURL: l.url, Log: log, SyncUpdates: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := mm.Check(context.Background()); err != nil {
		b.Fatal(err)
	}
	cat, err := builtin.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	chainOf := func(inc *incident.Incident) *flows.Chain {
		c, _ := cat.Version(inc.Chain, inc.Version)
		return c
	}
	m := metrics.New(l.st, chainOf, time.Now, log)
	vb := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Observer: m}, l.st, mm, cat, key, log)
	ctx := context.Background()
	for k := range loopIncidents {
		ch := loopChannel(k)
		if r := vb.Handle(ctx, bot.Event{Channel: ch, User: incident.User{ID: loopUser(0)}, Text: "ouvrir Bench"}); r.Error {
			b.Fatal(r.Text)
		}
		open, err := l.st.Open(ctx, ch)
		if err != nil || len(open) != 1 {
			b.Fatalf("open incidents of %s: %v %v", ch, open, err)
		}
		l.ids, l.cards = append(l.ids, open[0].ID), append(l.cards, open[0].Messages[bot.RoleCard])
	}
	octx, stop := context.WithCancel(ctx)
	var bg sync.WaitGroup
	bg.Go(func() { vb.RunOutbox(octx) })
	bg.Go(func() { gctune.Run(octx, log) }) // as serve tunes the collector
	bg.Go(func() { mm.Run(octx, vb) })
	platform, mux := http.NewServeMux(), http.NewServeMux()
	mm.Mount(platform, vb)
	mux.Handle("/", m.Acks(platform))
	// Counts the requests being handled: a request whose sender gave up
	// is still handled (the adapter detaches it), and Quiet waits for it.
	vig.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.busy.Add(1)
		defer l.busy.Add(-1)
		mux.ServeHTTP(w, r)
	})
	vig.Start()
	b.Cleanup(func() { vig.Close(); stop(); bg.Wait(); l.st.Close() })
	return openloop.Target{
		Ours: l.send,
		Bare: openloop.BareSend(l.client, bare.URL+"/write", func(i int) (string, io.Reader) {
			r := l.request(i)
			return r.Header.Get("Content-Type"), r.Body
		}),
		Quiet: func() { l.quiet(b) },
	}
}

func loopChannel(k int) string { return fmt.Sprintf("channel%019d", k) }
func loopUser(k int) string    { return fmt.Sprintf("user%022d", k%loopCell) }

// request is request i as Mattermost sends it, in rounds over the
// incidents (j = i/2 is the request's place in its kind, j % loopIncidents
// its incident, j / loopIncidents its round): when i is even, "/incident
// note …" typed in the incident's channel; when odd, a click on the
// incident's card answering its question on capacity, yes in even rounds
// and no in odd ones, so that every click changes the answer. The people
// of the cell take turns by pairs of rounds: each person's clicks on a
// card alternate yes and no, so that none repeats that person's last click
// on the card (which would be a double click, answered without a change:
// bot/clicks.go). A cell of loopCell people, as a real one, keeps what
// Vigie knows of them (language, membership) warm.
func (l *mmLoop) request(i int) *http.Request {
	j := i / 2
	k := j % loopIncidents
	if i%2 == 0 {
		form := url.Values{"token": {loopToken}, "team_id": {"team1"}, "team_domain": {"crise"},
			"channel_id": {loopChannel(k)}, "channel_name": {loopChannel(k)}, "user_id": {loopUser(j / loopIncidents)},
			"user_name": {"rssi"}, "command": {"/incident"}, "text": {fmt.Sprintf("note relevé %d", i)},
			"trigger_id": {fmt.Sprintf("trigger%d", i)}, "response_url": {"http://mattermost/hooks/commands/x"}}
		req, _ := http.NewRequest(http.MethodPost, l.url+mattermost.PathCommand, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Token "+loopToken)
		return req
	}
	round := j / loopIncidents
	v := []string{"yes", "no"}[round%2]
	action := fmt.Sprintf("#%s repondre capacity_impact %s", l.ids[k], v)
	click := model.PostActionIntegrationRequest{UserId: loopUser(round / 2), UserName: "rssi",
		ChannelId: loopChannel(k), ChannelName: loopChannel(k), TeamId: "team1", TeamName: "crise",
		PostId: l.cards[k], TriggerId: fmt.Sprintf("trigger%d", i), Type: model.PostActionTypeButton,
		Context: mattermost.SignButtonForTest(secret, action, loopChannel(k), time.Now().Add(24*time.Hour))}
	body, _ := json.Marshal(click)
	req, _ := http.NewRequest(http.MethodPost, l.url+mattermost.PathAction, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// send sends the next request and returns when its answer, the HTTP
// response, came. A refusal is an answer too (a click answering what was
// just answered the same way, when two clicks on a card overtake each
// other), but an empty one is not.
func (l *mmLoop) send(int) (time.Time, error) {
	ctx, cancel := context.WithTimeout(context.Background(), answerWait)
	defer cancel()
	resp, err := l.client.Do(l.request(int(l.seq.Add(1))).WithContext(ctx))
	if errors.Is(err, context.DeadlineExceeded) {
		return time.Time{}, openloop.ErrNoAnswer
	}
	if err != nil {
		return time.Time{}, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	at := time.Now()
	if err != nil {
		return time.Time{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return time.Time{}, fmt.Errorf("status %d: %.200s", resp.StatusCode, body)
	}
	var answer struct {
		Text          string `json:"text"`
		EphemeralText string `json:"ephemeral_text"`
	}
	json.Unmarshal(body, &answer)
	if answer.Text+answer.EphemeralText == "" {
		return time.Time{}, fmt.Errorf("no answer in %.200s", body)
	}
	return at, nil
}

// answerWait is how long a request waits for its answer: beyond, it
// counts as unanswered (Mattermost itself gives up after 30 s).
const answerWait = 10 * time.Second

// quiet waits until Vigie handles no request and the outbox owes no card
// (a minute at most).
func (l *mmLoop) quiet(b *testing.B) {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		if owed, _ := l.st.Owed(context.Background()); len(owed) == 0 && l.busy.Load() == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond) // polling a backlog, not asserting on time
	}
	owed, _ := l.st.Owed(context.Background())
	for _, id := range owed {
		inc, err := l.st.Incident(context.Background(), id)
		if err != nil {
			b.Logf("owed %s: %v", id, err)
			continue
		}
		b.Logf("owed %s: head #%d, card showing #%d", id, inc.Head.Seq, inc.Shown)
	}
	b.Logf("Vigie still owes cards a minute after a run")
}
