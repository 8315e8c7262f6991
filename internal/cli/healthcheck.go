package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/internal/config"
)

func newHealthcheckCmd(env Env, g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "healthcheck",
		Short: "exit 0 if the local vigie serve answers /healthz (Docker HEALTHCHECK)",
		Long: `Exit 0 if the vigie serve of this machine answers /healthz on the port of
the configured listen address (listen, VIGIE_LISTEN, else :8080), 1 if
not: the Docker HEALTHCHECK, since distroless images have no curl.`,
		Example: `  vigie healthcheck
  vigie --config /etc/vigie/vigie.yaml healthcheck`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return runHealthcheck(c.Context(), env, g) },
	}
}

// runHealthcheck asks the local server's /healthz, on the port of the
// configured listen address: distroless images have no curl.
func runHealthcheck(ctx context.Context, env Env, g *Globals) error {
	// Only the listen address matters here: a configuration that does not
	// validate any more must not make a running server look unhealthy.
	listen := env.Getenv("VIGIE_LISTEN")
	if cfg, err := config.Load(g.Config, env.Getenv); err == nil {
		listen = cfg.Listen
	}
	if listen == "" {
		listen = ":8080"
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("listen %q: %w", listen, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: /healthz answered %s", resp.Status)
	}
	fmt.Fprintln(env.Stdout, "healthy")
	return nil
}
