package cli

import (
	"context"
	"fmt"
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
  --trigger      the slash command without its slash (default incident, or VIGIE_TRIGGER)`

func newMattermostCmd(env Env, g *Globals) *cobra.Command {
	c := &cobra.Command{
		Use:               "mattermost setup",
		Short:             "mattermost setup: create or update the slash command, print the configuration to paste",
		Example:           "  VIGIE_MATTERMOST_ADMIN_TOKEN=… vigie mattermost setup --url https://chat.example.fr --team crise --public-url https://vigie.example.fr",
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(c *cobra.Command, args []string) error { return subcommandUsage(c, args) },
	}
	var opt mattermost.SetupOptions
	setup := &cobra.Command{
		Use:   "setup --url URL --team NAME --public-url URL [--admin-token TOKEN] [--trigger incident]",
		Short: "create or update the slash command on a team, print the configuration to paste",
		Long: `Create the slash command on the team (or update it: its token is kept),
calling Vigie at --public-url, and print the configuration to paste. It
needs a system admin's token, best given as VIGIE_MATTERMOST_ADMIN_TOKEN.`,
		Example: `  export VIGIE_MATTERMOST_ADMIN_TOKEN=…   # a system admin's token
  vigie mattermost setup --url https://chat.example.fr --team crise --public-url https://vigie.example.fr
  vigie mattermost setup --url https://chat.example.fr --team crise --public-url http://10.0.0.5:8080 --trigger crise`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return runMattermostSetup(c.Context(), env, opt) },
	}
	f := setup.Flags()
	f.StringVar(&opt.URL, "url", env.getenv("VIGIE_MATTERMOST_URL"), "the Mattermost site `URL` (default: $VIGIE_MATTERMOST_URL)")
	f.StringVar(&opt.Team, "team", "", "the team's `NAME` or id where the slash command is created")
	f.StringVar(&opt.PublicURL, "public-url", env.getenv("VIGIE_PUBLIC_URL"), "how Mattermost reaches Vigie, a `URL` (default: $VIGIE_PUBLIC_URL)")
	f.StringVar(&opt.AdminToken, "admin-token", env.getenv("VIGIE_MATTERMOST_ADMIN_TOKEN"), "a system admin's `TOKEN` (default: $VIGIE_MATTERMOST_ADMIN_TOKEN; better: not on the command line)")
	f.StringVar(&opt.Trigger, "trigger", env.getenv("VIGIE_TRIGGER"), "the slash command without its slash, a `WORD` (default: incident, or $VIGIE_TRIGGER)")
	c.AddCommand(setup)
	return c
}

func runMattermostSetup(ctx context.Context, env Env, opt mattermost.SetupOptions) error {
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
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := mattermost.Setup(ctx, opt)
	if err != nil {
		return err
	}
	fmt.Fprint(env.Stdout, setupYAML(opt, res))
	return nil
}

// setupYAML is the configuration to paste, with the command's token. The
// bot token is left empty on purpose: vigie serve names it until it is set.
func setupYAML(opt mattermost.SetupOptions, res *mattermost.SetupResult) string {
	verb := "updated"
	if res.Created {
		verb = "created"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# /%s %s on team %s (%s), calling %s\n", res.Command.Trigger, verb, res.Team.Name, res.Team.DisplayName, res.Command.URL)
	b.WriteString("# Paste into the configuration file (vigie --config vigie.yaml serve):\n")
	fmt.Fprintf(&b, "public_url: %s\n", strconv.Quote(strings.TrimRight(opt.PublicURL, "/")))
	b.WriteString("listen: \":8080\"\n")
	if res.Command.Trigger != "incident" {
		fmt.Fprintf(&b, "trigger: %s\n", strconv.Quote("/"+res.Command.Trigger))
	}
	b.WriteString("mattermost:\n")
	fmt.Fprintf(&b, "  url: %s\n", strconv.Quote(strings.TrimRight(opt.URL, "/")))
	b.WriteString("  bot_token: \"\"   # the bot account's access token (System Console → Bot accounts), or bot_token_file\n")
	b.WriteString("  command_tokens:\n")
	fmt.Fprintf(&b, "    - %s\n", strconv.Quote(res.Command.Token))
	b.WriteString("  # action_secret: empty = a random key kept in the data directory\n")
	return b.String()
}
