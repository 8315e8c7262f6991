package mattermost_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/adapters/mattermost"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// benchVigie starts Vigie with its slash command on the real server, opens
// an incident and answers its questions (Oui), and returns the incident.
func benchVigie(b *testing.B) (mmEnv, *vigie, string, *incident.Incident) {
	e := realServer(b)
	ctx := context.Background()
	logs := &logBuffer{}
	dir := b.TempDir()
	v := startVigie(b, e, dir, "127.0.0.1:0", "pending", nil, logs)
	trigger, token := installCommand(b, e, v.public())
	v.stop()
	v = startVigie(b, e, dir, v.addr, trigger, []string{token}, logs)
	b.Cleanup(v.stop)
	alice := e.client(e.UserToken)
	if _, _, err := alice.ExecuteCommand(ctx, e.ChannelID, "/"+trigger+" ouvrir Banc d'essai"); err != nil {
		b.Fatal(err)
	}
	open, err := v.store.Open(ctx, e.ChannelID)
	if err != nil || len(open) != 1 {
		b.Fatalf("open incidents %v %v", open, err)
	}
	cardID := open[0].Messages[bot.RoleCard]
	for range 10 {
		v.mm.Flush(ctx)
		p, _, err := alice.GetPost(ctx, cardID, "")
		if err != nil {
			b.Fatal(err)
		}
		_, id := button(p, "❓", "Oui")
		if id == "" {
			break
		}
		if _, err := alice.DoPostAction(ctx, cardID, id); err != nil {
			b.Fatal(err)
		}
	}
	inc, err := v.store.Incident(ctx, open[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	return e, v, trigger, inc
}

// latencies collects durations and reports their p50 and p99.
type latencies map[string][]time.Duration

func (l latencies) time(name string, fn func()) {
	start := time.Now()
	fn()
	l[name] = append(l[name], time.Since(start))
}

func (l latencies) report(b *testing.B) {
	var line []string
	for _, name := range []string{"server", "direct"} {
		d := slices.Clone(l[name])
		slices.Sort(d)
		if len(d) == 0 {
			continue
		}
		p50, p99 := d[len(d)/2], d[min(len(d)-1, len(d)*99/100)]
		b.ReportMetric(float64(p50.Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, name+"-p99-ms")
		line = append(line, fmt.Sprintf("%s p50 %v p99 %v", name, p50, p99))
	}
	b.ReportMetric(0, "ns/op") // an iteration is one of each: the percentiles say it
	if b.N > 1 {
		b.Logf("%d samples each: %s", b.N, strings.Join(line, ", "))
	}
}

// BenchmarkCommandLatency: "/incident note …" (a bbolt write and the card
// edited in place) typed by alice through the real server on loopback, and
// the same command handed to Vigie's handler directly.
func BenchmarkCommandLatency(b *testing.B) {
	e, v, trigger, _ := benchVigie(b)
	alice := e.client(e.UserToken)
	h := v.mux
	l := latencies{}
	b.ResetTimer()
	for i := range b.N {
		l.time("server", func() {
			if _, _, err := alice.ExecuteCommand(context.Background(), e.ChannelID, fmt.Sprintf("/%s note point de mesure %d", trigger, i)); err != nil {
				b.Fatal(err)
			}
		})
		form := url.Values{"channel_id": {e.ChannelID}, "team_id": {e.TeamID}, "user_id": {e.UserID}, "user_name": {"alice"},
			"command": {"/" + trigger}, "text": {fmt.Sprintf("note mesure directe %d", i)}, "token": {v.tokens[0]}}
		l.time("direct", func() {
			req := httptest.NewRequest("POST", mattermost.PathCommand, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Token "+v.tokens[0])
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "⚠️") {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		})
	}
	b.StopTimer()
	l.report(b)
}

// BenchmarkClickLatency: alice clicks "Rappeler dans 1 h" on a step of the
// checklist through the real server (which calls Vigie, which checks the
// post and the membership, writes bbolt and edits both cards), and the
// same click handed to Vigie's handler directly.
func BenchmarkClickLatency(b *testing.B) {
	e, v, _, inc := benchVigie(b)
	alice := e.client(e.UserToken)
	step := farStep(b, inc)
	action := fmt.Sprintf("#%s rappel %s 1h", inc.ID, step)
	listID := inc.Messages[bot.RoleChecklist]
	req := model.PostActionIntegrationRequest{UserId: e.UserID, UserName: "alice", ChannelId: e.ChannelID, TeamId: e.TeamID,
		PostId: listID, Type: model.PostActionTypeButton,
		Context: mattermost.SignButtonForTest(secret, action, e.ChannelID, time.Now().Add(time.Hour))}
	raw, err := json.Marshal(req)
	if err != nil {
		b.Fatal(err)
	}
	body := string(raw)
	l := latencies{}
	b.ResetTimer()
	for range b.N {
		l.time("server", func() {
			if _, err := alice.DoPostAction(context.Background(), listID, mattermost.ActionIDForTest(action)); err != nil {
				b.Fatal(err)
			}
		})
		l.time("direct", func() {
			r := httptest.NewRequest("POST", mattermost.PathAction, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			v.mux.ServeHTTP(w, r)
			if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "⚠️") {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		})
	}
	b.StopTimer()
	l.report(b)
	// Every click of both kinds was recorded.
	all, _ := v.store.Entries(context.Background(), inc.ID, 0, 0)
	n := 0
	for _, en := range all {
		if en.Kind == incident.KindSnooze {
			n++
		}
	}
	if n != 2*b.N {
		b.Errorf("%d snoozes recorded for %d clicks", n, 2*b.N)
	}
}

// farStep is a pending step whose deadline is hours away: snoozing it an
// hour is accepted again and again.
func farStep(b *testing.B, inc *incident.Incident) string {
	cat, err := builtin.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	c, err := cat.Version(inc.Chain, inc.Version)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range flows.Evaluate(c, inc.Inputs()).Steps {
		if !p.Due.IsZero() && time.Until(p.Due) > 3*time.Hour {
			return p.Step.ID
		}
	}
	b.Fatal("no step with a far deadline")
	return ""
}
