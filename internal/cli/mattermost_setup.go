package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/adapters/mattermost"
)

func init() {
	commands["mattermost"] = command{summary: "mattermost setup: create or update the slash command, print the configuration to paste", run: runMattermost}
}

const mattermostUsage = `usage: vigie mattermost setup --url URL --team NAME --public-url URL [--admin-token TOKEN] [--trigger incident]
  --url          the Mattermost site URL (or VIGIE_MATTERMOST_URL)
  --team         the team's name or id where /incident is created
  --public-url   how Mattermost reaches Vigie (or VIGIE_PUBLIC_URL)
  --admin-token  a system admin's token (or VIGIE_MATTERMOST_ADMIN_TOKEN; better: not on the command line)
  --trigger      the slash command without its slash (default incident, or VIGIE_TRIGGER)`

func runMattermost(ctx context.Context, env Env, g *Globals, args []string) error {
	if len(args) == 0 || args[0] != "setup" {
		return usagef("%s", mattermostUsage)
	}
	fs := flag.NewFlagSet("mattermost setup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opt := mattermost.SetupOptions{Lang: g.lang()}
	fs.StringVar(&opt.URL, "url", env.Getenv("VIGIE_MATTERMOST_URL"), "")
	fs.StringVar(&opt.Team, "team", "", "")
	fs.StringVar(&opt.PublicURL, "public-url", env.Getenv("VIGIE_PUBLIC_URL"), "")
	fs.StringVar(&opt.AdminToken, "admin-token", env.Getenv("VIGIE_MATTERMOST_ADMIN_TOKEN"), "")
	fs.StringVar(&opt.Trigger, "trigger", env.Getenv("VIGIE_TRIGGER"), "")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return usagef("%s", mattermostUsage)
	}
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
