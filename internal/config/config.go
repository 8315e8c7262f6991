// Package config reads Vigie's deployment configuration: one YAML file,
// then VIGIE_* environment variables over it, and every secret optionally
// from a file (…_file in YAML, VIGIE_…_FILE in the environment), so that
// no secret needs to sit in the file or in the process list.
//
// Unknown keys are errors naming the key, and Validate names the key at
// fault and what it accepts: a deployment must fail at start, not at 3 a.m.
//
// It imports nothing of ours: internal/cli turns it into the conversation's
// and the adapters' settings.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Config is the whole deployment configuration.
type Config struct {
	// Lang is the bot's language: fr (default) or en.
	Lang string `yaml:"lang" env:"LANG"`
	// DB is the bbolt file; empty: vigie.db in the user's state directory.
	DB string `yaml:"db" env:"DB"`
	// Trigger is the slash command, /incident by default.
	Trigger string `yaml:"trigger" env:"TRIGGER"`
	// Organisation describes the structure; its chain fixes the alert
	// chain of every incident (else the card asks the structure type).
	Organisation Organisation `yaml:"organisation" env:"ORG"`
	// Region is the deployment's region, one of Regions: the national
	// chains take the ARS and CSIRT contacts Vigie ships for it. Empty:
	// the region of organisation.chain, if it has one.
	Region string `yaml:"region,omitempty" env:"REGION"`
	// Contacts are the deployment's own regional contacts, over those Vigie
	// ships for the region (or where it ships none).
	Contacts Contacts `yaml:"contacts,omitempty" env:"CONTACTS"`
	// Features are chain switches on for every incident (nis2).
	Features []string `yaml:"features" env:"FEATURES"`
	// Sweep is how often reminders are checked (30s by default).
	Sweep Duration `yaml:"sweep" env:"SWEEP"`
	// EscalateTo are the mentions an escalation calls (@directeur-crise).
	EscalateTo []string `yaml:"escalate_to" env:"ESCALATE_TO"`
	// Roles are the crisis cell's roles (roles.go): Vigie's own, renamed
	// or given a holder at opening, and the deployment's own.
	Roles []Role `yaml:"roles"`
	// Declarations says who may record a step owned by a role as done.
	Declarations Declarations `yaml:"declarations"`
	// Reminders overrides the cadences of domain.md §6 ([PROP] there).
	Reminders Reminders `yaml:"reminders" env:"REMINDERS"`
	// Listen is the HTTP address of vigie serve (":8080" by default).
	Listen string `yaml:"listen" env:"LISTEN"`
	// PublicURL is how the chat platform reaches Vigie, for callbacks.
	PublicURL string `yaml:"public_url" env:"PUBLIC_URL"`

	// Backups are scheduled copies of the database, each checked.
	Backups Backups `yaml:"backups" env:"BACKUPS"`

	Mattermost *Mattermost `yaml:"mattermost" env:"MATTERMOST"`
	Slack      *Slack      `yaml:"slack" env:"SLACK"`
}

// Organisation is the structure Vigie serves.
type Organisation struct {
	Name   string `yaml:"name" env:"NAME"`
	FINESS string `yaml:"finess" env:"FINESS"`
	Chain  string `yaml:"chain" env:"CHAIN"` // e.g. nouvelle-aquitaine/es-esms
	// SIREN, DPO and IPP serve the regulator outputs: the SIREN and the
	// data protection officer (name, contact) fill the declaration drafts;
	// IPP is a regular expression for the structure's patient identifiers,
	// kept out of the main courante (empty: "IPP" followed by digits).
	SIREN string `yaml:"siren" env:"SIREN"`
	DPO   string `yaml:"dpo" env:"DPO"`
	IPP   string `yaml:"ipp" env:"IPP"`
}

// Reminders overrides reminder cadences. Durations are written as in chain
// files: 15m, 2h, 1d.
type Reminders struct {
	PointEvery   string `yaml:"point_every" env:"POINT_EVERY"`
	OverdueEvery string `yaml:"overdue_every" env:"OVERDUE_EVERY"`
	Reask        string `yaml:"reask" env:"REASK"`
	// Steps overrides the cadence of steps by id (cnil, cert-sante…).
	Steps map[string]StepReminder `yaml:"steps"`
}

// StepReminder is one step's cadence, replacing the chain's.
type StepReminder struct {
	Every         string   `yaml:"every"`
	EscalateAfter string   `yaml:"escalate_after"`
	At            []string `yaml:"at"`
}

// Backups schedules copies of the database while Vigie runs: every Every
// (none when zero), into Dir (default: backups/ beside the database),
// keeping the Keep newest (default 7). Each copy is checked as vigie
// backup checks it before it counts.
type Backups struct {
	Every Duration `yaml:"every" env:"EVERY"`
	Dir   string   `yaml:"dir" env:"DIR"`
	Keep  int      `yaml:"keep" env:"KEEP"`
}

// Mattermost is the Mattermost platform section.
type Mattermost struct {
	URL string `yaml:"url" env:"URL"`
	// BotToken is the bot account's access token.
	BotToken     Secret `yaml:"bot_token" env:"BOT_TOKEN"`
	BotTokenFile string `yaml:"bot_token_file" env:"BOT_TOKEN_FILE"`
	// CommandTokens are the tokens of the slash commands pointing at Vigie
	// (one per team); in a file, one per line.
	CommandTokens     []Secret `yaml:"command_tokens" env:"COMMAND_TOKENS"`
	CommandTokensFile string   `yaml:"command_tokens_file" env:"COMMAND_TOKENS_FILE"`
	// ActionSecret signs button contexts and dialog states (Mattermost
	// signs nothing). Empty: a random key kept in the data directory.
	ActionSecret     Secret `yaml:"action_secret" env:"ACTION_SECRET"`
	ActionSecretFile string `yaml:"action_secret_file" env:"ACTION_SECRET_FILE"`
}

// Slack is the Slack platform section.
type Slack struct {
	// Mode is socket (default: no public URL needed) or http.
	Mode              string `yaml:"mode" env:"MODE"`
	BotToken          Secret `yaml:"bot_token" env:"BOT_TOKEN"`
	BotTokenFile      string `yaml:"bot_token_file" env:"BOT_TOKEN_FILE"`
	AppToken          Secret `yaml:"app_token" env:"APP_TOKEN"` // xapp-, Socket Mode
	AppTokenFile      string `yaml:"app_token_file" env:"APP_TOKEN_FILE"`
	SigningSecret     Secret `yaml:"signing_secret" env:"SIGNING_SECRET"`
	SigningSecretFile string `yaml:"signing_secret_file" env:"SIGNING_SECRET_FILE"`
	// APIURL replaces Slack's Web API address, https://slack.com/api/
	// (GovSlack, a relay, a test server). Proxies come from HTTPS_PROXY.
	APIURL string `yaml:"api_url" env:"API_URL"`
}

// Secret is a value never printed nor logged.
type Secret string

// String masks the secret: fmt, slog and %v never show it.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "********"
}

// Value returns the secret itself, for the code that uses it.
func (s Secret) Value() string { return string(s) }

// MarshalYAML masks the secret in `vigie config check`.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// Duration is a time.Duration read as "30s", "1m".
type Duration time.Duration

// UnmarshalYAML reads a duration string.
func (d *Duration) UnmarshalYAML(b []byte) error {
	var s string
	if err := yaml.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// parseDuration reads a duration as Go writes them (30s, 1m, 2h30m) or in
// whole days (1d, 7d), as chain files and reminder cadences do.
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 && n <= 3650 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q (accepted: 30s, 1m, 2h30m, 1d)", s)
	}
	return v, nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// Load reads the YAML file at path (none when path is ""), then the
// environment through getenv, then the secret files, and validates.
func Load(path string, getenv func(string) string) (*Config, error) {
	var c Config
	if path != "" {
		data, err := readFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if err := checkShape(data); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		if err := decodeStrict(data, &c); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if err := applyEnv(reflect.ValueOf(&c).Elem(), "VIGIE", getenv); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := c.readSecretFiles(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// readFile reads at most one byte more than a configuration may hold, so
// that a wrong path (a disk image, /dev/zero) fails at once.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return io.ReadAll(io.LimitReader(f, maxFileSize+1))
}

// decodeStrict decodes YAML with unknown keys as errors.
func decodeStrict(data []byte, c *Config) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := yaml.NewDecoder(bytes.NewReader(data), yaml.Strict()).Decode(c); err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			return fmt.Errorf("line %d: %s", ye.GetToken().Position.Line, ye.GetMessage())
		}
		return err
	}
	return nil
}

// Validate names the first key at fault and what it accepts.
func (c *Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("config: %s: %s", key, fmt.Sprintf(format, args...))
	}
	if c.Lang != "" && c.Lang != "fr" && c.Lang != "en" {
		return bad("lang", "%q is not accepted (accepted: fr, en)", c.Lang)
	}
	if c.Sweep != 0 && time.Duration(c.Sweep) < time.Second {
		return bad("sweep", "%s is below one second", time.Duration(c.Sweep))
	}
	if b := c.Backups; b.Every != 0 && time.Duration(b.Every) < time.Minute {
		return bad("backups.every", "%s is below one minute (e.g. 6h, 24h; 0 or absent: no scheduled backups)", time.Duration(b.Every))
	}
	if c.Backups.Keep < 0 {
		return bad("backups.keep", "%d is negative (how many copies to keep, 7 by default)", c.Backups.Keep)
	}
	if c.Region != "" && !slices.Contains(Regions, c.Region) {
		return bad("region", "%q is not a region (accepted: %s)", c.Region, strings.Join(Regions, ", "))
	}
	for _, k := range []struct {
		key string
		c   *Contact
	}{{"contacts.ars", c.Contacts.ARS}, {"contacts.csirt", c.Contacts.CSIRT}} {
		if k.c != nil {
			if err := k.c.validate(k.key); err != nil {
				return err
			}
		}
	}
	for _, f := range c.Features {
		if f != "nis2" {
			return bad("features", "unknown feature %q (accepted: nis2)", f)
		}
	}
	if err := validateRoles(c.Roles); err != nil {
		return err
	}
	if err := c.Declarations.validate(); err != nil {
		return err
	}
	if c.Organisation.IPP != "" {
		if _, err := regexp.Compile(c.Organisation.IPP); err != nil {
			return bad("organisation.ipp", "%q is not a regular expression (RE2 syntax, e.g. \\bIPP\\s*\\d{6,}): %v", c.Organisation.IPP, err)
		}
	}
	if c.Listen != "" {
		if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
			return bad("listen", "%q is not an address to listen on (e.g. :8080, 127.0.0.1:8080)", c.Listen)
		}
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("public_url", "%q is not an http(s) URL", c.PublicURL)
		}
	}
	if c.Mattermost != nil && c.Slack != nil {
		return bad("mattermost, slack", "configure one platform per Vigie (run two Vigies for two platforms)")
	}
	if m := c.Mattermost; m != nil {
		if u, err := url.Parse(m.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("mattermost.url", "%q is not an http(s) URL (e.g. https://chat.example.fr)", m.URL)
		}
		if m.BotToken == "" {
			return bad("mattermost.bot_token", "missing (the bot account's access token; or mattermost.bot_token_file, VIGIE_MATTERMOST_BOT_TOKEN)")
		}
		if len(m.CommandTokens) == 0 {
			return bad("mattermost.command_tokens", "missing (the token Mattermost shows for the /incident slash command)")
		}
		if c.PublicURL == "" {
			return bad("public_url", "missing: Mattermost calls Vigie back there for buttons and dialogs")
		}
	}
	if s := c.Slack; s != nil {
		switch s.Mode {
		case "", "socket":
			if !strings.HasPrefix(s.AppToken.Value(), "xapp-") {
				return bad("slack.app_token", "missing or not an app-level token (xapp-…, scope connections:write) for Socket Mode")
			}
		case "http":
			if s.SigningSecret == "" {
				return bad("slack.signing_secret", "missing (Basic Information → Signing Secret) for HTTP mode")
			}
		default:
			return bad("slack.mode", "%q is not accepted (accepted: socket, http)", s.Mode)
		}
		if s.APIURL != "" {
			if u, err := url.Parse(s.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return bad("slack.api_url", "%q is not an http(s) URL (e.g. https://slack-gov.com/api/)", s.APIURL)
			}
			if !strings.HasSuffix(s.APIURL, "/") {
				s.APIURL += "/"
			}
		}
		if !strings.HasPrefix(s.BotToken.Value(), "xoxb-") {
			return bad("slack.bot_token", "missing or not a bot token (xoxb-…)")
		}
	}
	return nil
}

// Secrets returns every secret set, for tests that grep logs for them.
func (c *Config) Secrets() []string {
	var out []string
	add := func(s Secret) {
		if s != "" {
			out = append(out, s.Value())
		}
	}
	if m := c.Mattermost; m != nil {
		add(m.BotToken)
		add(m.ActionSecret)
		for _, t := range m.CommandTokens {
			add(t)
		}
	}
	if s := c.Slack; s != nil {
		add(s.BotToken)
		add(s.AppToken)
		add(s.SigningSecret)
	}
	sort.Strings(out)
	return out
}

// Masked writes the effective configuration with secrets masked.
func (c *Config) Masked() string {
	b, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Sprintf("# %v\n", err)
	}
	return string(b)
}
