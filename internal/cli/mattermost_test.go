package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/adapters/mattermost"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/internal/config"
)

// mmRun runs the command line in-process with the environment env.
func mmRun(ctx context.Context, env map[string]string, args ...string) (code int, stdout, stderr string) {
	out, errs := &mmBuffer{}, &mmBuffer{}
	e := Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errs, Getenv: func(k string) string { return env[k] }}
	code = Run(ctx, e, args)
	return code, out.String(), errs.String()
}

// mmBuffer is a buffer safe for the logs of a serving Vigie.
type mmBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (m *mmBuffer) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.b.Write(p)
}

func (m *mmBuffer) String() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.b.String()
}

func TestMattermostSetupUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"mattermost"}, nil, "usage: vigie mattermost setup"},
		{[]string{"mattermost", "setup", "--team", "crise", "--public-url", "http://v"}, nil, "missing --url"},
		{[]string{"mattermost", "setup", "--url", "http://mm", "--public-url", "http://v"}, nil, "missing --team"},
		{[]string{"mattermost", "setup", "--url", "http://mm", "--team", "crise"}, nil, "missing --public-url"},
		{[]string{"mattermost", "setup", "--url", "http://mm", "--team", "crise", "--public-url", "http://v"}, nil, "VIGIE_MATTERMOST_ADMIN_TOKEN"},
		{[]string{"mattermost", "setup", "--bogus"}, nil, "usage"},
	} {
		code, _, stderr := mmRun(context.Background(), tc.env, tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q", tc.args, code, stderr)
		}
	}
}

func TestActionSecret(t *testing.T) {
	dir := t.TempDir()
	k1, err := actionSecret("", dir)
	if err != nil || len(k1) != 32 {
		t.Fatalf("%x %v", k1, err)
	}
	fi, err := os.Stat(filepath.Join(dir, actionKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", fi, err)
	}
	// Kept across restarts: buttons already posted stay valid.
	if k2, err := actionSecret("", dir); err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second start: %x %v", k2, err)
	}
	if k, err := actionSecret("a-configured-secret-of-32-bytes!", dir); err != nil || string(k) != "a-configured-secret-of-32-bytes!" {
		t.Fatalf("configured: %q %v", k, err)
	}
	if _, err := actionSecret("short", dir); err == nil || !strings.Contains(err.Error(), "mattermost.action_secret") {
		t.Fatalf("short secret: %v", err)
	}
	os.WriteFile(filepath.Join(dir, actionKeyFile), []byte("not hex\n"), 0o600)
	if _, err := actionSecret("", dir); err == nil || !strings.Contains(err.Error(), actionKeyFile) {
		t.Fatalf("bad key file: %v", err)
	}
}

// The Mattermost platform as serve builds it does what the bot looks for
// by type assertion.
func TestMattermostPlatform(t *testing.T) {
	cfg := &config.Config{PublicURL: "https://vigie.example.fr", Mattermost: &config.Mattermost{
		URL: "https://chat.example.fr", BotToken: "t", CommandTokens: []config.Secret{"c"}}}
	p, err := platforms["mattermost"](cfg, t.TempDir(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var chat bot.Chat = p
	if _, ok := chat.(bot.MemberChecker); !ok {
		t.Error("not a bot.MemberChecker")
	}
	if _, ok := chat.(bot.Uploader); !ok {
		t.Error("not a bot.Uploader")
	}
	if _, ok := chat.(bot.ChannelCreator); !ok {
		t.Error("not a bot.ChannelCreator")
	}
	mux := http.NewServeMux()
	p.Mount(mux, nil)
	for _, path := range []string{"/mattermost/command", "/mattermost/action", "/mattermost/dialog"} {
		if _, pattern := mux.Handler(httptest.NewRequest("POST", path, nil)); pattern == "" {
			t.Errorf("%s not mounted", path)
		}
	}
}

// A bad bot token stops vigie serve at start, naming the setting.
func TestServeMattermostBadToken(t *testing.T) {
	mm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(&model.AppError{Id: "api.context.session_expired.app_error", Message: "Invalid or expired session, please login again.", StatusCode: 401})
	}))
	defer mm.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "vigie.yaml")
	os.WriteFile(cfg, []byte("public_url: http://127.0.0.1:1\nlisten: 127.0.0.1:0\nmattermost:\n  url: "+mm.URL+
		"\n  bot_token: wrong-token\n  command_tokens: [c]\n"), 0o600)
	code, _, stderr := mmRun(context.Background(), nil, "--config", cfg, "--db", filepath.Join(dir, "vigie.db"), "serve")
	want := "mattermost.bot_token rejected by " + mm.URL + ": Invalid or expired session"
	if code != ExitFailure || !strings.Contains(stderr, want) || strings.Contains(stderr, "wrong-token") {
		t.Fatalf("exit %d, stderr %q, want %q", code, stderr, want)
	}
}

// vigie mattermost setup, then vigie serve with the printed configuration,
// against the real server: alice's slash command reaches Vigie and the
// card is posted by the bot.
func TestServeMattermostReal(t *testing.T) {
	mmURL, admin, team, channel := os.Getenv("MM_URL"), os.Getenv("MM_ADMIN_TOKEN"), os.Getenv("MM_TEAM_ID"), os.Getenv("MM_CHANNEL_ID")
	userToken, botToken, botID := os.Getenv("MM_USER_TOKEN"), os.Getenv("MM_BOT_TOKEN"), os.Getenv("MM_BOT_USER_ID")
	if mmURL == "" || admin == "" || userToken == "" || botToken == "" {
		t.Skip("no real Mattermost server (MM_URL… unset): from the repository root run\n" +
			"  env=$(../shared/tools/mattermost/start) && . \"$env\" && go test ./internal/cli/ -run Mattermost")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	trigger := "incident-cli-" + strings.ToLower(rand.Text()[:6])
	env := map[string]string{"VIGIE_MATTERMOST_ADMIN_TOKEN": admin}
	code, yaml, stderr := mmRun(context.Background(), env, "mattermost", "setup", "--url", mmURL, "--team", team,
		"--public-url", "http://"+addr, "--trigger", trigger)
	if code != ExitOK {
		t.Fatalf("setup: exit %d: %s", code, stderr)
	}
	admc := model.NewAPIv4Client(mmURL)
	admc.SetToken(admin)
	t.Cleanup(func() {
		cmds, _, _ := admc.ListCommands(context.Background(), team, true)
		for _, c := range cmds {
			if c.Trigger == trigger {
				admc.DeleteCommand(context.Background(), c.Id)
			}
		}
	})
	if !strings.Contains(yaml, "/"+trigger+" created on team crise") || !strings.Contains(yaml, `bot_token: ""`) {
		t.Fatalf("setup printed:\n%s", yaml)
	}
	// Run again: the command is updated, its token kept.
	code, yaml2, _ := mmRun(context.Background(), env, "mattermost", "setup", "--url", mmURL, "--team", "crise",
		"--public-url", "http://"+addr, "--trigger", trigger)
	if code != ExitOK || !strings.Contains(yaml2, "updated") || cmdToken(yaml2) != cmdToken(yaml) || cmdToken(yaml) == "" {
		t.Fatalf("second setup:\n%s", yaml2)
	}
	// The printed configuration, with the bot token filled in, is what
	// serve runs on.
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "vigie.yaml")
	conf := strings.Replace(yaml, `bot_token: ""`, `bot_token: "`+botToken+`"`, 1)
	conf = strings.Replace(conf, `listen: ":8080"`, `listen: "`+addr+`"`, 1)
	conf += "organisation:\n  chain: nouvelle-aquitaine/es-esms\n"
	if err := os.WriteFile(cfgPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &mmBuffer{}
	done := make(chan int, 1)
	go func() {
		e := Env{Stdin: strings.NewReader(""), Stdout: logs, Stderr: logs, Getenv: func(string) string { return "" }}
		done <- Run(ctx, e, []string{"--config", cfgPath, "--db", filepath.Join(dir, "vigie.db"), "serve"})
	}()
	defer func() {
		cancel()
		select {
		case c := <-done:
			if c != ExitOK {
				t.Errorf("serve: exit %d\n%s", c, logs)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		// /healthz answers at once; /readyz once the bot takes commands.
		if r, err := http.Get("http://" + addr + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not listen:\n%s", logs)
		}
	}
	alice := model.NewAPIv4Client(mmURL)
	alice.SetToken(userToken)
	resp, _, err := alice.ExecuteCommand(ctx, channel, "/"+trigger+" ouvrir Essai de vigie serve")
	// (In the language of alice's Mattermost: the server's default, English,
	// unless she chose French.)
	if err != nil || !strings.Contains(resp.Text, "ouvert") && !strings.Contains(resp.Text, "opened") {
		t.Fatalf("slash command: %v %+v\n%s", err, resp, logs)
	}
	// The card is the bot's latest post in the channel, delivered by the
	// outbox in the background: the real server is polled for it.
	found := false
	for deadline := time.Now().Add(10 * time.Second); !found && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		list, _, err := alice.GetPostsForChannel(ctx, channel, 0, 5, "", false, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list.Posts {
			if p.UserId == botID && strings.Contains(p.Message, "Essai de vigie serve") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no card by the bot in the channel\n%s", logs)
	}
	if strings.Contains(logs.String(), botToken) || strings.Contains(logs.String(), cmdToken(yaml)) {
		t.Error("a token is in the logs")
	}
}

// cmdToken is the command token in setup's output.
func cmdToken(yaml string) string {
	_, rest, ok := strings.Cut(yaml, "command_tokens:\n    - ")
	if !ok {
		return ""
	}
	line, _, _ := strings.Cut(rest, "\n")
	return strings.Trim(line, `"`)
}

// TestSetupListen: the listen address printed by mattermost setup is
// --listen, else the port of an http public URL that names one, else
// :8080, said to be what a proxy or a port mapping forwards to.
func TestSetupListen(t *testing.T) {
	for _, tc := range []struct {
		public, flag, want, note string
	}{
		{"http://10.0.0.5:9090", "", `listen: ":9090"`, "the port of public_url"},
		{"http://127.0.0.1:18080/", "", `listen: ":18080"`, "the port of public_url"},
		{"https://vigie.exemple.fr", "", `listen: ":8080"`, "reverse proxy"},
		{"https://vigie.exemple.fr:8443", "", `listen: ":8080"`, "reverse proxy"},
		{"http://vigie.intra", "", `listen: ":8080"`, "port mapping"},
		{"https://vigie.exemple.fr", "127.0.0.1:9000", `listen: "127.0.0.1:9000"`, ""},
	} {
		opt := mattermost.SetupOptions{URL: "https://chat.exemple.fr", PublicURL: tc.public}
		res := &mattermost.SetupResult{Command: &model.Command{Trigger: "incident", URL: tc.public + "/mattermost/command", Token: "tok"},
			Team: &model.Team{Name: "crise", DisplayName: "Cellule de crise"}, Created: true}
		listen, note, err := setupListen(tc.public, tc.flag)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.public, tc.flag, err)
		}
		out := setupYAML(opt, res, listen, note)
		if !strings.Contains(out, "\n"+tc.want) || !strings.Contains(out, tc.note) {
			t.Errorf("public %s, --listen %q: want %s and %q in:\n%s", tc.public, tc.flag, tc.want, tc.note, out)
		}
		if !strings.Contains(out, "create_post_ephemeral") {
			t.Errorf("setup does not say the bot needs create_post_ephemeral:\n%s", out)
		}
	}
	code, _, stderr := mmRun(context.Background(), nil, "mattermost", "setup", "--url", "http://mm", "--team", "crise",
		"--public-url", "http://v", "--admin-token", "x", "--listen", "8080")
	if code != ExitUsage || !strings.Contains(stderr, `bad --listen "8080"`) {
		t.Errorf("a bad --listen: exit %d, %q", code, stderr)
	}
}
