package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// fakeMattermost is the part of the Mattermost API that vigie doctor
// reads, with what a server may get wrong.
type fakeMattermost struct {
	token string              // the bot token it accepts
	roles string              // the bot's system roles
	perms map[string][]string // each role's permissions
	teams bool                // the bot is a member of a team
	skew  time.Duration       // its clock minus ours
	noWS  bool                // a proxy in front drops WebSocket upgrades
}

func newFakeMattermost() *fakeMattermost {
	return &fakeMattermost{token: "bot-token", roles: "system_user system_admin", teams: true, perms: map[string][]string{
		"system_user":  {"create_team", "list_public_teams"},
		"system_admin": {"create_post_ephemeral", "manage_system"},
		"team_user":    {"create_public_channel", "list_team_channels"},
	}}
}

func (f *fakeMattermost) start(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	auth := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", time.Now().Add(f.skew).UTC().Format(http.TimeFormat))
			if r.Header.Get("Authorization") != "Bearer "+f.token {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"id":"api.context.session_expired.app_error","message":"Invalid or expired session, please login again.","status_code":401}`)
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("GET /api/v4/users/me", auth(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"id": "bot1", "username": "vigie", "is_bot": true, "roles": f.roles})
	}))
	mux.HandleFunc("GET /api/v4/users/me/teams/members", auth(func(w http.ResponseWriter, r *http.Request) {
		members := []map[string]any{}
		if f.teams {
			members = append(members, map[string]any{"team_id": "t1", "user_id": "bot1", "roles": "", "scheme_user": true})
		}
		json.NewEncoder(w).Encode(members)
	}))
	mux.HandleFunc("POST /api/v4/roles/names", auth(func(w http.ResponseWriter, r *http.Request) {
		var names []string
		json.NewDecoder(r.Body).Decode(&names)
		roles := []map[string]any{}
		for _, n := range names {
			if p, ok := f.perms[n]; ok {
				roles = append(roles, map[string]any{"name": n, "permissions": p})
			}
		}
		json.NewEncoder(w).Encode(roles)
	}))
	mux.HandleFunc("GET /api/v4/websocket", auth(func(w http.ResponseWriter, r *http.Request) {
		if f.noWS {
			http.Error(w, "upgrade not allowed", http.StatusBadGateway)
			return
		}
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.WriteMessage(websocket.TextMessage, []byte(`{"event":"hello","data":{"connection_id":"c1","server_version":"11.4.0"},"broadcast":{},"seq":0}`))
		c.ReadMessage() // until the doctor hangs up
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// fakeVigie is vigie serve as the public URL reaches it.
func fakeVigie(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			fmt.Fprint(w, "ok\n")
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// runDoctor runs vigie doctor on a data directory of the test's own, with
// the configuration yaml ("" for none).
func runDoctor(t *testing.T, dir, yaml string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	full := []string{"--db", filepath.Join(dir, "vigie.db")}
	if yaml != "" {
		conf := filepath.Join(t.TempDir(), "vigie.yaml")
		if err := os.WriteFile(conf, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		full = append(full, "--config", conf)
	}
	var out, errs bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
	code = Run(t.Context(), env, append(append(full, "doctor"), args...))
	return code, out.String(), errs.String()
}

// readyDir is a data directory holding a database and its signing key.
func readyDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	s, err := boltstore.Open(filepath.Join(dir, "vigie.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := keyfile.Load(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkLine returns the line of the check named name, and its mark.
func checkLine(out, name string) (mark, line string) {
	m := regexp.MustCompile(`(?m)^([✓✗–]) ` + regexp.QuoteMeta(name) + `: .*$`).FindStringSubmatch(out)
	if m == nil {
		return "", ""
	}
	return m[1], m[0]
}

func mattermostYAML(mm, public string) string {
	return fmt.Sprintf("public_url: %s\norganisation:\n  chain: nouvelle-aquitaine/es-esms\nmattermost:\n  url: %s\n  bot_token: bot-token\n  command_tokens: [cmd-token]\n", public, mm)
}

var doctorChecks = []string{"configuration", "chain", "database", "signing key", "clock", "token", "permissions", "websocket", "callback URL"}

func TestDoctorMattermost(t *testing.T) {
	mm := newFakeMattermost()
	srv := mm.start(t)
	vigie := fakeVigie(t)
	code, out, errs := runDoctor(t, readyDir(t), mattermostYAML(srv.URL, vigie.URL))
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
	}
	for _, name := range doctorChecks {
		if mark, line := checkLine(out, name); mark != "✓" {
			t.Errorf("check %q: %q, want ✓:\n%s", name, line, out)
		}
	}
	for _, want := range []string{"@vigie", "create_post_ephemeral", "create_public_channel", "nouvelle-aquitaine/es-esms",
		"Effective configuration", "listen: :8080", `bot_token: "********"`} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "bot-token") || strings.Contains(out, "cmd-token") {
		t.Errorf("a secret is printed:\n%s", out)
	}
}

// TestDoctorMattermostProblems: each thing a deployment gets wrong is one
// ✗ line that says what to do, and doctor exits 1.
func TestDoctorMattermostProblems(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close() // nothing listens there any more
	for _, tc := range []struct {
		name    string
		break_  func(*fakeMattermost)
		public  string // "" for the fake Vigie
		check   string
		want    []string
		skipped []string // checks that cannot run after it
	}{
		{"token refused", func(f *fakeMattermost) { f.token = "another" }, "", "token",
			[]string{"refused", "401", "Create New Token", "mattermost.bot_token"}, []string{"permissions", "websocket"}},
		{"no ephemeral posts", func(f *fakeMattermost) { f.roles = "system_user" }, "", "permissions",
			[]string{"create_post_ephemeral", "confirmations", "System Admin"}, nil},
		{"no channel creation", func(f *fakeMattermost) { f.perms["team_user"] = nil }, "", "permissions",
			[]string{"create_public_channel", "canal=nouveau"}, nil},
		{"in no team", func(f *fakeMattermost) { f.teams = false }, "", "permissions",
			[]string{"no team", "add the bot"}, nil},
		{"clock ahead", func(f *fakeMattermost) { f.skew = 10 * time.Minute }, "", "clock",
			[]string{"behind", "10m", "NTP"}, nil},
		{"clock behind", func(f *fakeMattermost) { f.skew = -3 * time.Minute }, "", "clock",
			[]string{"ahead", "3m0s"}, nil},
		{"websocket dropped", func(f *fakeMattermost) { f.noWS = true }, "", "websocket",
			[]string{"502", "Upgrade", "📌"}, nil},
		{"callback down", func(*fakeMattermost) {}, downURL, "callback URL",
			[]string{downURL + "/healthz", "vigie serve", "AllowedUntrustedInternalConnections"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mm := newFakeMattermost()
			tc.break_(mm)
			srv := mm.start(t)
			public := tc.public
			if public == "" {
				public = fakeVigie(t).URL
			}
			code, out, _ := runDoctor(t, readyDir(t), mattermostYAML(srv.URL, public))
			if code != ExitFailure {
				t.Errorf("exit %d, want 1", code)
			}
			mark, line := checkLine(out, tc.check)
			if mark != "✗" {
				t.Fatalf("check %q: %q, want ✗:\n%s", tc.check, line, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("%q does not say %q", line, w)
				}
			}
			for _, name := range doctorChecks {
				mark, _ := checkLine(out, name)
				switch {
				case name == tc.check:
				case slices.Contains(tc.skipped, name) && mark != "–":
					t.Errorf("check %q ran after the %s failed:\n%s", name, tc.check, out)
				case !slices.Contains(tc.skipped, name) && mark != "✓":
					t.Errorf("check %q is %q, want ✓:\n%s", name, mark, out)
				}
			}
		})
	}
}

// TestDoctorMattermostReal runs doctor against the real server, and checks
// its verdict on ephemeral posts against what the server does with one.
func TestDoctorMattermostReal(t *testing.T) {
	mmURL, botToken, user, channel := os.Getenv("MM_URL"), os.Getenv("MM_BOT_TOKEN"), os.Getenv("MM_USER_ID"), os.Getenv("MM_CHANNEL_ID")
	if mmURL == "" || botToken == "" {
		t.Skip("no real Mattermost server (MM_URL… unset): from the repository root run\n" +
			"  env=$(../shared/tools/mattermost/start) && . \"$env\" && go test ./internal/cli/ -run Doctor")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	vigie := fakeVigie(t)
	yaml := strings.Replace(mattermostYAML(mmURL, vigie.URL), "bot-token", botToken, 1)
	_, out, _ := runDoctor(t, readyDir(t), yaml)
	for _, name := range []string{"token", "clock", "websocket", "callback URL"} {
		if mark, line := checkLine(out, name); mark != "✓" {
			t.Errorf("check %q: %q, want ✓:\n%s", name, line, out)
		}
	}
	body := fmt.Sprintf(`{"user_id":%q,"post":{"channel_id":%q,"message":"vigie doctor test"}}`, user, channel)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, mmURL+"/api/v4/posts/ephemeral", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+botToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mark, line := checkLine(out, "permissions")
	may := resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK
	if may == strings.Contains(line, "lacks create_post_ephemeral") || (may && mark != "✓") {
		t.Errorf("the server answers %s to an ephemeral post, and doctor says %q", resp.Status, line)
	}
}
