package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/config"
	"github.com/vigie-sante/vigie/internal/gctune"
	"github.com/vigie-sante/vigie/internal/metrics"
	"github.com/vigie-sante/vigie/internal/remind"
)

func newServeCmd(env Env, g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "the bot on Mattermost or Slack, with its HTTP endpoints",
		Long: `The bot on Mattermost or Slack: the platform's endpoints, /healthz,
/readyz and /metrics on the listen address, reminders and backups.
Settings come from the configuration file (--config, VIGIE_CONFIG) and the
VIGIE_* variables; vigie doctor checks them first.`,
		Example: `  vigie --config vigie.yaml serve
  VIGIE_CONFIG=/etc/vigie/vigie.yaml vigie serve`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return runServe(c.Context(), env, g) },
	}
}

func newConfigCmd(env Env, g *Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "config check",
		Short: "config check: validate and print the effective configuration, secrets masked",
		Example: `  vigie --config vigie.yaml config check
  VIGIE_CONFIG=/etc/vigie/vigie.yaml vigie config check`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(c *cobra.Command, args []string) error { return subcommandUsage(c, args) },
	}
	c.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "validate the configuration and print it with the defaults filled in, secrets masked",
		Long: `Validate the configuration file (--config, VIGIE_CONFIG) with the VIGIE_*
variables, as serve and console will, and print the effective
configuration: every default filled in, secrets masked. With neither a
file nor a VIGIE_* setting (VIGIE_DB aside) there is nothing to check:
it prints the defaults, a file to start from, and exits 1.`,
		Example: `  vigie --config vigie.yaml config check
  vigie config check --config vigie.yaml`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return runConfig(env, g) },
	})
	return c
}

// Platform is a chat platform adapter as serve uses it: a bot.Chat that
// mounts its HTTP endpoints and may run background loops (a WebSocket, a
// Socket Mode connection).
type Platform interface {
	bot.Chat
	// Check verifies the credentials at start (GetMe, auth.test), so that a
	// bad token is reported as such before anyone needs the bot.
	Check(ctx context.Context) error
	// Mount registers the platform's endpoints on mux; they hand events to h.
	Mount(mux *http.ServeMux, h Handler)
	// Paths are the paths Mount serves, timed by endpoint in the metrics.
	Paths() []string
	// Run runs the platform's background loops until ctx ends.
	Run(ctx context.Context, h Handler) error
}

// Handler is what a platform hands events to: the bot.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) bot.Reply
	LogPin(ctx context.Context, p bot.Pin) (bool, error)
}

// platforms builds the adapter of a configuration; each adapter's file
// registers itself here, so that serve names none of them.
var platforms = map[string]func(cfg *config.Config, dir string, log *slog.Logger, answered Answered) (Platform, error){}

// Answered hears each answer an adapter shows a person, by kind, with the
// time from their request (metrics.Answered for the adapter's platform).
type Answered func(kind string, d time.Duration)

func runConfig(env Env, g *Globals) error {
	var taken []string // the VIGIE_* variables that set something
	getenv := func(k string) string {
		v := env.getenv(k)
		if v != "" && strings.HasPrefix(k, "VIGIE_") && !slices.Contains(taken, k) {
			taken = append(taken, k)
		}
		return v
	}
	cfg, err := config.Load(g.Config, getenv)
	if err != nil {
		return err
	}
	cat, err := builtin.Catalog()
	if err != nil {
		return err
	}
	if _, err := checkSettings(cfg, cat); err != nil {
		return err
	}
	if cfg.DB != "" && g.DB == "" {
		g.DB = cfg.DB
	}
	settleLang(g, cfg)
	db, _, err := g.dbPath(Env{Getenv: getenv})
	if err != nil {
		return err
	}
	slices.Sort(taken)
	// Without a file, the VIGIE_* variables may be the whole configuration
	// (a container configured by its environment): they are checked. With
	// none of them either, but VIGIE_DB that the image sets, there was
	// nothing to check: exit 1, so that a script does not take the
	// defaults for a checked configuration.
	nothing := g.Config == "" && !slices.ContainsFunc(taken, func(k string) bool { return k != "VIGIE_DB" })
	if g.Config == "" {
		// Said on stderr too, so that `config check > vigie.yaml` still
		// tells the person; on stdout as comments, so that it stays YAML.
		const none = "No configuration file found: --config was not given and VIGIE_CONFIG is not set (Vigie looks nowhere else)."
		if !nothing {
			fmt.Fprintf(env.Stderr, "vigie config check: %s Below: the defaults, with the VIGIE_* variables.\n", none)
		}
		fmt.Fprintf(env.Stdout, "# %s\n# These are the defaults, with the VIGIE_* variables of the environment: a file to start from.\n", none)
	}
	if len(taken) > 0 {
		fmt.Fprintf(env.Stdout, "# Taken from the environment: %s\n", strings.Join(taken, ", "))
	}
	fmt.Fprint(env.Stdout, withDefaults(cfg, db).Masked())
	if nothing {
		return errors.New("no configuration to check: give a file with --config FILE or VIGIE_CONFIG=FILE, or VIGIE_* variables (Vigie looks nowhere else); the defaults are on stdout, a file to start from")
	}
	return nil
}

func runServe(ctx context.Context, env Env, g *Globals) error {
	cfg, err := config.Load(g.Config, env.Getenv)
	if err != nil {
		return err
	}
	cat, err := builtin.Catalog()
	if err != nil {
		return err
	}
	// The same checks as console and config check (settings.go), before
	// anything is opened or contacted.
	set, err := checkSettings(cfg, cat)
	if err != nil {
		return err
	}
	name := ""
	switch {
	case cfg.Mattermost != nil:
		name = "mattermost"
	case cfg.Slack != nil:
		name = "slack"
	default:
		return usagef("no platform configured: add a mattermost or slack section to --config, or VIGIE_MATTERMOST_URL… (for the terminal: vigie console)")
	}
	build, ok := platforms[name]
	if !ok {
		return fmt.Errorf("this build has no %s adapter", name)
	}
	if cfg.DB != "" && g.DB == "" {
		g.DB = cfg.DB
	}
	settleLang(g, cfg)
	a, err := openApp(env, g)
	if err != nil {
		return err
	}
	defer a.Close()
	log := serveLogger(env)
	a.log = log
	chainOf := func(inc *incident.Incident) *flows.Chain {
		c, err := set.cat.Version(inc.Chain, inc.Version)
		if err != nil {
			return nil
		}
		return c
	}
	m := metrics.New(a.store, chainOf, now, log)

	// Listen first: /healthz answers at once, however long the platform
	// check, the audit of the main courantes and the late reminders take;
	// the platform's endpoints and /readyz say 503 until the bot is wired.
	listen := cfg.Listen
	if listen == "" {
		listen = ":8080"
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var platformHandler atomic.Pointer[http.Handler]
	mux := http.NewServeMux()
	mux.Handle("/", m.Acks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := platformHandler.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		w.Header().Set("Retry-After", "1")
		http.Error(w, "vigie is starting", http.StatusServiceUnavailable)
	})))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	var ready atomic.Pointer[Platform] // set once the bot is wired to its platform
	mux.Handle("GET /readyz", readiness(&ready, a.store, log))
	mux.Handle("GET /metrics", m.Handler())
	srv := newHTTPServer(mux)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// Stop accepting and finish in-flight requests: first thing on the
	// way out (called below), and on any early return.
	var stopHTTP sync.Once
	shutdownHTTP := func() {
		stopHTTP.Do(func() {
			shutdown, cancel := context.WithTimeout(context.Background(), 8*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdown); err != nil {
				log.Warn("shutdown", "err", err)
			}
		})
	}
	defer shutdownHTTP()
	log.Info("vigie listening", "listen", ln.Addr().String())
	// The collector gets room under load, and gives it back when quiet.
	gcCtx, stopGC := context.WithCancel(ctx)
	gcDone := make(chan struct{})
	go func() { defer close(gcDone); gctune.Run(gcCtx, log) }()
	defer func() { stopGC(); <-gcDone }()

	p, err := build(cfg, a.dir, log, func(kind string, d time.Duration) { m.Answered(name, kind, d) })
	if err != nil {
		return err
	}
	m.Endpoints(p.Paths()...) // listed at zero from now on
	checkCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err = p.Check(checkCtx)
	cancel()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	features := map[string]bool{}
	for _, f := range cfg.Features {
		features[f] = true
	}
	org, ipp := orgOf(cfg) // for drafts and the identifier guard (org.go)
	rc := set.remind
	b := bot.New(bot.Config{Lang: g.lang(), Trigger: cfg.Trigger, Chain: cfg.Organisation.Chain, Features: features, Remind: rc,
		Now: now, EscalateTo: cfg.EscalateTo, Roles: rolesOf(cfg), Declarations: declarationsOf(cfg), Observer: m, Organisation: org, IPP: ipp}, a.store, p, set.cat, a.key, log)
	if err := a.audit(ctx, b); err != nil {
		return err
	}
	// Cards owed are delivered in the background, those owed at start
	// first; stopped before the store closes (defers are LIFO).
	outCtx, stopOutbox := context.WithCancel(context.WithoutCancel(ctx))
	outDone := make(chan struct{})
	go func() { defer close(outDone); b.RunOutbox(outCtx) }()
	defer func() { stopOutbox(); <-outDone }()
	if err := a.scheduleBackups(cfg.Backups); err != nil {
		return fmt.Errorf("backups.dir: %w", err)
	}
	platformMux := http.NewServeMux()
	p.Mount(platformMux, b)
	var ph http.Handler = platformMux
	platformHandler.Store(&ph)
	// The start sweep (what fell due while Vigie was down) runs in the
	// background: requests are answered meanwhile.
	sched, err := remind.New(b, remind.Options{Interval: time.Duration(cfg.Sweep), Log: log, Now: now})
	if err != nil {
		return err
	}
	if err := sched.Start(ctx); err != nil {
		return err
	}
	defer sched.Stop()
	runCtx, stopRun := context.WithCancel(ctx)
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		if err := p.Run(runCtx, b); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("platform loop", "platform", name, "err", err)
		}
	}()
	// Runs before the scheduler stops and the store closes (defers are
	// LIFO): the platform loop may still be flushing edits or logging a pin.
	defer func() { stopRun(); <-runDone }()
	ready.Store(&p)
	log.Info("vigie serving", "platform", name, "listen", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	// Stop accepting, finish the requests in flight; then the deferred
	// stops end the platform loop, the scheduler (waiting for a running
	// sweep) and the outbox, and close the store.
	shutdownHTTP()
	log.Info("vigie stopped")
	return nil
}

// serveLogger logs JSON for machines, text on a terminal.
func serveLogger(env Env) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if env.StdoutIsTTY {
		return slog.New(slog.NewTextHandler(env.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(env.Stderr, opts))
}

// readiness answers /readyz: 503 while Vigie starts, then whether the
// store answers and the platform accepts our credentials. The platform
// check is cached for a while, so that a prober does not hammer the chat
// server.
func readiness(ready *atomic.Pointer[Platform], st bot.Store, log *slog.Logger) http.Handler {
	var (
		mu      sync.Mutex
		checked time.Time
		lastErr error
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pp := ready.Load()
		if pp == nil {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		p := *pp
		if _, err := st.Open(r.Context(), ""); err != nil {
			http.Error(w, "store: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		if time.Since(checked) > 30*time.Second {
			// Not the prober's context: a probe that gives up must not make
			// the platform look unreachable for the next 30 s.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
			lastErr = p.Check(ctx)
			cancel()
			checked = time.Now()
			if lastErr != nil {
				log.Warn("readyz: platform", "err", lastErr)
			}
		}
		err := lastErr
		mu.Unlock()
		if err != nil {
			http.Error(w, "platform unreachable", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
}

// Reading a request is bounded: its headers within readHeaderTimeout,
// the whole of it within readTimeout. The platforms send a few kilobytes
// at once; a client that announces a body and sends nothing would hold
// its connection, and the buffer made for it, for ever.
var (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
)

// newHTTPServer is serve's server for mux.
func newHTTPServer(mux http.Handler) *http.Server {
	return &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout, IdleTimeout: 2 * time.Minute}
}
