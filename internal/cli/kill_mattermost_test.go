package cli

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/adapters/mattermost"
)

// editPath is a post edit in Mattermost's API: PUT /api/v4/posts/{id}, or
// /api/v4/posts/{id}/patch as the adapter sends it.
var editPath = regexp.MustCompile(`^/api/v4/posts/([a-z0-9]{26})(/patch)?$`)

// holdingProxy stands between Vigie and the real Mattermost server. It
// passes every call through, but while holding it keeps post edits
// unanswered, never forwarded, until their caller goes away.
type holdingProxy struct {
	next http.Handler

	mu      sync.Mutex // guards holding
	holding bool
	held    chan heldEdit // an edit is being held
	died    chan string   // the caller of a held edit went away: its post
}

type heldEdit struct {
	post string
	body []byte
}

func newHoldingProxy(t *testing.T, target string) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &holdingProxy{next: httputil.NewSingleHostReverseProxy(u), held: make(chan heldEdit, 8), died: make(chan string, 8)}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv
}

func (p *holdingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	holding := p.holding
	p.mu.Unlock()
	m := editPath.FindStringSubmatch(r.URL.Path)
	if !holding || r.Method != http.MethodPut || m == nil {
		p.next.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	select {
	case p.held <- heldEdit{post: m[1], body: body}:
	default:
	}
	<-r.Context().Done() // Vigie is gone: the edit never reaches Mattermost
	select {
	case p.died <- m[1]:
	default:
	}
}

func (p *holdingProxy) hold(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.holding = on
}

// mmText is a post's text as a person reads it: message and attachments.
func mmText(p *model.Post) string {
	var b strings.Builder
	b.WriteString(p.Message + "\n")
	for _, at := range p.Attachments() {
		b.WriteString(at.Title + "\n" + at.Text + "\n")
		for _, f := range at.Fields {
			fmt.Fprintf(&b, "%s: %v\n", f.Title, f.Value)
		}
	}
	return b.String()
}

// TestServeKillBeforeCardEditMattermost: against the real Mattermost
// server, alice clicks Oui on the incident's card and the click is
// acknowledged; the card's edit is held by a proxy between Vigie and the
// server, and serve is killed with SIGKILL before it reaches the server.
// Started again, serve edits the card within seconds to show the answer,
// without posting a second card.
func TestServeKillBeforeCardEditMattermost(t *testing.T) {
	mmURL, admin, team := os.Getenv("MM_URL"), os.Getenv("MM_ADMIN_TOKEN"), os.Getenv("MM_TEAM_ID")
	aliceID, aliceToken := os.Getenv("MM_USER_ID"), os.Getenv("MM_USER_TOKEN")
	botID, botToken := os.Getenv("MM_BOT_USER_ID"), os.Getenv("MM_BOT_TOKEN")
	if mmURL == "" || admin == "" || aliceToken == "" || botToken == "" {
		t.Skip("no real Mattermost server (MM_URL… unset): from the repository root run\n" +
			"  env=$(../shared/tools/mattermost/start) && . \"$env\" && go test ./internal/cli/ -run KillBeforeCardEdit")
	}
	if testing.Short() {
		t.Skip("re-executes the test binary as vigie serve")
	}
	ctx := context.Background()
	adm, alice := model.NewAPIv4Client(mmURL), model.NewAPIv4Client(mmURL)
	adm.SetToken(admin)
	alice.SetToken(aliceToken)

	// A channel of its own: every post of the bot in it is this test's.
	suffix := strings.ToLower(rand.Text()[:8])
	ch, _, err := adm.CreateChannel(ctx, &model.Channel{TeamId: team, Name: "kill-" + suffix, DisplayName: "Kill " + suffix, Type: model.ChannelTypeOpen})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { adm.DeleteChannel(context.Background(), ch.Id) })
	for _, u := range []string{aliceID, botID} {
		if _, _, err := adm.AddChannelMember(ctx, ch.Id, u); err != nil {
			t.Fatal(err)
		}
	}

	// Mattermost calls Vigie at its public URL: the same address for both
	// lives of serve.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	trigger := "incident-kill-" + suffix
	res, err := mattermost.Setup(ctx, mattermost.SetupOptions{URL: mmURL, AdminToken: admin, Team: team, PublicURL: "http://" + addr, Trigger: trigger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { adm.DeleteCommand(context.Background(), res.Command.Id) })
	proxySrv := newHoldingProxy(t, mmURL)
	proxy := proxySrv.Config.Handler.(*holdingProxy)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "vigie.yaml")
	conf := fmt.Sprintf("listen: %q\npublic_url: %q\norganisation: {chain: nouvelle-aquitaine/es-esms}\n"+
		"mattermost:\n  url: %q\n  bot_token: %q\n  command_tokens: [%q]\n",
		addr, "http://"+addr, proxySrv.URL, botToken, res.Command.Token)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--config", cfg, "--db", filepath.Join(dir, "vigie.db"), "serve"}
	botPosts := func() []*model.Post {
		t.Helper()
		list, _, err := alice.GetPostsForChannel(ctx, ch.Id, 0, 50, "", false, false)
		if err != nil {
			t.Fatal(err)
		}
		var out []*model.Post
		for _, p := range list.Posts {
			if p.UserId == botID {
				out = append(out, p)
			}
		}
		return out
	}

	v := startServeChild(t, args...)
	resp, _, err := alice.ExecuteCommand(ctx, ch.Id, "/"+trigger+" ouvrir Coupure avant l'édition")
	if err != nil || !strings.Contains(resp.Text, "ouvert") && !strings.Contains(resp.Text, "opened") {
		t.Fatalf("ouvrir: %v %+v", err, resp)
	}
	// The card is the bot's post with the first question's buttons.
	var cardID, action string
	poll(t, "card and checklist posted", func() bool {
		posts := botPosts()
		for _, p := range posts {
			for _, at := range p.Attachments() {
				for _, ac := range at.Actions {
					if strings.Contains(at.Title, "L'incident a-t-il un impact") && ac.Name == "Oui" {
						cardID, action = p.Id, ac.Id
					}
				}
			}
		}
		return len(posts) == 2 && cardID != ""
	})

	proxy.hold(true)
	if _, err := alice.DoPostAction(ctx, cardID, action); err != nil {
		t.Fatalf("alice's click: %v", err)
	}
	select {
	case h := <-proxy.held:
		var patch struct {
			Message string         `json:"message"`
			Props   map[string]any `json:"props"`
		}
		json.Unmarshal(h.body, &patch)
		edit := &model.Post{Message: patch.Message}
		edit.SetProps(patch.Props)
		if h.post != cardID || !answeredCard(mmText(edit)) {
			t.Fatalf("the edit held is not the card with the answer: post %s (card %s)\n%s", h.post, cardID, h.body)
		}
	case <-time.After(killDeadline):
		t.Fatalf("no card edit within %v:\n%s", killDeadline, v.logs.String())
	}
	v.kill()
	select {
	case <-proxy.died:
	case <-time.After(killDeadline):
		t.Fatal("the held edit outlived serve")
	}
	card, _, err := alice.GetPost(ctx, cardID, "")
	if err != nil {
		t.Fatal(err)
	}
	if answeredCard(mmText(card)) {
		t.Fatal("the card shows the answer before the restart: the kill came too late")
	}

	proxy.hold(false)
	v = startServeChild(t, args...)
	poll(t, "the card shows the answer after the restart", func() bool {
		card, _, err := alice.GetPost(ctx, cardID, "")
		return err == nil && answeredCard(mmText(card))
	})
	if posts := botPosts(); len(posts) != 2 {
		for _, p := range posts {
			t.Logf("post %s: %.80q", p.Id, mmText(p))
		}
		t.Errorf("%d posts by the bot, want the card and its checklist only", len(posts))
	}
	v.stop()
}
