package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTmuxNight starts the real vigie binary in a detached tmux session of
// 120×40, types a short night with send-keys, and reads the screen back
// with capture-pane: history with ↑, completion with Tab, a form whose bad
// time is asked again, Ctrl-C, quitter. It waits for what it expects by
// polling the screen until a deadline, never by sleeping a fixed time.
// Without tmux it is skipped, except in CI (CI=true), where it fails:
// .ci/run installs tmux.
func TestTmuxNight(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no tmux session")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is missing: CI must install it (see .ci/run)")
		}
		t.Skip("tmux is missing (apt-get install tmux): the terminal is not driven for real")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "vigie")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	s := &session{t: t, tmux: tmux, sock: filepath.Join(dir, "tmux.sock")}
	// A private server (-S), no user configuration (-f /dev/null), UTF-8
	// (-u); the binary sees a terminal of 120×40.
	cmd := "env HOME=" + dir + " VIGIE_USER=rssi LANG=C.UTF-8 " + bin + " --db " + filepath.Join(data, "vigie.db") +
		" console --flow nouvelle-aquitaine/es-esms --sweep 0"
	s.run("-f", "/dev/null", "new-session", "-d", "-s", "vigie", "-x", "120", "-y", "40", cmd)
	t.Cleanup(func() { _ = exec.Command(tmux, "-S", s.sock, "kill-server").Run() })
	s.run("set-option", "-t", "vigie", "remain-on-exit", "on")

	s.waitFor("the prompt", func(scr string) bool { return lastRow(scr) == "vigie>" })

	// The incident opens; all it prints fits the screen: the line typed is
	// still on it, above the card.
	s.keys("ouvrir Test tmux", "Enter")
	scr := s.waitFor("the incident", func(scr string) bool { return strings.Contains(scr, "Incident #2026-0001 ouvert : Test tmux.") })
	if !strings.Contains(scr, "vigie> ouvrir Test tmux") || !strings.Contains(scr, "[m] Fait") {
		t.Fatalf("the opening does not fit the screen:\n%s", scr)
	}

	// Tab completes what the verbs share, then lists them; a step key
	// comes from the open incident.
	s.keys("sta", "Tab")
	s.waitFor("statu completed", func(scr string) bool { return lastRow(scr) == "vigie> statu" })
	s.keys("Tab")
	s.waitFor("the verbs listed", func(scr string) bool {
		return strings.Contains(scr, "Possibles : statut  status\nvigie> statu")
	})
	s.keys("C-u", "fait c", "Tab")
	s.waitFor("the step key completed", func(scr string) bool { return lastRow(scr) == "vigie> fait cert-sante" })

	// Enter: the proof is asked field by field; a bad time is refused and
	// asked again, the rest kept.
	s.keys("Enter")
	s.waitFor("the form", func(scr string) bool { return strings.Contains(scr, "Moyen utilisé (1=portail") })
	s.keys("1", "Enter", "CS-42", "Enter", "25:99", "Enter")
	scr = s.waitFor("the time refused", func(scr string) bool { return strings.Contains(scr, "Heure illisible « 25:99 »") })
	if !strings.HasPrefix(lastRow(scr), "  Fait à (heure de Paris)") {
		t.Fatalf("the time is not asked again:\n%s", scr)
	}
	s.keys("Enter", "par tmux", "Enter")
	s.waitFor("the proof recorded", func(scr string) bool {
		return strings.Contains(scr, "« Déclarer l'incident au CERT Santé » faite, réf. CS-42. ✅")
	})

	// ↑ brings back the last command (not the form's values); Ctrl-C
	// drops it.
	s.keys("Up")
	s.waitFor("the history", func(scr string) bool { return lastRow(scr) == "vigie> fait cert-sante" })
	s.keys("C-c")
	s.waitFor("Ctrl-C", func(scr string) bool {
		return strings.Contains(scr, "vigie> fait cert-sante^C") && lastRow(scr) == "vigie>"
	})

	// A button by its letter: "Non" of the malicious question.
	s.keys("e", "Enter")
	s.waitFor("the answer", func(scr string) bool {
		return strings.Contains(scr, "« L'incident est-il d'origine malveillante ? » → Non.")
	})

	s.keys("quitter", "Enter")
	s.waitFor("the end", func(scr string) bool {
		return strings.Contains(s.output("display-message", "-p", "-t", "vigie", "#{pane_dead}"), "1")
	})

	hist, err := os.ReadFile(filepath.Join(data, "console-history"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(hist); got != "ouvrir Test tmux\nfait cert-sante\ne\nquitter\n" {
		t.Errorf("history file:\n%s", got)
	}
	if fi, err := os.Stat(filepath.Join(data, "console-history")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("history file mode: %v %v", fi.Mode(), err)
	}
}

// session drives a tmux server of its own.
type session struct {
	t    *testing.T
	tmux string
	sock string
}

func (s *session) output(args ...string) string {
	s.t.Helper()
	out, err := exec.Command(s.tmux, append([]string{"-u", "-S", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *session) run(args ...string) { s.t.Helper(); s.output(args...) }

// keys types: each argument is text, or a key name (Enter, Tab, Up, C-c).
func (s *session) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		switch k {
		case "Enter", "Tab", "Up", "Down", "C-c", "C-d", "C-u":
			s.run("send-keys", "-t", "vigie", k)
		default:
			s.run("send-keys", "-t", "vigie", "-l", k)
		}
	}
}

// screen is what the pane shows now, trailing blanks cut.
func (s *session) screen() string {
	s.t.Helper()
	return strings.TrimRight(s.output("capture-pane", "-p", "-t", "vigie"), "\n ")
}

// waitFor polls the screen until ok, for at most 20 seconds.
func (s *session) waitFor(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		scr := s.screen()
		if ok(scr) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waiting for %s; the screen shows:\n%s", what, scr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func lastRow(screen string) string {
	rows := strings.Split(screen, "\n")
	return strings.TrimRight(rows[len(rows)-1], " ")
}
