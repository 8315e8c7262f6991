package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/vigie-sante/vigie/internal/cli"
)

// TestOneValidationEverywhere: a configuration mistake fails config check,
// console and serve alike, at start, naming the key; nothing is opened.
func TestOneValidationEverywhere(t *testing.T) {
	slack := "slack:\n  mode: http\n  bot_token: xoxb-1\n  signing_secret: s\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown chain", "organisation:\n  chain: nope/nope\n", `organisation.chain: unknown chain "nope/nope" (accepted: national/ars`},
		{"negative cadence", "reminders:\n  point_every: -2h\n", `reminders.point_every: bad duration "-2h"`},
		{"zero cadence", "reminders:\n  reask: 0m\n", `reminders.reask: bad duration "0m"`},
		{"unknown step", "reminders:\n  steps:\n    cnill:\n      every: 1h\n", `reminders.steps.cnill: no chain has a step "cnill"`},
		{"step of another chain", "organisation:\n  chain: nouvelle-aquitaine/es-esms\nreminders:\n  steps:\n    hfds:\n      every: 1h\n",
			`the chain nouvelle-aquitaine/es-esms has no step "hfds"`},
		{"short backups", "backups:\n  every: 10s\n", "backups.every: 10s is below one minute"},
		{"unreadable secret file", "slack:\n  mode: http\n  bot_token_file: /nonexistent/token\n  signing_secret: s\n", "slack.bot_token_file"},
		{"unknown region", "region: paca\n", `region: "paca" is not a region (accepted: auvergne-rhone-alpes,`},
		{"region against the chain", "region: bretagne\norganisation:\n  chain: nouvelle-aquitaine/es-esms\n",
			`region: "bretagne", but organisation.chain nouvelle-aquitaine/es-esms is the chain of region nouvelle-aquitaine`},
		{"contact without a means", "contacts:\n  ars:\n    name: ARS\n", "contacts.ars: give email, phone or both"},
		{"contact's bad phone", "contacts:\n  ars:\n    phone: appeler le PFR\n", `contacts.ars.phone: "appeler le PFR" is not a phone number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			conf := filepath.Join(dir, "vigie.yaml")
			yaml := tc.yaml
			if !strings.Contains(yaml, "slack:") {
				yaml += slack // so that serve gets past "no platform configured"
			}
			if err := os.WriteFile(conf, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			db := filepath.Join(dir, "vigie.db")
			for _, cmd := range [][]string{{"config", "check"}, {"console"}, {"serve"}} {
				code, out, errs := runVigie(t, "", append([]string{"--db", db, "--config", conf}, cmd...)...)
				if code != cli.ExitFailure || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and one line with %q", cmd[0], code, out, errs, tc.want)
				}
			}
			if _, err := os.Stat(db); err == nil {
				t.Error("the database was created before the configuration was checked")
			}
		})
	}
}

// TestConfigCheckShowsDefaults: config check prints what will run. With
// nothing to check (no file, no VIGIE_* setting but the database the image
// sets) it exits 1, saying how to give a configuration, and still prints
// the defaults as a file to start from.
func TestConfigCheckShowsDefaults(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	for _, env := range []cli.Env{
		{Getenv: func(string) string { return "" }},
		{Getenv: func(k string) string { return map[string]string{"VIGIE_DB": db}[k] }},
	} {
		var out, errs bytes.Buffer
		env.Stdin, env.Stdout, env.Stderr = strings.NewReader(""), &out, &errs
		code := cli.Run(context.Background(), env, []string{"--db", db, "config", "check"})
		want := "vigie config check: no configuration to check: give a file with --config FILE or VIGIE_CONFIG=FILE"
		if code != cli.ExitFailure || !strings.HasPrefix(errs.String(), want) || strings.Count(strings.TrimSpace(errs.String()), "\n") > 0 {
			t.Errorf("exit %d, stderr %q; want exit 1 and one line %q", code, errs.String(), want)
		}
		for _, want := range []string{"No configuration file", "lang: fr", "db: " + db, "trigger: /incident", "sweep: 30s", "listen: :8080", "point_every: 2h"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("config check lacks %q:\n%s", want, out.String())
			}
		}
	}
}

// TestConfigCheckWithoutFile: with neither --config nor VIGIE_CONFIG but
// VIGIE_* settings (a deployment configured by its environment alone),
// config check checks them, says there is no file in a sentence, names the
// variables it took, and prints the defaults as YAML that a configuration
// may start from.
func TestConfigCheckWithoutFile(t *testing.T) {
	var out, errs bytes.Buffer
	db := filepath.Join(t.TempDir(), "vigie.db")
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(k string) string {
		return map[string]string{"VIGIE_DB": db, "VIGIE_LANG": "en"}[k]
	}}
	if code := cli.Run(context.Background(), env, []string{"config", "check"}); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	text := out.String()
	for _, want := range []string{
		"# No configuration file found: --config was not given and VIGIE_CONFIG is not set",
		"# Taken from the environment: VIGIE_DB, VIGIE_LANG",
		"lang: en", "db: " + db, "listen: :8080",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("config check lacks %q:\n%s", want, text)
		}
	}
	var v map[string]any
	if err := yaml.Unmarshal(out.Bytes(), &v); err != nil || v["trigger"] != "/incident" {
		t.Errorf("stdout is not the defaults as YAML (%v): %v", err, v)
	}
	if !strings.Contains(errs.String(), "No configuration file found") {
		t.Errorf("stderr does not say it either: %q", errs.String())
	}
}

// TestConfigCheckLang: --lang, before or after the command, is the
// effective language config check prints, over the file's lang:.
func TestConfigCheckLang(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "vigie.yaml")
	if err := os.WriteFile(conf, []byte("lang: fr\nregion: pays-de-la-loire\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "vigie.db")
	for _, args := range [][]string{
		{"--lang", "en", "--db", db, "--config", conf, "config", "check"},
		{"--db", db, "--config", conf, "config", "check", "--lang", "en"},
	} {
		code, out, errs := runVigie(t, "", args...)
		if code != cli.ExitOK || !strings.Contains(out, "lang: en\n") || strings.Contains(out, "lang: fr") {
			t.Errorf("%q: exit %d, stderr %q, want lang: en:\n%s", args, code, errs, out)
		}
	}
}
