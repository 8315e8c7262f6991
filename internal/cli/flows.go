package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// This file holds `vigie flows`: its subcommands, their common argument
// handling, and the short ones (list, graph, validate).
// show is in flows_show.go, eval in flows_eval.go, the wording shared by
// both in flows_text.go.

// now is the clock of the flows commands: the version in force and the
// default T0 are read from it. Tests replace it.
var now = time.Now

// embeddedPrefix is prepended to the names of embedded files in messages, so
// that they read as paths in the repository.
const embeddedPrefix = "flows/builtin/"

// flowsFlags are the flags of a flows subcommand; each uses some.
type flowsFlags struct {
	format, version, t0 string
	features            []string
	nis2                bool // --nis2: --feature nis2, as console and fiche take it
}

// flowsRun is one subcommand of `vigie flows`. It writes its output to w,
// a buffer that reaches stdout only when it returns nil, so that bad usage
// prints nothing on stdout. g are the global flags (--config: the
// deployment whose contacts a chain shows), pos its positional arguments,
// usage its usage line for messages.
type flowsRun func(env Env, g *Globals, w io.Writer, lang flows.Lang, o *flowsFlags, pos []string, usage string) error

func newFlowsCmd(env Env, g *Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "flows list|show|eval|validate|graph",
		Short: "list, show, evaluate, validate or draw the alert chains",
		Long: `The alert chains Vigie ships with, embedded in the binary: list them, show
one in full, evaluate one for given answers (what is owed, by when), draw
its graph, or validate chain files before they are added.`,
		Example: `  vigie flows list
  vigie flows show nouvelle-aquitaine/ose
  vigie flows eval nouvelle-aquitaine/es-esms malicious=oui personal_data_breach=non
  vigie flows graph nouvelle-aquitaine/ose --format dot | dot -Tsvg > ose.svg
  vigie flows validate path/to/my-region/`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(c *cobra.Command, args []string) error { return subcommandUsage(c, args) },
	}
	sub := func(use, short, example string, run flowsRun, chainArg bool, flags func(*pflag.FlagSet, *flowsFlags)) *cobra.Command {
		var o flowsFlags
		s := &cobra.Command{
			Use: use, Short: short, Example: example,
			RunE: func(c *cobra.Command, args []string) error {
				lang, _ := flows.ParseLang(g.Lang) // checked before; "" is French
				var out bytes.Buffer
				if err := run(env, g, &out, lang, &o, args, c.UseLine()); err != nil {
					return err
				}
				_, err := env.Stdout.Write(out.Bytes())
				return err
			},
		}
		if chainArg {
			s.ValidArgsFunction = func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return chainIDs(toComplete)
			}
		}
		if flags != nil {
			flags(s.Flags(), &o)
		}
		return s
	}
	version := func(f *pflag.FlagSet, o *flowsFlags) {
		f.StringVar(&o.version, "version", "", "chain version `V` (default: the one in force)")
	}
	c.AddCommand(
		sub("list", "the chains, with the version in force and the others",
			"  vigie flows list\n  vigie --lang en flows list", flowsList, false, nil),
		sub("show ID [--version V]", "a chain in full: questions, steps, recipients, deadlines, sources",
			"  vigie flows show nouvelle-aquitaine/ose\n  vigie flows show national/ars --version 2016-09.1\n"+
				"  vigie flows show national/es-esms --nis2   # the same: show lists the NIS2 steps anyway, marked",
			flowsShow, true, func(f *pflag.FlagSet, o *flowsFlags) {
				version(f, o)
				// Accepted so that a command line of eval, console or fiche
				// works here; the chain in full has every feature's steps.
				f.BoolVar(&o.nis2, "nis2", false, "accepted as on eval; show lists the NIS2 steps anyway, each marked with its feature")
			}),
		sub("eval ID [KEY=VALUE…] [--t0 RFC3339] [--format text|json] [--version V] [--feature F]… [--nis2]",
			"what a chain requires for given answers, all given at T0: steps due, with their deadlines",
			"  vigie flows eval nouvelle-aquitaine/es-esms malicious=oui personal_data_breach=non\n"+
				"  vigie flows eval nouvelle-aquitaine/ose malicious=oui --t0 2026-03-28T10:00:00+01:00 --format json\n"+
				"  vigie flows eval national/es-esms malicious=oui --nis2   # or --feature nis2",
			flowsEval, true, func(f *pflag.FlagSet, o *flowsFlags) {
				f.StringVar(&o.t0, "t0", "", "time of awareness (prise de connaissance), `RFC3339` such as 2026-03-28T10:00:00+01:00 (default: now)")
				f.StringVar(&o.format, "format", "text", "output format, `text|json`")
				f.StringVar(&o.version, "version", "", "chain version `V` (default: the one in force at T0)")
				f.StringArrayVar(&o.features, "feature", nil, "feature switch `F` to turn on, such as nis2 (repeatable)")
				f.BoolVar(&o.nis2, "nis2", false, "include the NIS2 steps: --feature nis2, as console and fiche take it")
			}),
		sub("validate [PATH…]", "check chain and contacts files, with the embedded ones",
			"  vigie flows validate\n  vigie flows validate path/to/my-region/\n  vigie flows validate flows/builtin/   # in a checkout, after an edit",
			flowsValidate, false, nil),
		sub("graph ID [--format mermaid|dot] [--version V]", "the graph of a chain, in Mermaid or Graphviz dot",
			"  vigie flows graph nouvelle-aquitaine/ose\n  vigie flows graph nouvelle-aquitaine/ose --format dot | dot -Tsvg > ose.svg",
			flowsGraph, true, func(f *pflag.FlagSet, o *flowsFlags) {
				f.StringVar(&o.format, "format", "mermaid", "graph language, `mermaid|dot`")
				version(f, o)
			}),
	)
	for _, s := range c.Commands() {
		switch s.Name() {
		case "eval":
			completeFixed(s, "format", "text", "json")
			completeFixed(s, "feature", "nis2")
		case "graph":
			completeFixed(s, "format", "mermaid", "dot")
		}
	}
	return c
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

// deployedCatalog returns the embedded chains as the configuration
// deploys them (region.go): a national chain's ARS and regional CSIRT are
// those of region: and contacts:, the ones its incidents' cards,
// checklists and reflex sheet show, so that `flows show` and `flows eval`
// tell a structure what it will be asked to do and whom to reach. Without
// --config, the VIGIE_REGION and VIGIE_CONTACTS_* variables alone count
// (localConfig); with neither, the chains are as shipped.
func deployedCatalog(env Env, g *Globals) (*flows.Catalog, error) {
	base, err := flowsCatalog()
	if err != nil {
		return nil, err
	}
	cfg, err := localConfig(env, g)
	if err != nil {
		return nil, err
	}
	return deploy(cfg, base)
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

func flowsList(_ Env, _ *Globals, w io.Writer, lang flows.Lang, _ *flowsFlags, pos []string, usage string) error {
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
		eff := dayIn(c.Effective, lang)
		if c.Effective.After(t) {
			eff += tr(lang, "flows.upcoming")
		}
		var others []string
		for _, v := range cat.Versions(c.ID) {
			if v != c {
				others = append(others, fmt.Sprintf("%s (%s)", v.Version, dayIn(v.Effective, lang)))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Version, eff, orDash(c.Profile), orDash(c.Region),
			c.Title.In(lang), orDash(strings.Join(others, ", ")))
	}
	return tw.Flush()
}

func flowsGraph(env Env, g *Globals, w io.Writer, lang flows.Lang, o *flowsFlags, pos []string, usage string) error {
	format, version := &o.format, &o.version
	cat, err := deployedCatalog(env, g)
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

func flowsValidate(env Env, _ *Globals, w io.Writer, _ flows.Lang, _ *flowsFlags, pos []string, _ string) error {
	embedded, err := flows.ReadFS(builtin.FS())
	if err != nil {
		return fmt.Errorf("read embedded chains: %w", err)
	}
	var given []flows.File
	for _, p := range pos {
		more, err := readChainPath(p)
		if err != nil {
			return err
		}
		given = append(given, more...)
	}
	files := withGiven(embedded, given)
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
	// Warnings (texts in French only) leave the files valid: a region's
	// contributor may check a draft before translating it, and the
	// built-in files have none (their tests say so).
	warns := cat.Warnings()
	for _, e := range warns {
		if e.Line > 0 {
			fmt.Fprintf(env.Stderr, "%s:%d: warning: %s\n", e.File, e.Line, e.Msg)
		} else {
			fmt.Fprintf(env.Stderr, "%s: warning: %s\n", e.File, e.Msg)
		}
	}
	more := ""
	if len(warns) > 0 {
		more = fmt.Sprintf(", %d warning(s)", len(warns))
	}
	// Compile accepts only chain and contacts files: the rest are contacts.
	_, err = fmt.Fprintf(w, "ok: %d chains, %d contacts files%s\n", chains, len(files)-chains, more)
	return err
}

// withGiven returns the embedded files, named as in the repository, with
// the given ones. A given file whose path ends with an embedded file's name
// (flows/builtin/chains/national/ars-2022.yaml in a checkout, or below
// flows/builtin/ given as a directory) is that file, perhaps being edited:
// it takes the embedded copy's place instead of defining its chain a
// second time. A file named twice (a directory and a file in it) is read
// once.
func withGiven(embedded, given []flows.File) []flows.File {
	replaced := map[string]bool{}
	seen := map[string]bool{}
	var add []flows.File
	for _, f := range given {
		abs, err := filepath.Abs(f.Name)
		if err != nil {
			abs = f.Name
		}
		abs = filepath.ToSlash(filepath.Clean(abs))
		if seen[abs] {
			continue
		}
		seen[abs] = true
		for _, e := range embedded {
			if strings.HasSuffix(abs, "/"+e.Name) {
				replaced[e.Name] = true
			}
		}
		add = append(add, f)
	}
	var files []flows.File
	for _, e := range embedded {
		if !replaced[e.Name] {
			files = append(files, flows.File{Name: embeddedPrefix + e.Name, Data: e.Data})
		}
	}
	return append(files, add...)
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
