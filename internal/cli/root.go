package cli

import (
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// This file builds the command tree on spf13/cobra, as mmctl, kubectl and
// gh do, so that vigie behaves as the tools an operator already knows:
// global flags before or after the command, --help on every command with
// examples, shell completion, and bad usage named with what is accepted.
// Each command's file has its constructor; the tree is built anew for each
// Run, so that tests run command lines side by side.

// newRoot returns the vigie command: with no subcommand, the console.
func newRoot(env Env, g *Globals) *cobra.Command {
	console := newConsoleOptions()
	root := &cobra.Command{
		Use:   "vigie",
		Short: "Vigie: the crisis cell's bot for a cyber incident in a health structure",
		Long: `Vigie keeps the crisis cell's main courante, runs the alert chain of the structure
(who to tell, by when) and nags until every step is done: in this terminal
(vigie console, the default), on Mattermost or on Slack (vigie serve).

With no command, vigie runs the terminal channel (console) on the embedded chains.`,
		Example: `  vigie                                   # the console, in French
  vigie --lang en console --flow nouvelle-aquitaine/es-esms
  vigie --config vigie.yaml doctor        # is everything in place?
  vigie --config vigie.yaml serve         # the bot on Mattermost or Slack
  vigie export 2026-0001 -o main-courante.pdf
  vigie completion bash > /etc/bash_completion.d/vigie`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			hint := ""
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				hint = " (did you mean " + strings.Join(s, " or ") + "?)"
			}
			names := commandNames(c)
			slices.Sort(names)
			return usagef("unknown command %q%s (accepted: %s; vigie --help says more)", args[0], hint, strings.Join(names, ", "))
		},
		RunE: func(c *cobra.Command, args []string) error {
			return runConsole(c.Context(), env, g, console)
		},
		SilenceErrors: true, // Run prints them, with the exit status of their kind
		SilenceUsage:  true,
		// "consle" suggests console, as a prefix does.
		SuggestionsMinimumDistance: 2,
	}
	consoleFlags(root, console)
	pf := root.PersistentFlags()
	pf.StringVar(&g.DB, "db", "", "bbolt database `FILE` (default: $VIGIE_DB, else vigie.db under the user's state directory)")
	pf.StringVar(&g.Config, "config", "", "YAML configuration `FILE` (default: $VIGIE_CONFIG)")
	pf.StringVar(&g.Lang, "lang", "", "language of the bot: `fr|en` (default fr)")
	_ = root.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions([]string{"fr", "en"}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("db", cobra.FixedCompletions([]string{"db"}, cobra.ShellCompDirectiveFilterFileExt))
	_ = root.RegisterFlagCompletionFunc("config", cobra.FixedCompletions([]string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt))
	root.PersistentPreRunE = func(c *cobra.Command, args []string) error {
		if g.Config == "" && env.Getenv != nil {
			// In a container the file is given by the environment, so that
			// every subcommand (serve, healthcheck, config check) finds it.
			g.Config = env.Getenv("VIGIE_CONFIG")
		}
		if g.Lang != "" && g.Lang != "fr" && g.Lang != "en" {
			return usagef("bad --lang %q (accepted: fr, en)", g.Lang)
		}
		return nil
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if err == pflag.ErrHelp {
			return err
		}
		return usagef("%v (usage: %s; flags: %s)", err, c.UseLine(), acceptedFlags(c))
	})
	root.SetHelpCommand(newHelpCmd())
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetIn(env.Stdin)
	root.AddCommand(
		newConsoleCmd(env, g, console),
		newServeCmd(env, g),
		newDoctorCmd(env, g),
		newConfigCmd(env, g),
		newMattermostCmd(env, g),
		newHealthcheckCmd(env, g),
		newFlowsCmd(env, g),
		newFicheCmd(env, g),
		newExportCmd(env, g),
		newVerifyCmd(env, g),
		newKeyCmd(env, g),
		newStatsCmd(env, g),
		newListeCmd(env, g),
		newChercheCmd(env, g),
		newBackupCmd(env, g),
		newCheckCmd(env, g),
	)
	// cobra's completion command prints its help and exits 0 when the
	// shell is missing or unknown (tcsh): a script relying on it would
	// install an empty completion file. It says what is accepted instead,
	// exit 2, as flows and config do.
	root.InitDefaultCompletionCmd()
	if comp := subcommand(root, "completion"); comp != nil {
		comp.Args = cobra.ArbitraryArgs
		comp.RunE = func(c *cobra.Command, args []string) error { return subcommandUsage(c, args) }
	}
	var plain func(c *cobra.Command)
	plain = func(c *cobra.Command) {
		c.DisableFlagsInUseLine = true // each usage line names its flags
		for _, sub := range c.Commands() {
			plain(sub)
		}
	}
	plain(root)
	return root
}

// Commands are listed in the order they are added: the most used first.
func init() { cobra.EnableCommandSorting = false }

// commandNames names the commands c accepts.
func commandNames(c *cobra.Command) []string {
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() || sub.Name() == "help" {
			names = append(names, sub.Name())
		}
	}
	return names
}

// acceptedFlags lists the flags c accepts, its own then the global ones,
// each with the kind of value it takes: "--flow ID, --nis2, --db FILE".
func acceptedFlags(c *cobra.Command) string {
	var own, global []string
	add := func(list *[]string) func(f *pflag.Flag) {
		return func(f *pflag.Flag) {
			if f.Hidden || f.Name == "help" {
				return
			}
			s := "--" + f.Name
			if f.Shorthand != "" {
				s = "-" + f.Shorthand + "/" + s
			}
			if v, _ := pflag.UnquoteUsage(f); v != "" {
				s += " " + v
			}
			*list = append(*list, s)
		}
	}
	c.LocalNonPersistentFlags().VisitAll(add(&own))
	c.InheritedFlags().VisitAll(add(&global))
	if c.Root() == c {
		c.PersistentFlags().VisitAll(add(&global))
	}
	all := append(own, global...)
	return strings.Join(append(all, "-h/--help"), ", ")
}

// singleDashFlag is a long flag written with one dash (-db FILE), as the
// flag package the command line used before cobra accepted.
var singleDashFlag = regexp.MustCompile(`^-([a-z][a-z0-9-]+)(=.*)?$`)

// doubleDash rewrites -name to --name for every long flag name known in
// the tree, up to "--": command lines and scripts written for the flag
// package keep working, where pflag would read -db as -d -b.
func doubleDash(root *cobra.Command, args []string) []string {
	known := map[string]bool{"help": true}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	out := make([]string, len(args))
	for i, a := range args {
		if a == "--" {
			copy(out[i:], args[i:])
			break
		}
		if m := singleDashFlag.FindStringSubmatch(a); m != nil && known[m[1]] {
			a = "-" + a
		}
		out[i] = a
	}
	return out
}

// newHelpCmd is `vigie help [COMMAND…]` (or `vigie aide`): cobra's own
// prints the root's usage and exits 0 for a command it does not know.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "help [COMMAND…]",
		Aliases: []string{"aide"},
		Short:   "help about any command",
		Example: "  vigie help\n  vigie help flows eval",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd := c.Root()
			for _, a := range args {
				next := subcommand(cmd, a)
				if next == nil {
					names := commandNames(cmd)
					slices.Sort(names)
					return usagef("unknown command %q (accepted: %s)", a, strings.Join(names, ", "))
				}
				cmd = next
			}
			return cmd.Help()
		},
	}
}

// subcommand is c's subcommand called name or one of its aliases.
func subcommand(c *cobra.Command, name string) *cobra.Command {
	for _, sub := range c.Commands() {
		if sub.Name() == name || sub.HasAlias(name) {
			return sub
		}
	}
	return nil
}

// subcommandUsage is what a command made only of subcommands (flows,
// config, mattermost) says when none or an unknown one is given; help and
// aide show its help.
func subcommandUsage(c *cobra.Command, args []string) error {
	if len(args) > 0 && (args[0] == "help" || args[0] == "aide") {
		return c.Help()
	}
	names := commandNames(c)
	if len(args) == 0 {
		return usagef("missing subcommand (usage: %s; accepted: %s)", c.CommandPath()+" "+strings.Join(names, "|"), strings.Join(names, ", "))
	}
	return usagef("unknown subcommand %q (usage: %s; accepted: %s)", args[0], c.CommandPath()+" "+strings.Join(names, "|"), strings.Join(names, ", "))
}

// noArgs refuses positional arguments, naming the usage.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q (usage: %s; flags: %s)", args[0], c.UseLine(), acceptedFlags(c))
	}
	return nil
}

// chainIDs completes a chain id: the embedded chains.
func chainIDs(toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	cat, err := flowsCatalog()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var ids []cobra.Completion
	for _, id := range cat.IDs() {
		if strings.HasPrefix(id, toComplete) {
			ids = append(ids, id)
		}
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// completeChainFlag completes a --flow flag with the chain ids.
func completeChainFlag(c *cobra.Command, name string) {
	_ = c.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return chainIDs(toComplete)
	})
}

// completeFixed completes flag name with the accepted values.
func completeFixed(c *cobra.Command, name string, values ...string) {
	_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}
