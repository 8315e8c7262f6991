package slack

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// answers records what Options.Answered hears.
type answers struct {
	mu      sync.Mutex // guards kinds and changed
	kinds   []string
	changed chan struct{} // closed at each answer heard
}

func newAnswers() *answers { return &answers{changed: make(chan struct{})} }

func (a *answers) heard(kind string, d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.kinds = append(a.kinds, kind)
	close(a.changed)
	a.changed = make(chan struct{})
}

// wait returns once n answers of kind were heard, failing t after 10 s (a
// guard against a hang, not a timing).
func (a *answers) wait(t *testing.T, kind string, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		a.mu.Lock()
		ch := a.changed
		a.mu.Unlock()
		if a.count(kind) >= n {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("waited 10 s for %d %s answers, heard %d", n, kind, a.count(kind))
		}
	}
}

func (a *answers) count(kind string) (n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, k := range a.kinds {
		if k == kind {
			n++
		}
	}
	return n
}

// TestAnswersReported: each answer shown to the person is reported once,
// by kind: a command's, on the acknowledgement or through the
// response_url, and a click's, through the response_url after an empty
// acknowledgement; a form's refusal, shown in the modal. An
// acknowledgement without an answer (the click opening the modal) reports
// nothing.
func TestAnswersReported(t *testing.T) {
	heard := newAnswers()
	r := newRig(t, ModeHTTP, func(o *Options) { o.Answered = heard.heard })
	card, checklist := r.openIncident()
	heard.wait(t, "command", 1)

	resp, body := r.signed("/slack/commands", r.commandForm(rssi, "statut").Encode())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("statut: %d %s", resp.StatusCode, body)
	}
	heard.wait(t, "command", 2)

	responses := 0
	r.fake.snapshot(func() { responses = len(r.fake.responses) })
	yes := button(t, card.Blocks, "repondre malicious yes")
	resp, body = r.signed("/slack/interactions", interactionBody(r.blockAction(rssi, card.TS, yes)))
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Fatalf("block_actions ack: %d %q", resp.StatusCode, body)
	}
	r.fake.wait("the click's answer posted", func() bool { return len(r.fake.responses) > responses })
	heard.wait(t, "click", 1)
	// A form refused under its field: the refusal, in the modal, is the
	// answer.
	done := button(t, checklist.Blocks, "fait cert-sante")
	r.signed("/slack/interactions", interactionBody(r.blockAction(rssi, checklist.TS, done)))
	r.fake.wait("the modal opened", func() bool { return len(r.fake.views) == 1 })
	var view = r.fake.views[0]
	resp, body = r.signed("/slack/interactions", interactionBody(r.viewSubmission(rssi, view, map[string]string{"via": "portail", "at": "25:99"})))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"errors"`) {
		t.Fatalf("refusal not shown in the modal: %d %s", resp.StatusCode, body)
	}
	heard.wait(t, "form", 1)
	if n := heard.count("command"); n != 2 {
		t.Errorf("%d command answers reported, want 2", n)
	}
	if n := heard.count("click"); n != 1 {
		t.Errorf("%d click answers reported, want 1: the click opening the modal has no answer", n)
	}
	r.fake.snapshot(func() {
		if got := r.fake.responses[len(r.fake.responses)-1].Text; !strings.Contains(got, "2026-0001") {
			t.Errorf("the click's answer: %q", got)
		}
	})
	heard.mu.Lock()
	defer heard.mu.Unlock()
	for _, k := range heard.kinds {
		if !slices.Contains(bot.AnswerKinds, k) {
			t.Errorf("answer of kind %q, not one of bot.AnswerKinds: the metrics would not show it at start", k)
		}
	}
}

// TestPathsMounted: the paths the metrics time by endpoint are those
// Mount serves in HTTP mode, and none in Socket Mode.
func TestPathsMounted(t *testing.T) {
	r := newRig(t, ModeHTTP)
	want := []string{PathCommands, PathInteractions, PathEvents}
	if got := r.a.Paths(); !slices.Equal(got, want) {
		t.Fatalf("Paths() = %v, want %v", got, want)
	}
	for _, p := range want {
		resp, err := http.Post(r.srv.URL+p, "application/x-www-form-urlencoded", strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
			t.Errorf("POST %s: %d, not mounted", p, resp.StatusCode)
		}
	}
	if ps := (&Adapter{opt: Options{Mode: ModeSocket}}).Paths(); len(ps) != 0 {
		t.Errorf("Socket Mode: Paths() = %v, want none", ps)
	}
}
