package cli

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/internal/config"
)

// TestServeHealthzDuringStartSweep: Vigie coming back after an outage,
// with 10 000 incidents of which 1 000 have reminders due. The platform
// holds every post, so the start sweep cannot end; meanwhile /healthz
// answers, /readyz says ready, and a command is answered. Once the posts
// go through, the sweep sends the late reminders.
func TestServeHealthzDuringStartSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 10 000 incidents")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	seed(t, db, 10_000, 1_000, time.Now())
	sweeping := make(chan struct{}, 1) // a post is held
	release := make(chan struct{})
	chat := bottest.NewChat()
	saved := platforms["mattermost"]
	platforms["mattermost"] = func(cfg *config.Config, dir string, log *slog.Logger, _ Answered) (Platform, error) {
		return &fakePlatform{Chat: chat, log: log, posting: func(ctx context.Context, m bot.Message) {
			if strings.Contains(m.Title, "— incident #") { // a reminder: ⏰ Rappel, 🚨 Escalade, ⛔ Échéance dépassée
				select {
				case sweeping <- struct{}{}:
				default:
				}
			}
			select {
			case <-release:
			case <-ctx.Done():
			}
		}}, nil
	}
	t.Cleanup(func() { platforms["mattermost"] = saved })
	cfgPath := filepath.Join(dir, "vigie.yaml")
	os.WriteFile(cfgPath, []byte(serveConfig), 0o600)
	logs := &bottest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Getenv: func(string) string { return "" }}
	go func() { done <- Run(ctx, env, []string{"--config", cfgPath, "--db", db, "serve"}) }()
	base := "http://" + logged(t, logs, done, "vigie listening")

	select {
	case <-sweeping: // the first late reminder: the sweep runs, and cannot end
	case <-time.After(killDeadline):
		t.Fatalf("no reminder posted within %v:\n%s", killDeadline, logs.String())
	}
	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz during the start sweep: %d %q", code, body)
	}
	poll(t, "/readyz ready during the start sweep", func() bool {
		code, _ := get(t, base+"/readyz")
		return code == 200
	})
	resp, err := http.PostForm(base+"/mattermost/command", url.Values{"text": {"ouvrir Pendant le rattrapage"}, "user_id": {"u1"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "Incident #") {
		t.Fatalf("a command during the start sweep: %d %q", resp.StatusCode, b)
	}
	if n, _ := chat.Counts(); n != 0 || strings.Contains(logs.String(), `"msg":"reminder sweep"`) {
		t.Fatalf("the sweep went on while its posts were held: %d posts", n)
	}

	close(release)
	poll(t, "the start sweep sends the late reminders", func() bool {
		return strings.Contains(logs.String(), `"msg":"reminder sweep"`)
	})
	if n, _ := chat.Counts(); n == 0 {
		t.Fatal("the sweep logged, and posted nothing")
	}
	cancel()
	if code := <-done; code != ExitOK {
		t.Fatalf("serve exit %d:\n%s", code, logs.String())
	}
}

// BenchmarkServeHealthz measures what an orchestrator sees when Vigie
// comes back after an outage with 10 000 incidents, 1 000 of them with
// reminders due: the time from the process's start to the first 200 on
// /healthz (target ≤ 300 ms), and to the end of the start sweep, whose
// 500 reminder messages a fake Slack answers at once, and the process's
// resident memory then. It reports figures and asserts nothing about time.
//
//	go test -run '^$' -bench ServeHealthz -benchtime 10x ./internal/cli/
func BenchmarkServeHealthz(b *testing.B) {
	bin := buildVigie(b)
	pristine := filepath.Join(b.TempDir(), "seed.db")
	seed(b, pristine, 10_000, 1_000, time.Now())
	data, err := os.ReadFile(pristine)
	if err != nil {
		b.Fatal(err)
	}
	web := &slackWeb{got: make(chan struct{}, 1)}
	apiURL := useSlackWeb(b, web)
	posts := func() (n int) {
		web.snapshot(func() { n = len(web.posts) })
		return n
	}
	client := &http.Client{Timeout: time.Second}
	var healthz, swept, worst time.Duration
	var rss, anon float64 // MB, the most of a serve at its start sweep's end
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		// Each start on a copy of the same store: every reminder still due.
		dir := b.TempDir()
		db := filepath.Join(dir, "vigie.db")
		if err := os.WriteFile(db, data, 0o600); err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		cfg := filepath.Join(dir, "vigie.yaml")
		conf := strings.Replace(slackConfig, "listen: 127.0.0.1:0", "listen: "+addr, 1) + apiURL
		if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
			b.Fatal(err)
		}
		before := posts()
		cmd := exec.Command(bin, "--config", cfg, "--db", db, "serve")
		b.StartTimer()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for {
			if resp, err := client.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Since(start) > killDeadline {
				cmd.Process.Kill()
				b.Fatalf("no 200 on /healthz within %v", killDeadline)
			}
			time.Sleep(time.Millisecond) // the resolution of the figure
		}
		d := time.Since(start)
		b.StopTimer()
		healthz += d
		worst = max(worst, d)
		// The start sweep ends with its 500th message (one per incident,
		// sweepBatch of them).
		for posts()-before < 500 {
			if time.Since(start) > killDeadline {
				cmd.Process.Kill()
				b.Fatalf("the start sweep posted %d messages in %v", posts()-before, killDeadline)
			}
			time.Sleep(time.Millisecond)
		}
		swept += time.Since(start)
		if mb, err := vmRSS(cmd.Process.Pid); err == nil {
			rss, anon = max(rss, mb.total), max(anon, mb.anon)
		}
		cmd.Process.Kill()
		cmd.Wait()
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(healthz)/float64(b.N), "ms/healthz")
	b.ReportMetric(ms(worst), "ms_max/healthz")
	b.ReportMetric(ms(swept)/float64(b.N), "ms/sweep_end")
	b.ReportMetric(rss, "MB_max/rss_sweep_end")
	b.ReportMetric(anon, "MB_max/rss_anon_sweep_end")
}
