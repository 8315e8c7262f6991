package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadFileEnvAndSecretFiles(t *testing.T) {
	tok := write(t, "bot.token", "bot-secret-from-file\n")
	cfgPath := write(t, "vigie.yaml", `
lang: fr
organisation: {name: CH Exemple, finess: "330000000", chain: nouvelle-aquitaine/es-esms}
public_url: https://vigie.example.fr
sweep: 1m
mattermost:
  url: https://chat.example.fr
  bot_token_file: `+tok+`
  command_tokens: [cmd-token-1]
`)
	c, err := Load(cfgPath, env(map[string]string{"VIGIE_LANG": "en", "VIGIE_MATTERMOST_COMMAND_TOKENS": "cmd-aaa-111, cmd-bbb-222"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Lang != "en" || c.Mattermost.BotToken.Value() != "bot-secret-from-file" || len(c.Mattermost.CommandTokens) != 2 ||
		c.Organisation.Chain != "nouvelle-aquitaine/es-esms" || c.Sweep.String() != "1m0s" {
		t.Fatalf("config %+v / %+v", c, c.Mattermost)
	}
	out := c.Masked()
	for _, s := range c.Secrets() {
		if strings.Contains(out, s) {
			t.Fatalf("Masked shows secret %q:\n%s", s, out)
		}
	}
	if !strings.Contains(out, "********") {
		t.Fatalf("Masked does not mark the secrets:\n%s", out)
	}
}

func (d Duration) String() string { v, _ := d.MarshalYAML(); return v.(string) }

func TestLoadErrorsNameTheKey(t *testing.T) {
	for _, tc := range []struct{ yaml, env, want string }{
		{"langue: fr\n", "", `unknown field "langue"`},
		{"mattermost: {url: https://x, bot_token: t, command_tokens: [c], colour: red}\npublic_url: https://v\n", "", `unknown field "colour"`},
		{"lang: de\n", "", "lang: \"de\" is not accepted (accepted: fr, en)"},
		{"mattermost: {url: chat, bot_token: t, command_tokens: [c]}\n", "", "mattermost.url"},
		{"mattermost: {url: https://x, command_tokens: [c]}\npublic_url: https://v\n", "", "mattermost.bot_token: missing"},
		{"mattermost: {url: https://x, bot_token: t}\npublic_url: https://v\n", "", "mattermost.command_tokens: missing"},
		{"mattermost: {url: https://x, bot_token: t, command_tokens: [c]}\n", "", "public_url: missing"},
		{"slack: {bot_token: xoxb-1}\n", "", "slack.app_token"},
		{"slack: {mode: http, bot_token: xoxb-1}\n", "", "slack.signing_secret"},
		{"slack: {mode: rtm, bot_token: xoxb-1}\n", "", `slack.mode: "rtm"`},
		{"sweep: 10ms\n", "", "sweep: 10ms is below one second"},
		{"features: [nis3]\n", "", `unknown feature "nis3"`},
		{"", "VIGIE_SWEEP=soon", "VIGIE_SWEEP: bad duration"},
		{"mattermost: {url: https://x, bot_token: t, bot_token_file: /nope, command_tokens: [c]}\npublic_url: https://v\n", "", "both set"},
	} {
		e := map[string]string{}
		if k, v, ok := strings.Cut(tc.env, "="); ok {
			e[k] = v
		}
		_, err := Load(write(t, "c.yaml", tc.yaml), env(e))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %q: error %v, want %q", tc.yaml, tc.env, err, tc.want)
		}
	}
}

func TestEnvAloneMakesASection(t *testing.T) {
	c, err := Load("", env(map[string]string{
		"VIGIE_SLACK_BOT_TOKEN": "xoxb-1", "VIGIE_SLACK_APP_TOKEN": "xapp-1", "VIGIE_ORG_CHAIN": "nouvelle-aquitaine/ose",
	}))
	if err != nil || c.Slack == nil || c.Slack.AppToken.Value() != "xapp-1" || c.Organisation.Chain != "nouvelle-aquitaine/ose" {
		t.Fatalf("%+v %v", c, err)
	}
	if c.Mattermost != nil {
		t.Fatal("a Mattermost section appeared from nothing")
	}
}

// TestHostileConfigs: files no real configuration looks like are refused
// at once, naming the line, before the YAML decoder sees them.
func TestHostileConfigs(t *testing.T) {
	bomb := []string{`a0: ["x","x","x","x","x","x","x","x","x","x"]`}
	for i := 1; i < 9; i++ {
		bomb = append(bomb, fmt.Sprintf("a%d: &a%d [%s]", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d,", i-1), 10), ",")))
	}
	for _, tc := range []struct{ name, yaml, want string }{
		{"20 000 nested lists", "features: " + strings.Repeat("[", 20000), "line 1: lists or maps nested more than 16 deep"},
		{"100 000 nested maps", "features: " + strings.Repeat("{", 100000), "nested more than 16 deep"},
		{"alias bomb", strings.Join(bomb, "\n") + "\nescalate_to: *a8\n", "anchors and aliases (& and *) are not accepted"},
		{"huge file", "# " + strings.Repeat("x", 300<<10) + "\n", "more than 262144"},
		{"deep indentation", "organisation:\n" + strings.Repeat(" ", 100) + "name: x\n", "line 2: indented 100 columns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vigie.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, func(string) string { return "" })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load = %v, want %q", err, tc.want)
			}
		})
	}
	// What looks like them inside quotes and comments is text.
	path := filepath.Join(t.TempDir(), "vigie.yaml")
	ok := "# [[[[[[[[[[[[[[[[[[[[ *a &b\norganisation:\n  name: \"[[[[[[[[[[[[[[[[[[ *x\"\n  ipp: '\\bIPP\\s*\\d{6,}'\nescalate_to: [\"@directeur\"]\n"
	if err := os.WriteFile(path, []byte(ok), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, func(string) string { return "" }); err != nil {
		t.Fatalf("a plain configuration is refused: %v", err)
	}
}

// FuzzLoad: any configuration file, and any VIGIE_* variable over it,
// loads or is refused with an error; what loads passes Validate.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("lang: en\norganisation:\n  chain: nouvelle-aquitaine/es-esms\nreminders:\n  steps:\n    cnil:\n      at: [12h, 60h]\n"), "VIGIE_SWEEP", "1m")
	f.Add([]byte("slack:\n  mode: http\n  bot_token: xoxb-1\n  signing_secret: s\n"), "VIGIE_SLACK_MODE", "socket")
	f.Add([]byte("backups:\n  every: 6h\n  keep: 3\n"), "VIGIE_BACKUPS_KEEP", "x")
	f.Add([]byte("features: [[[[\n"), "VIGIE_FEATURES", "nis2,,")
	f.Add([]byte("a: &a [*a]\n"), "VIGIE_MATTERMOST_URL", "http://[::1")
	f.Fuzz(func(t *testing.T, data []byte, name, value string) {
		path := filepath.Join(t.TempDir(), "vigie.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path, func(k string) string {
			if k == name {
				return value
			}
			return ""
		})
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Load accepted a configuration Validate refuses: %v", err)
		}
	})
}

// TestSlackAPIURL: slack.api_url must be an http(s) URL; its trailing
// slash, which slack-go needs, is added.
func TestSlackAPIURL(t *testing.T) {
	env := func(extra map[string]string) func(string) string {
		m := map[string]string{"VIGIE_SLACK_MODE": "http", "VIGIE_SLACK_BOT_TOKEN": "xoxb-1", "VIGIE_SLACK_SIGNING_SECRET": "s"}
		for k, v := range extra {
			m[k] = v
		}
		return func(k string) string { return m[k] }
	}
	c, err := Load("", env(map[string]string{"VIGIE_SLACK_API_URL": "https://slack-gov.com/api"}))
	if err != nil || c.Slack.APIURL != "https://slack-gov.com/api/" {
		t.Fatalf("Load = %+v, %v", c, err)
	}
	if _, err := Load("", env(map[string]string{"VIGIE_SLACK_API_URL": "slack-gov.com"})); err == nil || !strings.Contains(err.Error(), "slack.api_url") {
		t.Fatalf("a URL without scheme: %v", err)
	}
}
