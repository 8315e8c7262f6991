package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// This file holds `vigie flows`: the dispatch of its subcommands, their
// common argument handling, and the short ones (list, graph, validate).
// show is in flows_show.go, eval in flows_eval.go, the wording shared by
// both in flows_text.go.

func init() {
	commands["flows"] = command{
		summary: "list, show, evaluate, validate or draw the alert chains",
		run:     runFlows,
	}
}

// now is the clock of the flows commands: the version in force and the
// default T0 are read from it. Tests replace it.
var now = time.Now

// embeddedPrefix is prepended to the names of embedded files in messages, so
// that they read as paths in the repository.
const embeddedPrefix = "flows/builtin/"

// flowsCommand is one subcommand of `vigie flows`. It writes its output to w,
// a buffer that reaches stdout only when run returns nil, so that bad usage
// prints nothing on stdout.
type flowsCommand struct {
	usage string
	run   func(env Env, w io.Writer, lang flows.Lang, args []string) error
}

// The usage line of each subcommand.
const (
	flowsListUsage     = "vigie flows list"
	flowsShowUsage     = "vigie flows show ID [--version V]"
	flowsEvalUsage     = "vigie flows eval ID [KEY=VALUE…] [--t0 RFC3339] [--format text|json] [--version V] [--feature F]…"
	flowsValidateUsage = "vigie flows validate [PATH…]"
	flowsGraphUsage    = "vigie flows graph ID [--format mermaid|dot] [--version V]"
)

var flowsCommands = map[string]flowsCommand{
	"list":     {flowsListUsage, flowsList},
	"show":     {flowsShowUsage, flowsShow},
	"eval":     {flowsEvalUsage, flowsEval},
	"validate": {flowsValidateUsage, flowsValidate},
	"graph":    {flowsGraphUsage, flowsGraph},
}

var flowsOrder = []string{"list", "show", "eval", "validate", "graph"}

func runFlows(_ context.Context, env Env, g *Globals, args []string) error {
	if len(args) == 0 {
		return usagef("missing subcommand (accepted: %s)", strings.Join(flowsOrder, ", "))
	}
	name, args := args[0], args[1:]
	if name == "help" || name == "aide" || name == "-h" || name == "-help" || name == "--help" {
		flowsUsage(env.Stdout)
		return nil
	}
	cmd, ok := flowsCommands[name]
	if !ok {
		return usagef("unknown subcommand %q (accepted: %s)", name, strings.Join(flowsOrder, ", "))
	}
	lang, _ := flows.ParseLang(g.Lang) // Run has checked it; "" is French
	var out bytes.Buffer
	err := cmd.run(env, &out, lang, args)
	var help *flowsHelp
	if errors.As(err, &help) {
		_, err = io.WriteString(env.Stdout, help.text)
		return err
	}
	if err != nil {
		return err
	}
	_, err = env.Stdout.Write(out.Bytes())
	return err
}

func flowsUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage:")
	for _, n := range flowsOrder {
		fmt.Fprintf(w, "  %s\n", flowsCommands[n].usage)
	}
}

// flowsHelp is a request for a subcommand's help (-h), which goes to stdout.
type flowsHelp struct{ text string }

func (h *flowsHelp) Error() string { return h.text }

// parseFlowsArgs parses flags placed anywhere among the positional arguments
// (`flows show ID --version V` as well as `flows show --version V ID`) and
// returns the positional ones. After "--" everything is positional.
func parseFlowsArgs(set *flag.FlagSet, usage string, args []string) ([]string, error) {
	set.SetOutput(io.Discard)
	var pos []string
	for {
		if err := set.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				var b strings.Builder
				fmt.Fprintf(&b, "Usage: %s\n", usage)
				set.SetOutput(&b)
				set.PrintDefaults()
				return nil, &flowsHelp{b.String()}
			}
			return nil, usagef("%v (usage: %s)", err, usage)
		}
		rest := set.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// chainIDArg checks that pos holds exactly one chain id and returns it.
func chainIDArg(pos []string, usage string, cat *flows.Catalog) (string, error) {
	if len(pos) == 0 {
		return "", usagef("missing chain id (usage: %s; known chains: %s)", usage, strings.Join(cat.IDs(), ", "))
	}
	if len(pos) > 1 {
		return "", usagef("unexpected argument %q (usage: %s)", pos[1], usage)
	}
	return pos[0], nil
}

// flowsCatalog returns the embedded catalog. An error there is a broken build.
func flowsCatalog() (*flows.Catalog, error) {
	cat, err := builtin.Catalog()
	if err != nil {
		return nil, fmt.Errorf("embedded chains: %w", err)
	}
	return cat, nil
}

// lookupChain returns version of chain id, or the one in force at t when version
// is empty. An unknown id or version is bad usage: its message lists what
// is known.
func lookupChain(cat *flows.Catalog, id, version string, t time.Time) (*flows.Chain, error) {
	var (
		c   *flows.Chain
		err error
	)
	if version == "" {
		c, err = cat.Current(id, t)
	} else {
		c, err = cat.Version(id, version)
	}
	var ue *flows.UnknownChainError
	if errors.As(err, &ue) {
		return nil, usagef("%v", err)
	}
	return c, err
}

// flagOneOf checks a flag value against the accepted ones.
func flagOneOf(flagName, value string, accepted ...string) error {
	if slices.Contains(accepted, value) {
		return nil
	}
	return usagef("bad --%s %q (accepted: %s)", flagName, value, strings.Join(accepted, ", "))
}

func flowsList(_ Env, w io.Writer, lang flows.Lang, args []string) error {
	set := flag.NewFlagSet("list", flag.ContinueOnError)
	usage := flowsListUsage
	pos, err := parseFlowsArgs(set, usage, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (usage: %s)", pos[0], usage)
	}
	cat, err := flowsCatalog()
	if err != nil {
		return err
	}
	t := now()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, tr(lang, "flows.list_header"))
	for _, c := range cat.Chains(t) {
		eff := dayOf(c.Effective)
		if c.Effective.After(t) {
			eff += tr(lang, "flows.upcoming")
		}
		var others []string
		for _, v := range cat.Versions(c.ID) {
			if v != c {
				others = append(others, fmt.Sprintf("%s (%s)", v.Version, dayOf(v.Effective)))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Version, eff, orDash(c.Profile), orDash(c.Region),
			c.Title.In(lang), orDash(strings.Join(others, ", ")))
	}
	return tw.Flush()
}

func flowsGraph(_ Env, w io.Writer, lang flows.Lang, args []string) error {
	set := flag.NewFlagSet("graph", flag.ContinueOnError)
	format := set.String("format", "mermaid", "mermaid or dot")
	version := set.String("version", "", "chain version (default: the one in force)")
	usage := flowsGraphUsage
	pos, err := parseFlowsArgs(set, usage, args)
	if err != nil {
		return err
	}
	cat, err := flowsCatalog()
	if err != nil {
		return err
	}
	id, err := chainIDArg(pos, usage, cat)
	if err != nil {
		return err
	}
	if err := flagOneOf("format", *format, "mermaid", "dot"); err != nil {
		return err
	}
	c, err := lookupChain(cat, id, *version, now())
	if err != nil {
		return err
	}
	if *format == "dot" {
		_, err = io.WriteString(w, flows.DOT(c, lang))
	} else {
		_, err = io.WriteString(w, flows.Mermaid(c, lang))
	}
	return err
}

// errInvalidChains is returned once the problems of invalid files are printed.
var errInvalidChains = errors.New("invalid chain files")

func flowsValidate(env Env, w io.Writer, _ flows.Lang, args []string) error {
	set := flag.NewFlagSet("validate", flag.ContinueOnError)
	pos, err := parseFlowsArgs(set, flowsValidateUsage, args)
	if err != nil {
		return err
	}
	files, err := flows.ReadFS(builtin.FS())
	if err != nil {
		return fmt.Errorf("read embedded chains: %w", err)
	}
	for i := range files {
		files[i].Name = embeddedPrefix + files[i].Name
	}
	for _, p := range pos {
		more, err := readChainPath(p)
		if err != nil {
			return err
		}
		files = append(files, more...)
	}
	cat, err := flows.Compile(files)
	var errs flows.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Fprintln(env.Stderr, e)
		}
		return fmt.Errorf("%w: %d problem(s)", errInvalidChains, len(errs))
	}
	if err != nil {
		return err
	}
	chains := 0
	for _, id := range cat.IDs() {
		chains += len(cat.Versions(id))
	}
	// Compile accepts only chain and contacts files: the rest are contacts.
	_, err = fmt.Fprintf(w, "ok: %d chains, %d contacts files\n", chains, len(files)-chains)
	return err
}

// readChainPath reads a chain or contacts file, or every .yaml and .yml file
// below a directory. A path that does not exist is bad usage.
func readChainPath(p string) ([]flows.File, error) {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("no such file or directory %q (accepted: chain or contacts files, or directories holding them)", p)
	}
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		return []flows.File{{Name: p, Data: data}}, nil
	}
	files, err := flows.ReadFS(os.DirFS(p))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if len(files) == 0 {
		return nil, usagef("no .yaml or .yml file under %q (accepted: chain or contacts files, or directories holding them)", p)
	}
	for i := range files {
		files[i].Name = filepath.Join(p, filepath.FromSlash(files[i].Name))
	}
	return files, nil
}
