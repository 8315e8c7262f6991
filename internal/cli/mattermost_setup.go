package cli

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/adapters/mattermost"
)

// mattermostUsage is said with every mistake in vigie mattermost setup's
// flags: each has an environment variable too.
const mattermostUsage = `usage: vigie mattermost setup --url URL --team NAME --public-url URL [--admin-token TOKEN] [--trigger incident]
  --url          the Mattermost site URL (or VIGIE_MATTERMOST_URL)
  --team         the team's name or id where /incident is created
  --public-url   how Mattermost reaches Vigie (or VIGIE_PUBLIC_URL)
  --admin-token  a system admin's token (or VIGIE_MATTERMOST_ADMIN_TOKEN; better: not on the command line)
  --trigger      the slash command without its slash (default incident, or VIGIE_TRIGGER)
  --listen       the address vigie serve listens on (default: the port of an http --public-url, else :8080)`

func newMattermostCmd(env Env, g *Globals) *cobra.Command {
	c := &cobra.Command{
		Use:               "mattermost setup",
		Short:             "mattermost setup: create or update the slash command, print the configuration to paste",
		Example:           "  VIGIE_MATTERMOST_ADMIN_TOKEN=… vigie mattermost setup --url https://chat.example.fr --team crise --public-url https://vigie.example.fr",
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(c *cobra.Command, args []string) error { return subcommandUsage(c, args) },
	}
	var opt mattermost.SetupOptions
	var listen string
	setup := &cobra.Command{
		Use:   "setup --url URL --team NAME --public-url URL [--admin-token TOKEN] [--trigger incident] [--listen ADDR]",
		Short: "create or update the slash command on a team, print the configuration to paste",
		Long: `Create the slash command on the team (or update it: its token is kept),
calling Vigie at --public-url, and print the configuration to paste. It
needs a system admin's token, best given as VIGIE_MATTERMOST_ADMIN_TOKEN.
The bot account needs the create_post_ephemeral permission (the system
admins' by default): without it, the confirmations after a form vanish.`,
		Example: `  export VIGIE_MATTERMOST_ADMIN_TOKEN=…   # a system admin's token
  vigie mattermost setup --url https://chat.example.fr --team crise --public-url https://vigie.example.fr
  vigie mattermost setup --url https://chat.example.fr --team crise --public-url http://10.0.0.5:8080 --trigger crise`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opt.Lang = g.lang() // the global flags are parsed by now
			return runMattermostSetup(c.Context(), env, opt, listen)
		},
	}
	f := setup.Flags()
	f.StringVar(&opt.URL, "url", env.getenv("VIGIE_MATTERMOST_URL"), "the Mattermost site `URL` (default: $VIGIE_MATTERMOST_URL)")
	f.StringVar(&opt.Team, "team", "", "the team's `NAME` or id where the slash command is created")
	f.StringVar(&opt.PublicURL, "public-url", env.getenv("VIGIE_PUBLIC_URL"), "how Mattermost reaches Vigie, a `URL` (default: $VIGIE_PUBLIC_URL)")
	f.StringVar(&opt.AdminToken, "admin-token", env.getenv("VIGIE_MATTERMOST_ADMIN_TOKEN"), "a system admin's `TOKEN` (default: $VIGIE_MATTERMOST_ADMIN_TOKEN; better: not on the command line)")
	f.StringVar(&opt.Trigger, "trigger", env.getenv("VIGIE_TRIGGER"), "the slash command without its slash, a `WORD` (default: incident, or $VIGIE_TRIGGER)")
	f.StringVar(&listen, "listen", "", "the `ADDR` vigie serve listens on, such as :8080 (default: the port of an http --public-url, else :8080)")
	c.AddCommand(setup)
	return c
}

func runMattermostSetup(ctx context.Context, env Env, opt mattermost.SetupOptions, listenFlag string) error {
	switch {
	case opt.URL == "":
		return usagef("missing --url (the Mattermost site URL, e.g. https://chat.example.fr)\n%s", mattermostUsage)
	case opt.Team == "":
		return usagef("missing --team (the team's name, as in its URL)\n%s", mattermostUsage)
	case opt.PublicURL == "":
		return usagef("missing --public-url (how Mattermost reaches Vigie, e.g. https://vigie.example.fr)\n%s", mattermostUsage)
	case opt.AdminToken == "":
		return usagef("missing the admin token: set VIGIE_MATTERMOST_ADMIN_TOKEN (or --admin-token)\n%s", mattermostUsage)
	}
	listen, note, err := setupListen(opt.PublicURL, listenFlag)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := mattermost.Setup(ctx, opt)
	if err != nil {
		return err
	}
	fmt.Fprint(env.Stdout, setupYAML(opt, res, listen, note))
	return nil
}

// setupListen is the listen address to print, and why when it is not
// given: vigie serve speaks plain HTTP, so an http public URL that names
// its port is where Mattermost calls Vigie directly; any other public URL
// is reached through a TLS proxy or a port mapping, which forward to
// :8080.
func setupListen(publicURL, flag string) (listen, note string, err error) {
	if flag != "" {
		if _, port, err := net.SplitHostPort(flag); err != nil || port == "" {
			return "", "", usagef("bad --listen %q (accepted: an address to listen on such as :8080 or 127.0.0.1:8080)", flag)
		}
		return flag, "", nil
	}
	u, err := url.Parse(publicURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", "", usagef("bad --public-url %q (accepted: the http or https URL Mattermost calls Vigie at, such as https://vigie.example.fr)", publicURL)
	}
	switch {
	case u.Scheme == "http" && u.Port() != "":
		return ":" + u.Port(), "the port of public_url: Mattermost calls Vigie there directly", nil
	case u.Scheme == "https":
		return ":8080", "public_url is https: a reverse proxy ends TLS and forwards to this port (or give --listen)", nil
	}
	return ":8080", "public_url names no port (80): a reverse proxy or a port mapping forwards to this one (or give --listen)", nil
}

// setupYAML is the configuration to paste, with the command's token. The
// bot token is left empty on purpose: vigie serve names it until it is set.
func setupYAML(opt mattermost.SetupOptions, res *mattermost.SetupResult, listen, note string) string {
	verb := "updated"
	if res.Created {
		verb = "created"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# /%s %s on team %s (%s), calling %s\n", res.Command.Trigger, verb, res.Team.Name, res.Team.DisplayName, res.Command.URL)
	b.WriteString("# Paste into the configuration file (vigie --config vigie.yaml serve):\n")
	fmt.Fprintf(&b, "public_url: %s\n", strconv.Quote(strings.TrimRight(opt.PublicURL, "/")))
	fmt.Fprintf(&b, "listen: %s", strconv.Quote(listen))
	if note != "" {
		fmt.Fprintf(&b, "   # %s", note)
	}
	b.WriteString("\n")
	if res.Command.Trigger != "incident" {
		fmt.Fprintf(&b, "trigger: %s\n", strconv.Quote("/"+res.Command.Trigger))
	}
	b.WriteString("mattermost:\n")
	fmt.Fprintf(&b, "  url: %s\n", strconv.Quote(strings.TrimRight(opt.URL, "/")))
	b.WriteString("  bot_token: \"\"   # the bot account's access token (System Console → Bot accounts), or bot_token_file\n")
	b.WriteString("  command_tokens:\n")
	fmt.Fprintf(&b, "    - %s\n", strconv.Quote(res.Command.Token))
	b.WriteString("  # action_secret: empty = a random key kept in the data directory\n")
	b.WriteString("# The bot account needs the create_post_ephemeral permission, which Mattermost gives\n")
	b.WriteString("# system admins (bot role System Admin, System Console → Bot Accounts): without it,\n")
	b.WriteString("# the confirmations Vigie shows after a form vanish. vigie doctor checks it.\n")
	return b.String()
}
