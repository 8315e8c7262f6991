package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/bottest"
)

// The kill tests run `vigie serve` in a child process, kill it with
// SIGKILL after an action was acknowledged and before its card was edited
// (the platform holds the edit until the process is gone), start it again,
// and read the card from the platform. They check the outbox's promise
// (bot/outbox.go): what a channel is owed is in the store, not in memory,
// and is delivered at start.

// serveChildEnv carries serve's arguments to the child, one per line.
const serveChildEnv = "VIGIE_SERVE_KILL_ARGS"

// killDeadline bounds each wait of the kill tests; it is a safety timeout,
// never what is asserted.
const killDeadline = 20 * time.Second

// serveChild is `vigie serve` running in a child process: this test
// binary, running TestServeChild.
type serveChild struct {
	t      *testing.T
	cmd    *exec.Cmd
	logs   *bottest.Buffer
	addr   string        // where it listens, from its "vigie serving" line
	exited chan struct{} // closed once the child has ended
	err    error         // its Wait, once exited
}

// startServeChild starts serve with args and returns once it serves.
func startServeChild(t *testing.T, args ...string) *serveChild {
	t.Helper()
	c := &serveChild{t: t, logs: &bottest.Buffer{}, exited: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestServeChild$", "-test.count=1")
	// No VIGIE_* of the test's environment: the child runs on its
	// configuration file alone.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VIGIE_") {
			c.cmd.Env = append(c.cmd.Env, kv)
		}
	}
	c.cmd.Env = append(c.cmd.Env, serveChildEnv+"="+strings.Join(args, "\n"))
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			c.logs.Write(append(sc.Bytes(), '\n'))
			var rec struct{ Msg, Listen string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "vigie serving" {
				select {
				case serving <- rec.Listen:
				default:
				}
			}
		}
		c.err = c.cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.exited
		if t.Failed() {
			t.Logf("serve's log (pid %d):\n%s", c.cmd.Process.Pid, c.logs.String())
		}
	})
	select {
	case c.addr = <-serving:
	case <-c.exited:
		t.Fatalf("serve ended before serving: %v\n%s", c.err, c.logs.String())
	case <-time.After(killDeadline):
		t.Fatalf("serve did not start within %v:\n%s", killDeadline, c.logs.String())
	}
	return c
}

// kill ends the child with SIGKILL: no defer, no shutdown, nothing
// flushed.
func (c *serveChild) kill() {
	c.t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		c.t.Fatalf("kill: %v", err)
	}
	<-c.exited
	ws, _ := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		c.t.Fatalf("serve ended before the kill: %v\n%s", c.err, c.logs.String())
	}
}

// stop ends the child with SIGTERM, as an operator would, and expects a
// clean exit.
func (c *serveChild) stop() {
	c.t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
		if c.err != nil {
			c.t.Errorf("serve after SIGTERM: %v\n%s", c.err, c.logs.String())
		}
	case <-time.After(killDeadline):
		c.t.Errorf("serve still running %v after SIGTERM", killDeadline)
	}
}

// TestServeChild is the serve that the kill tests start and kill; run
// alone, it skips.
func TestServeChild(t *testing.T) {
	args := os.Getenv(serveChildEnv)
	if args == "" {
		t.Skip("child process of the serve kill tests")
	}
	os.Exit(Main(strings.Split(args, "\n")))
}

// poll waits until cond holds, failing after killDeadline with what.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(killDeadline); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", killDeadline, what)
		}
	}
}

// answeredCard says whether a card's text shows the answer to the first
// question of the es-esms chain: listed under the answers, no longer
// asked.
func answeredCard(text string) bool {
	return strings.Contains(text, "Réponses") && !strings.Contains(text, "❓ L'incident a-t-il un impact sur le capacitaire")
}

// TestServeKillBeforeCardEditSlack: on Slack in HTTP mode, a slash command
// answers a question and is acknowledged with the answer; the card's
// chat.update is held by the fake Slack and serve is killed with SIGKILL
// before Slack answers it. Started again, serve edits the card within
// seconds to show the answer, without posting a second card.
func TestServeKillBeforeCardEditSlack(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary as vigie serve")
	}
	web := &slackWeb{got: make(chan struct{}, 1)}
	apiURL := useSlackWeb(t, web)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "vigie.yaml")
	if err := os.WriteFile(cfg, []byte(slackConfig+apiURL), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--config", cfg, "--db", filepath.Join(dir, "vigie.db"), "serve"}
	n := 0
	command := func(base, text string) string {
		t.Helper()
		n++ // Slack's trigger_id is one per command; the adapter drops a repeat
		form := url.Values{"team_id": {"T111"}, "channel_id": {"C111"}, "user_id": {"W111"}, "user_name": {"rssi"},
			"command": {"/incident"}, "text": {text}, "trigger_id": {fmt.Sprintf("%d.111.trigger", n)},
			"response_url": {web.url + "/response/" + url.PathEscape(text)}}
		resp, body := slackSigned(t, base+"/slack/commands", form.Encode())
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", text, resp.StatusCode, body)
		}
		return body
	}

	v := startServeChild(t, args...)
	command("http://"+v.addr, "ouvrir Coupure avant l'édition")
	var cardTS string
	poll(t, "card and checklist posted", func() (ok bool) {
		web.snapshot(func() {
			if ok = len(web.posts) >= 2; ok {
				cardTS = web.posts[0].Get("ts")
			}
		})
		return ok
	})

	web.holdUpdates()
	ack := command("http://"+v.addr, "repondre capacity_impact oui")
	// The answer rides on the acknowledgement, or follows through the
	// response_url when the bot took longer than the adapter waits.
	poll(t, "the answer acknowledged", func() bool {
		acked := strings.Contains(ack, "→")
		web.snapshot(func() {
			for _, r := range web.replies {
				acked = acked || strings.Contains(r, "→")
			}
		})
		return acked
	})
	select {
	case held := <-web.held:
		if held.Get("ts") != cardTS || !answeredCard(held.Get("blocks")) {
			t.Fatalf("the edit held is not the card with the answer: ts %s\n%s", held.Get("ts"), held.Get("blocks"))
		}
	case <-time.After(killDeadline):
		t.Fatalf("no card edit within %v:\n%s", killDeadline, v.logs.String())
	}
	v.kill()
	select {
	case <-web.heldDied:
	case <-time.After(killDeadline):
		t.Fatal("the held chat.update outlived serve")
	}
	web.snapshot(func() {
		if answeredCard(web.shown[cardTS].Get("blocks")) {
			t.Fatal("the card shows the answer before the restart: the kill came too late")
		}
	})

	web.answerUpdates()
	v = startServeChild(t, args...)
	poll(t, "the card shows the answer after the restart", func() (ok bool) {
		web.snapshot(func() { ok = answeredCard(web.shown[cardTS].Get("blocks")) })
		return ok
	})
	web.snapshot(func() {
		if len(web.posts) != 2 {
			t.Errorf("%d messages posted, want the card and its checklist only", len(web.posts))
		}
	})
	v.stop()
}
