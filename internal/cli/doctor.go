package cli

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/config"
	"github.com/vigie-sante/vigie/internal/hotcopy"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// This file holds `vigie doctor`: everything a deployment needs, checked
// in one go before the night it is needed, one line per check saying what
// to do when it fails: the configuration, the chain, the database and the
// signing key here; the chat platform's side in doctor_platform.go. It
// changes nothing: no database, key or directory is created.

func newDoctorCmd(env Env, g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "check the configuration, the database, the key, the clock and the chat platform; say what to do",
		Long: `Check what a deployment needs, one line per check, ✓ or ✗ with what to do:
the configuration, the chain, the regional contacts (the ARS's alert address
and number the national chains need: region:, contacts:), the database
(readable, not damaged), the
signing key, the clock (against the chat server's), and on the platform
configured: the bot's token, its permissions (Mattermost: ephemeral posts
and channel creation; Slack: the manifest's scopes), the WebSocket or
Socket Mode, and whether the callback URL answers. Then the effective
configuration, defaults filled in. Exit 1 if any check fails.

It changes nothing, and may run beside vigie serve: the database is then
checked on a copy the running Vigie makes.`,
		Example: `  vigie --config vigie.yaml doctor
  VIGIE_CONFIG=/etc/vigie/vigie.yaml vigie doctor
  docker exec vigie vigie doctor`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d := &doctor{env: env, g: g, client: &http.Client{Timeout: 10 * time.Second}, now: time.Now}
			return d.run(c.Context())
		},
	}
}

// The marks of a check's line.
const (
	markOK   = "✓"
	markFail = "✗"
	markSkip = "–" // not checked, or nothing to check
)

// doctor runs the checks and prints their lines as they end, so that a
// check waiting on a network timeout shows where it stands.
type doctor struct {
	env    Env
	g      *Globals
	client *http.Client
	now    func() time.Time // this machine's clock, compared with the server's

	checks, failed int
}

func (d *doctor) ok(name, format string, args ...any) {
	d.checks++
	fmt.Fprintf(d.env.Stdout, "%s %s: %s\n", markOK, name, fmt.Sprintf(format, args...))
}

// fail reports a check that failed: what was found, then what to do.
func (d *doctor) fail(name, found, todo string) {
	d.checks++
	d.failed++
	fmt.Fprintf(d.env.Stdout, "%s %s: %s → %s\n", markFail, name, found, todo)
}

func (d *doctor) skip(name, why string) {
	fmt.Fprintf(d.env.Stdout, "%s %s: %s\n", markSkip, name, why)
}

func (d *doctor) run(ctx context.Context) error {
	cfg := d.configuration()
	d.chain(cfg)
	d.contacts(cfg) // doctor_contacts.go
	d.roles(cfg)    // doctor_roles.go
	db, exists := d.database(ctx)
	d.signingKey(db, exists)
	switch {
	case cfg == nil:
		d.skip("platform", "not checked: the configuration does not load")
	case cfg.Mattermost != nil:
		d.mattermost(ctx, cfg)
	case cfg.Slack != nil:
		d.slack(ctx, cfg)
	default:
		d.skip("clock", fmt.Sprintf("no chat server to compare with; this machine says %s", d.now().In(paris).Format("2006-01-02 15:04:05 MST")))
		d.skip("platform", "none configured: the console only (add a mattermost or slack section for vigie serve)")
	}
	shown := cfg
	if shown == nil {
		shown = &config.Config{Lang: d.g.Lang}
	}
	fmt.Fprintf(d.env.Stdout, "\nEffective configuration (defaults filled in, secrets masked):\n%s", withDefaults(shown, db).Masked())
	if d.failed > 0 {
		return fmt.Errorf("%d of %d checks failed", d.failed, d.checks)
	}
	return nil
}

// paris is where the crisis cell reads the time.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// configuration loads and checks the configuration as serve does; nil
// when it does not load or check.
func (d *doctor) configuration() *config.Config {
	const name = "configuration"
	cfg, err := config.Load(d.g.Config, d.env.getenv)
	if err != nil {
		d.fail(name, err.Error(), "correct the key named, then run vigie doctor again")
		return nil
	}
	cat, err := builtin.Catalog()
	if err != nil {
		d.fail(name, err.Error(), "this build's chains are broken: rebuild vigie from a released version")
		return nil
	}
	if _, err := checkSettings(cfg, cat); err != nil {
		d.fail(name, err.Error(), "correct the key named, then run vigie doctor again")
		return nil
	}
	if cfg.DB != "" && d.g.DB == "" {
		d.g.DB = cfg.DB
	}
	settleLang(d.g, cfg)
	platform := "no chat platform (console only)"
	switch {
	case cfg.Mattermost != nil:
		platform = "Mattermost at " + cfg.Mattermost.URL
	case cfg.Slack != nil:
		mode := cfg.Slack.Mode
		if mode == "" {
			mode = "socket"
		}
		platform = "Slack, " + mode + " mode"
	}
	if d.g.Config == "" {
		d.ok(name, "no configuration file (--config, VIGIE_CONFIG): the defaults and the VIGIE_* variables; %s", platform)
	} else {
		d.ok(name, "%s; %s", d.g.Config, platform)
	}
	return cfg
}

// chain checks the embedded chains and the organisation's.
func (d *doctor) chain(cfg *config.Config) {
	const name = "chain"
	cat, err := builtin.Catalog()
	if err != nil {
		d.fail(name, err.Error(), "this build's chains are broken: rebuild vigie from a released version")
		return
	}
	if cfg == nil || cfg.Organisation.Chain == "" {
		d.ok(name, "%d embedded chains; no organisation.chain: the structure's type is asked on each incident's card (set organisation.chain to skip the question)", len(cat.IDs()))
		return
	}
	c, err := cat.Current(cfg.Organisation.Chain, d.now())
	if err != nil {
		d.fail(name, err.Error(), "set organisation.chain to one of the chains vigie flows list shows")
		return
	}
	d.ok(name, "%s, version %s in force since %s: %d questions, %d steps", c.ID, c.Version, dayOf(c.Effective), len(c.Questions), len(c.Steps))
}

// database checks that the database opens and is not damaged, as vigie
// check does; a database a running Vigie holds is checked on the copy it
// makes, as for vigie backup. It returns the file and whether it exists.
func (d *doctor) database(ctx context.Context) (string, bool) {
	const name = "database"
	db, dir, err := d.g.dbFile(d.env)
	if err != nil {
		d.fail(name, err.Error(), "give the database with --db or VIGIE_DB")
		return "", false
	}
	if _, err := os.Lstat(db); errors.Is(err, fs.ErrNotExist) {
		d.ok(name, "none yet at %s: created at first start", db)
		return db, false
	}
	summary, err := checkCopy(db)
	how := ""
	if errors.Is(err, boltstore.ErrInUse) {
		summary, err = d.hotCheck(ctx, dir)
		how = ", checked on a copy made by the Vigie running on it"
		if errors.Is(err, hotcopy.ErrNoServer) {
			d.fail(name, fmt.Sprintf("%s is held by a process that does not answer vigie backup (%v)", db, err), "stop it, then run vigie doctor again")
			return db, true
		}
	}
	if err != nil {
		d.fail(name, fmt.Sprintf("%s: %v", db, err), "restore the last backup made before the damage (vigie --db COPY check it first), or move the file away to start afresh")
		return db, true
	}
	d.ok(name, "%s: pages consistent, %s%s", db, summary, how)
	return db, true
}

// hotCheck has the Vigie running in dir copy its database, and checks the
// copy.
func (d *doctor) hotCheck(ctx context.Context, dir string) (string, error) {
	tmp, err := os.CreateTemp("", "vigie-doctor-*.db")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	_, err = hotcopy.Fetch(ctx, dir, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return checkCopy(tmp.Name())
}

// signingKey checks the key exports are signed with, without creating it.
func (d *doctor) signingKey(db string, dbExists bool) {
	const name = "signing key"
	if db == "" {
		d.skip(name, "not checked: no data directory")
		return
	}
	dir := filepath.Dir(db)
	path := filepath.Join(dir, keyfile.Name)
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		if dbExists {
			d.fail(name, fmt.Sprintf("no %s beside the database", path),
				"copy the deployment's key there: exports are checked against its published fingerprint, and a new key would disown them")
			return
		}
		d.ok(name, "none yet at %s: created at first start; then publish its fingerprint (vigie key)", path)
		return
	}
	key, err := keyfile.Load(dir)
	if err != nil {
		d.fail(name, err.Error(), "restore the key from a backup, readable by Vigie's user only (chmod 600)")
		return
	}
	d.ok(name, "%s, fingerprint %s (the one to publish: vigie key)", path, keyfile.Fingerprint(key.Public().(ed25519.PublicKey)))
}
