package cli

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/adapters/slack"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// fakeSlack is the part of Slack's Web API that vigie doctor calls.
type fakeSlack struct {
	scopes   []string // granted to the bot token
	appToken string   // the app-level token it accepts
}

func (f *fakeSlack) start(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/api/auth.test" && r.Header.Get("Authorization") == "Bearer xoxb-good":
			w.Header().Set("X-OAuth-Scopes", strings.Join(f.scopes, ","))
			fmt.Fprint(w, `{"ok":true,"url":"https://ch-exemple.slack.com/","team":"CH Exemple","user":"vigie","team_id":"T1","user_id":"U1","bot_id":"B1"}`)
		case r.URL.Path == "/api/auth.test":
			fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
		case r.URL.Path == "/api/apps.connections.open" && r.Header.Get("Authorization") == "Bearer "+f.appToken:
			fmt.Fprint(w, `{"ok":true,"url":"wss://wss-primary.slack.com/link/?ticket=x"}`)
		case r.URL.Path == "/api/apps.connections.open":
			fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func slackYAML(api, mode, bot, public string) string {
	y := fmt.Sprintf("region: auvergne-rhone-alpes\nslack:\n  api_url: %s/api/\n  mode: %s\n  bot_token: %s\n  app_token: xapp-good\n  signing_secret: s3cret\n", api, mode, bot)
	if public != "" {
		y += "public_url: " + public + "\n"
	}
	return y
}

func TestDoctorSlack(t *testing.T) {
	all, err := slack.Scopes()
	if err != nil {
		t.Fatal(err)
	}
	vigie := fakeVigie(t)
	for _, tc := range []struct {
		name   string
		scopes []string
		yaml   func(api string) string
		code   int
		marks  map[string]string // check → mark
		want   map[string]string // check → in its line
	}{
		{"socket mode", all, func(api string) string { return slackYAML(api, "socket", "xoxb-good", "") }, ExitOK,
			map[string]string{"token": "✓", "permissions": "✓", "socket mode": "✓", "clock": "✓", "callback URL": "–"},
			map[string]string{"token": "@vigie", "callback URL": "Socket Mode"}},
		{"http mode", all, func(api string) string { return slackYAML(api, "http", "xoxb-good", vigie.URL) }, ExitOK,
			map[string]string{"token": "✓", "permissions": "✓", "callback URL": "✓", "socket mode": "–"}, nil},
		{"scope missing", append([]string{"bogus:scope"}, all[2:]...), func(api string) string { return slackYAML(api, "socket", "xoxb-good", "") }, ExitFailure,
			map[string]string{"permissions": "✗"},
			map[string]string{"permissions": all[0] + ", " + all[1]}},
		{"token refused", all, func(api string) string { return slackYAML(api, "socket", "xoxb-bad", "") }, ExitFailure,
			map[string]string{"token": "✗", "permissions": "–"},
			map[string]string{"token": "invalid_auth"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := (&fakeSlack{scopes: tc.scopes, appToken: "xapp-good"}).start(t)
			code, out, _ := runDoctor(t, readyDir(t), tc.yaml(srv.URL))
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s", code, tc.code, out)
			}
			for name, want := range tc.marks {
				if mark, line := checkLine(out, name); mark != want {
					t.Errorf("check %q: %q, want %s:\n%s", name, line, want, out)
				}
			}
			for name, want := range tc.want {
				if _, line := checkLine(out, name); !strings.Contains(line, want) {
					t.Errorf("check %q: %q does not say %q", name, line, want)
				}
			}
		})
	}
}

// TestDoctorLocal: without a platform, the local checks alone; each thing
// wrong on this machine is one ✗ line and exit 1.
func TestDoctorLocal(t *testing.T) {
	t.Run("fresh install", func(t *testing.T) {
		// Without a region, the national chains have no ARS to alert: the
		// one thing a fresh install lacks.
		code, out, errs := runDoctor(t, t.TempDir(), "")
		if code != ExitFailure || errs != "vigie doctor: 1 of 6 checks failed\n" {
			t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
		}
		if mark, line := checkLine(out, "contacts"); mark != "✗" || !strings.Contains(line, "set region: to your ARS's region") {
			t.Errorf("check contacts: %q, want ✗ and what to set:\n%s", line, out)
		}
		code, out, errs = runDoctor(t, t.TempDir(), "region: auvergne-rhone-alpes\n")
		if code != ExitOK || errs != "" {
			t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
		}
		for name, want := range map[string]string{
			"configuration": "vigie.yaml", "chain": "asked", "database": "created at first start",
			"signing key": "created at first start", "clock": "–", "platform": "–",
			"contacts": "ars69-alerte@ars.sante.fr", "roles": "nobody holds a role when an incident opens",
		} {
			mark, line := checkLine(out, name)
			if want == "–" {
				if mark != "–" {
					t.Errorf("check %q: %q, want –", name, line)
				}
				continue
			}
			if mark != "✓" || !strings.Contains(line, want) {
				t.Errorf("check %q: %q, want ✓ and %q:\n%s", name, line, want, out)
			}
		}
		if !strings.Contains(out, "Effective configuration") || !strings.Contains(out, "trigger: /incident") {
			t.Errorf("no effective defaults:\n%s", out)
		}
	})
	for _, tc := range []struct {
		name, yaml string
		prepare    func(t *testing.T, dir string)
		check      string
		want       string
	}{
		{"damaged database", "", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "vigie.db"), []byte("not a database at all"), 0o600)
		}, "database", "restore the last backup"},
		{"key missing", "", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, keyfile.Name))
		}, "signing key", "copy the deployment's key"},
		{"bad configuration", "reminders:\n  reask: 0m\n", nil, "configuration", `reminders.reask: bad duration "0m"`},
		{"unknown chain", "organisation:\n  chain: nope/nope\n", nil, "configuration", "unknown chain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := readyDir(t)
			if tc.prepare != nil {
				tc.prepare(t, dir)
			}
			code, out, _ := runDoctor(t, dir, tc.yaml)
			if code != ExitFailure {
				t.Errorf("exit %d, want 1:\n%s", code, out)
			}
			if mark, line := checkLine(out, tc.check); mark != "✗" || !strings.Contains(line, tc.want) {
				t.Errorf("check %q: %q, want ✗ and %q:\n%s", tc.check, line, tc.want, out)
			}
		})
	}
}

// TestDoctorBesideRunningVigie: the database a Vigie holds is checked on
// the copy that Vigie makes, as vigie backup does.
func TestDoctorBesideRunningVigie(t *testing.T) {
	dir := readyDir(t)
	g := &Globals{DB: filepath.Join(dir, "vigie.db")}
	a, err := openApp(Env{Stderr: io.Discard, Getenv: func(string) string { return "" }}, g)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.hot == nil {
		t.Fatal("the app does not answer vigie backup")
	}
	code, out, _ := runDoctor(t, dir, "region: auvergne-rhone-alpes\n")
	if mark, line := checkLine(out, "database"); code != ExitOK || mark != "✓" || !strings.Contains(line, "checked on a copy made by the Vigie running on it") {
		t.Errorf("exit %d, database %q:\n%s", code, line, out)
	}
}

// TestDoctorLang: doctor speaks the chains' texts in the language of
// --lang, before or after the command, and its effective configuration
// shows that language.
func TestDoctorLang(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want, not string }{
		{"region", "region: pays-de-la-loire\n", "ARS Pays de la Loire (regional focal point)", "point focal"},
		{"no region", "lang: fr\n", "« Regional health agency concerned (regional focal point) »", "concernée"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, where := range []string{"before", "after"} {
				dir := t.TempDir()
				conf := filepath.Join(dir, "vigie.yaml")
				if err := os.WriteFile(conf, []byte(tc.yaml), 0o600); err != nil {
					t.Fatal(err)
				}
				args := []string{"--lang", "en", "--db", filepath.Join(dir, "vigie.db"), "--config", conf, "doctor"}
				if where == "after" {
					args = []string{"--db", filepath.Join(dir, "vigie.db"), "--config", conf, "doctor", "--lang", "en"}
				}
				var out bytes.Buffer
				Run(t.Context(), Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard, Getenv: func(string) string { return "" }}, args)
				_, line := checkLine(out.String(), "contacts")
				if !strings.Contains(line, tc.want) || strings.Contains(line, tc.not) || strings.Contains(line, "régional") {
					t.Errorf("--lang en %s: contacts %q, want %q and no French", where, line, tc.want)
				}
				if !strings.Contains(out.String(), "\nlang: en\n") {
					t.Errorf("--lang en %s: the effective configuration does not say lang: en:\n%s", where, out.String())
				}
			}
		})
	}
}
