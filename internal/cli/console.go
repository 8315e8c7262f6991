package cli

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/adapters/console"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/hotcopy"
	"github.com/vigie-sante/vigie/internal/keyfile"
	"github.com/vigie-sante/vigie/internal/remind"
)

// consoleOptions are the console's own flags; vigie with no command runs
// the console with their defaults.
type consoleOptions struct {
	chain, user, sweep string
	nis2               bool
}

func newConsoleOptions() *consoleOptions { return &consoleOptions{sweep: "30s"} }

func newConsoleCmd(env Env, g *Globals, o *consoleOptions) *cobra.Command {
	c := &cobra.Command{
		Use:   "console [--flow ID] [--user NAME] [--nis2] [--sweep DURATION]",
		Short: "the crisis conversation in this terminal (the default)",
		Long: `The crisis conversation in this terminal: open an incident, answer the
questions of the alert chain, mark its steps done, export the main courante.
Reminders are printed between commands as they fall due. The database and
the signing key are kept in the data directory (--db).`,
		Example: `  vigie console
  vigie console --flow nouvelle-aquitaine/es-esms --user "Dr Martin"
  vigie console --db /srv/vigie/vigie.db --lang en --sweep 1m`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return runConsole(c.Context(), env, g, o) },
	}
	consoleFlags(c, o)
	return c
}

// consoleFlags are the console's flags, on `vigie console` and on `vigie`
// alone, which runs the console too: `vigie --flow ID` works as
// `vigie console --flow ID` does.
func consoleFlags(c *cobra.Command, o *consoleOptions) {
	f := c.Flags()
	f.StringVar(&o.chain, "flow", "", "the alert chain of your structure, `ID` such as nouvelle-aquitaine/es-esms (default: organisation.chain, else asked on the card)")
	f.StringVar(&o.user, "user", "", "your `NAME` in the main courante (default: $VIGIE_USER, else $USER)")
	f.BoolVar(&o.nis2, "nis2", false, "switch on the NIS2 clocks (not in force in France yet)")
	f.StringVar(&o.sweep, "sweep", o.sweep, "how often reminders are checked, a `DURATION` such as 30s or 1m; 0 turns them off")
	completeChainFlag(c, "flow")
	completeFixed(c, "sweep", "0", "30s", "1m", "5m")
}

func runConsole(ctx context.Context, env Env, g *Globals, o *consoleOptions) error {
	chain, user, sweep, nis2 := &o.chain, &o.user, &o.sweep, &o.nis2
	interval, err := time.ParseDuration(*sweep)
	if err != nil || (interval != 0 && interval < time.Second) {
		return usagef("bad --sweep %q (accepted: 0 to turn reminders off, or a duration of 1s or more such as 30s, 1m)", *sweep)
	}
	cat, err := builtin.Catalog()
	if err != nil {
		return fmt.Errorf("embedded chains: %w", err)
	}
	if *chain != "" {
		if _, err := cat.Current(*chain, now()); err != nil {
			return usagef("--flow: %v", err)
		}
	}
	name := *user
	for _, v := range []string{"VIGIE_USER", "USER"} {
		if name == "" {
			name = env.Getenv(v)
		}
	}
	if name == "" {
		name = "console"
	}
	features := map[string]bool{}
	if *nis2 {
		features["nis2"] = true
	}
	cfg, err := localConfig(env, g) // the organisation, reminders and escalation (org.go)
	if err != nil {
		return err
	}
	set, err := checkSettings(cfg, cat) // the same checks as serve and config check (settings.go)
	if err != nil {
		return err
	}
	settleLang(g, cfg) // --lang, else the configuration's lang:, as serve
	org, ipp := orgOf(cfg)
	rc := set.remind
	if *chain == "" {
		*chain = cfg.Organisation.Chain
	}
	app, err := openApp(env, g)
	if err != nil {
		return err
	}
	defer app.Close()
	con := console.New(console.Options{
		In: env.Stdin, Out: env.Stdout, TTY: env.StdinIsTTY && env.StdoutIsTTY,
		Dir: filepath.Join(app.dir, "exports"), User: incident.User{ID: name, Name: name},
		Lang: g.lang(), History: filepath.Join(app.dir, "console-history"),
	})
	for _, f := range cfg.Features {
		features[f] = true
	}
	b := bot.New(bot.Config{Bare: true, Lang: g.lang(), Chain: *chain, Features: features, Now: now, Organisation: org, IPP: ipp,
		Remind: rc, EscalateTo: cfg.EscalateTo, Roles: rolesOf(cfg), Declarations: declarationsOf(cfg)}, app.store, con, set.cat, app.key, app.log)
	if err := app.audit(ctx, b); err != nil {
		return err
	}
	// Cards owed when the last Vigie stopped (a crash between an action and
	// its card) are shown now.
	if err := b.Flush(ctx); err != nil {
		app.log.Warn("cards owed at start", "err", err)
	}
	if err := app.scheduleBackups(cfg.Backups); err != nil {
		return fmt.Errorf("backups.dir: %w", err)
	}
	if interval > 0 {
		// Nags are printed as they fall due, between commands.
		sched, err := remind.New(b, remind.Options{Interval: interval, Log: app.log, Now: now})
		if err != nil {
			return err
		}
		if err := sched.Start(ctx); err != nil {
			return err
		}
		defer sched.Stop()
	}
	return con.Run(ctx, b)
}

// hotBackups says console and serve answer vigie backup on their socket.
// Only tests in a synctest bubble turn it off: a goroutine waiting on a
// socket never lets the bubble's clock move.
var hotBackups = true

// app is what a command that runs the bot opens: the store, the signing key
// and a logger.
type app struct {
	store *boltstore.Store
	key   ed25519.PrivateKey
	dir   string
	log   *slog.Logger

	hot       *hotcopy.Server    // answers vigie backup; nil if it could not listen
	bg        context.Context    // the background work's, cancelled by Close
	stopAudit context.CancelFunc // stops the background work (audit, backups)
	audits    sync.WaitGroup     // the background work, waited for by Close
}

func openApp(env Env, g *Globals) (*app, error) {
	db, dir, err := g.dbPath(env)
	if err != nil {
		return nil, err
	}
	// The store first: a damaged database is refused before anything,
	// a signing key included, is created beside it.
	st, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		return nil, err
	}
	key, err := keyfile.Load(dir)
	if err != nil {
		st.Close()
		return nil, err
	}
	// The terminal is for people: operators' logs go to stderr, warnings
	// and above only.
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a := &app{store: st, key: key, dir: dir, log: log}
	a.bg, a.stopAudit = context.WithCancel(context.Background())
	// vigie backup asks this process for its copies while it runs.
	if hotBackups {
		if a.hot, err = hotcopy.Listen(dir, st.Backup, log); err != nil {
			log.Warn("vigie backup cannot copy this database while it runs", "err", err)
		}
	}
	return a, nil
}

func (a *app) Close() error {
	if a.stopAudit != nil {
		a.stopAudit()
	}
	a.audits.Wait()
	if a.hot != nil {
		_ = a.hot.Close() // waits for a copy under way
	}
	return a.store.Close()
}

// audit verifies, in the background, the stored main courante of every
// open incident, then of the closed ones; b raises the alarm for each one
// broken, which refuses new entries. An incident written to before the
// audit reaches it is verified by the store at its first append.
func (a *app) audit(ctx context.Context, b *bot.Bot) error {
	alarm := func(be *incident.BrokenError) { b.Alarm(a.bg, be) }
	isOpen := func(inc *incident.Incident) bool { return inc.Status == incident.StatusOpen }
	isClosed := func(inc *incident.Incident) bool { return !isOpen(inc) }
	a.audits.Go(func() {
		for _, keep := range []func(*incident.Incident) bool{isOpen, isClosed} {
			if _, err := a.store.Audit(a.bg, keep, alarm); err != nil {
				if a.bg.Err() == nil {
					a.log.Error("verify the main courantes", "err", err)
				}
				return
			}
		}
	})
	return nil
}

// lang is the --lang flag as a flows.Lang, French by default.
func (g *Globals) lang() flows.Lang {
	if g.Lang == "en" {
		return flows.EN
	}
	return flows.FR
}
