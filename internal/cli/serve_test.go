package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/config"
)

// fakePlatform stands for a chat platform in serve's tests: a recording
// chat whose one endpoint hands a form's text to the bot.
type fakePlatform struct {
	*bottest.Chat
	log      *slog.Logger
	checking chan struct{} // when set, Check waits for it to close
	// posting, when set, is called before each post: a platform that
	// holds them.
	posting func(ctx context.Context, m bot.Message)
}

func (f *fakePlatform) Post(ctx context.Context, channel string, m bot.Message) (string, error) {
	if f.posting != nil {
		f.posting(ctx, m)
	}
	return f.Chat.Post(ctx, channel, m)
}

func (f *fakePlatform) Check(ctx context.Context) error {
	if f.checking != nil {
		<-f.checking // a platform slow to answer at start
	}
	return nil
}

func (f *fakePlatform) Paths() []string { return []string{"/mattermost/command"} }

func (f *fakePlatform) Mount(mux *http.ServeMux, h Handler) {
	mux.HandleFunc("POST /mattermost/command", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.log.Info("command received", "user", r.Form.Get("user_id"))
		reply := h.Handle(r.Context(), bot.Event{Channel: "chan", User: incident.User{ID: "u1", Name: "rssi"}, Text: r.Form.Get("text")})
		io.WriteString(w, reply.Text)
	})
}

func (f *fakePlatform) Run(ctx context.Context, h Handler) error { <-ctx.Done(); return ctx.Err() }

// useFakePlatform makes "mattermost" build the fake for the test.
func useFakePlatform(t *testing.T) {
	saved := platforms["mattermost"]
	platforms["mattermost"] = func(cfg *config.Config, dir string, log *slog.Logger, _ Answered) (Platform, error) {
		return &fakePlatform{Chat: bottest.NewChat(), log: log}, nil
	}
	t.Cleanup(func() { platforms["mattermost"] = saved })
}

const serveConfig = `
listen: 127.0.0.1:0
public_url: https://vigie.example.fr
organisation: {chain: nouvelle-aquitaine/es-esms}
mattermost:
  url: https://chat.example.fr
  bot_token: bot-token-SECRET-1
  command_tokens: [cmd-token-SECRET-2]
  action_secret: action-SECRET-3
`

// address waits for the "vigie serving" log line and returns its address.
func address(t *testing.T, logs *bottest.Buffer, done <-chan int) string {
	t.Helper()
	return logged(t, logs, done, "vigie serving")
}

// logged waits for the log line msg and returns its listen address.
func logged(t *testing.T, logs *bottest.Buffer, done <-chan int, msg string) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for _, line := range strings.Split(logs.String(), "\n") {
			var rec struct {
				Msg    string `json:"msg"`
				Listen string `json:"listen"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == msg {
				return rec.Listen
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve ended with %d before serving:\n%s", code, logs.String())
		case <-deadline:
			t.Fatalf("serve did not start:\n%s", logs.String())
		case <-time.After(5 * time.Millisecond): // polling a log, not asserting on time
		}
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeEndpointsMetricsAndCleanStop(t *testing.T) {
	useFakePlatform(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "vigie.yaml")
	os.WriteFile(cfgPath, []byte(serveConfig), 0o600)
	db := filepath.Join(dir, "vigie.db")
	logs := &bottest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Getenv: func(string) string { return "" }}
	go func() { done <- Run(ctx, env, []string{"--config", cfgPath, "--db", db, "serve"}) }()
	base := "http://" + address(t, logs, done)

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz: %d %q", code, body)
	}
	if code, _ := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("/readyz: %d", code)
	}
	// Right after start, before anything happened, every family is there
	// with its label values at zero: alerts can be written on day one.
	_, m := get(t, base+"/metrics")
	for _, want := range []string{
		`vigie_platform_errors_total{op="post"} 0`,
		`vigie_platform_errors_total{op="update"} 0`,
		`vigie_platform_errors_total{op="post_reminder"} 0`,
		`vigie_reminders_total{result="failed"} 0`,
		`vigie_reminders_total{result="late"} 0`,
		`vigie_commands_total{outcome="error",source="typed",verb="open"} 0`,
		`vigie_ack_seconds_count{endpoint="/mattermost/command"} 0`,
		`vigie_answer_seconds_count{kind="click",platform="mattermost"} 0`,
		`vigie_outbox_retries_total{cause="temporary"} 0`,
		"vigie_overdue_steps 0",
		"vigie_outbox_oldest_seconds 0",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics right after start lacks %q", want)
		}
	}
	resp, err := http.PostForm(base+"/mattermost/command", url.Values{"text": {"ouvrir Rançongiciel"}, "user_id": {"u1"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "Incident #") {
		t.Fatalf("command reply %q", b)
	}
	_, m = get(t, base+"/metrics")
	for _, want := range []string{
		`vigie_commands_total{outcome="ok",source="typed",verb="open"} 1`,
		"vigie_open_incidents 1",
		"vigie_overdue_steps 0",
		`vigie_ack_seconds_count{endpoint="/mattermost/command"} 1`,
		`vigie_outbox_retries_total{cause="rate_limited"} 0`, // there before the first retry
		"vigie_outbox_pending ",
		"vigie_outbox_oldest_seconds ",
		"vigie_main_courante_broken_total 0",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	cancel() // what SIGTERM does through Main
	select {
	case code := <-done:
		if code != ExitOK {
			t.Fatalf("serve exit %d:\n%s", code, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s")
	}
	st, err := boltstore.Open(db, boltstore.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("the store was not closed: %v", err)
	}
	st.Close()
	// No secret in the logs of the whole run.
	for _, secret := range []string{"bot-token-SECRET-1", "cmd-token-SECRET-2", "action-SECRET-3"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("secret %q in the logs:\n%s", secret, logs.String())
		}
	}
	if !strings.Contains(logs.String(), `"msg":"vigie stopped"`) {
		t.Fatalf("no clean stop in the logs:\n%s", logs.String())
	}
}

// TestServeStopsOnSIGTERM runs serve in a child process through Main, as
// the binary does, and stops it with SIGTERM: exit 0 within 10 s.
func TestServeStopsOnSIGTERM(t *testing.T) {
	if os.Getenv("VIGIE_SERVE_CHILD") != "" {
		useFakePlatform(t)
		os.Exit(Main(strings.Fields(os.Getenv("VIGIE_SERVE_CHILD"))))
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "vigie.yaml")
	os.WriteFile(cfgPath, []byte(serveConfig), 0o600)
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeStopsOnSIGTERM$")
	cmd.Env = append(os.Environ(), "VIGIE_SERVE_CHILD=--config "+cfgPath+" --db "+filepath.Join(dir, "vigie.db")+" serve")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	serving := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"msg":"vigie serving"`) {
			serving = true
			break
		}
	}
	if !serving {
		cmd.Process.Kill()
		t.Fatal("child did not start serving")
	}
	go io.Copy(io.Discard, stderr)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
		t.Logf("stopped in %v", time.Since(start))
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("no exit within 10 s of SIGTERM")
	}
}

var _ = fmt.Sprint

func TestHealthcheck(t *testing.T) {
	srv := http.NewServeMux()
	srv.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	ln := httptestListener(t, srv)
	getenv := func(k string) string { return map[string]string{"VIGIE_LISTEN": ln}[k] }
	var out, errs strings.Builder
	if code := Run(context.Background(), Env{Stdout: &out, Stderr: &errs, Getenv: getenv}, []string{"healthcheck"}); code != ExitOK || out.String() != "healthy\n" {
		t.Fatalf("healthy server: exit %d, %q %q", code, out.String(), errs.String())
	}
	down := func(k string) string { return map[string]string{"VIGIE_LISTEN": "127.0.0.1:1"}[k] }
	if code := Run(context.Background(), Env{Stdout: &out, Stderr: &errs, Getenv: down}, []string{"healthcheck"}); code != ExitFailure {
		t.Fatalf("no server: exit %d", code)
	}
}

// httptestListener serves h on a loopback port and returns its address.
func httptestListener(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// TestServeAnswersHealthAtOnce: /healthz answers as soon as serve listens,
// while the platform is still being checked; /readyz and the platform's
// endpoints say 503 until the bot takes commands.
func TestServeAnswersHealthAtOnce(t *testing.T) {
	checking := make(chan struct{})
	saved := platforms["mattermost"]
	platforms["mattermost"] = func(cfg *config.Config, dir string, log *slog.Logger, _ Answered) (Platform, error) {
		return &fakePlatform{Chat: bottest.NewChat(), log: log, checking: checking}, nil
	}
	t.Cleanup(func() { platforms["mattermost"] = saved })
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "vigie.yaml")
	os.WriteFile(cfgPath, []byte(serveConfig), 0o600)
	logs := &bottest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Getenv: func(string) string { return "" }}
	go func() {
		done <- Run(ctx, env, []string{"--config", cfgPath, "--db", filepath.Join(dir, "vigie.db"), "serve"})
	}()
	base := "http://" + logged(t, logs, done, "vigie listening")
	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz while starting: %d %q", code, body)
	}
	if code, _ := get(t, base+"/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz while starting: %d, want 503", code)
	}
	resp, err := http.PostForm(base+"/mattermost/command", url.Values{"text": {"ouvrir x"}, "user_id": {"u1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a command while starting: %d, want 503 with Retry-After", resp.StatusCode)
	}
	close(checking)
	logged(t, logs, done, "vigie serving")
	if code, _ := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("/readyz once serving: %d", code)
	}
	cancel()
	if code := <-done; code != ExitOK {
		t.Fatalf("serve exit %d:\n%s", code, logs.String())
	}
}
