package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// This file holds `vigie fiche`: the offline reflex sheet of the alert
// chains, to print and pin on the crisis-room wall. It needs no database.

// ficheOptions are the flags of vigie fiche.
type ficheOptions struct {
	chain, format, out string
	nis2               bool
	chainArg           bool // the chain was the argument, not --flow
}

func newFicheCmd(env Env, g *Globals) *cobra.Command {
	var o ficheOptions
	c := &cobra.Command{
		Use:   "fiche [ID | --flow ID] [--format md|pdf] [--nis2] [-o FILE]",
		Short: "the offline reflex sheet of each chain (md or pdf): one page, its numbers, portals and steps",
		Long: `The offline reflex sheet of the alert chains, one A4 page a chain, to
print and pin on the crisis-room wall: the numbers to call without
internet, the portals' QR codes, boxes for the structure's own numbers,
the questions, every step with its deadline and means, and a grid to keep
the main courante by hand. It needs no database; the organisation comes
from --config or the VIGIE_ORG_* variables, and so do the region and the
regional contacts of the national chains (region:, contacts:).`,
		Example: `  vigie fiche -o fiche.pdf
  vigie fiche national/es-esms --format md       # or --flow national/es-esms
  vigie --lang en fiche nouvelle-aquitaine/ose --nis2 -o reflex-sheet.pdf`,
		Args: func(c *cobra.Command, args []string) error {
			// The chain is an argument, as flows show takes it, or --flow,
			// as console takes it.
			switch {
			case len(args) > 1:
				return usagef("unexpected argument %q (usage: %s; flags: %s)", args[1], c.UseLine(), acceptedFlags(c))
			case len(args) == 1 && o.chain != "" && o.chain != args[0]:
				return usagef("the chain is given twice, %q and --flow %q: give one (usage: %s)", args[0], o.chain, c.UseLine())
			case len(args) == 1:
				o.chain, o.chainArg = args[0], true
			}
			return nil
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return chainIDs(toComplete)
		},
		RunE: func(c *cobra.Command, args []string) error { return runFiche(c.Context(), env, g, o) },
	}
	f := c.Flags()
	f.StringVar(&o.chain, "flow", "", "the chain of the sheet, an `ID`, also taken as the argument (default: every chain)")
	f.StringVar(&o.format, "format", "", "output format, `md|pdf` (default: from -o's extension, else md)")
	f.StringVarP(&o.out, "output", "o", "", "write to `FILE`, atomically, instead of stdout")
	f.BoolVar(&o.nis2, "nis2", false, "include the NIS2 steps (not in force in France yet)")
	completeChainFlag(c, "flow")
	completeFixed(c, "format", report.SheetFormats...)
	return c
}

func runFiche(ctx context.Context, env Env, g *Globals, o ficheOptions) error {
	chain, format, out, nis2 := &o.chain, &o.format, &o.out, &o.nis2
	f, err := outputFormat(*format, *out, report.SheetFormats)
	if err != nil {
		return err
	}
	*format = f
	base, err := flowsCatalog()
	if err != nil {
		return err
	}
	cfg, err := localConfig(env, g) // the organisation, and where Vigie runs
	if err != nil {
		return err
	}
	settleLang(g, cfg) // --lang, else the configuration's lang:
	// The national chains' ARS and CSIRT are the deployment's (region.go).
	cat, err := deploy(cfg, base)
	if err != nil {
		return err
	}
	t := now()
	var chains []*flows.Chain
	if *chain != "" {
		c, err := cat.Current(*chain, t)
		if err != nil {
			if o.chainArg {
				return usagef("%v", err)
			}
			return usagef("--flow: %v", err)
		}
		chains = []*flows.Chain{c}
	} else {
		chains = cat.Chains(t)
	}
	org, _ := orgOf(cfg)
	opt := report.SheetOptions{Lang: g.lang(), Organisation: org, Now: t, KeyFingerprint: keyFingerprint(env, g)}
	if *nis2 {
		opt.Features = map[string]bool{"nis2": true}
	}
	var buf bytes.Buffer
	if err := report.ReflexSheet(&buf, *format, cat, chains, opt); err != nil {
		return err
	}
	if *out == "" {
		_, err := env.Stdout.Write(buf.Bytes())
		return err
	}
	if err := checkOutput(env, g, *out); err != nil {
		return err
	}
	if err := writeExportFile(*out, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "fiche: %d chain(s), %s → %s\n", len(chains), *format, *out)
	return nil
}

// keyFingerprint is the fingerprint of the signing key in the data
// directory, or "" when there is none yet: the sheet never creates one.
func keyFingerprint(env Env, g *Globals) string {
	_, dir, err := g.dbPath(env)
	if err != nil {
		return ""
	}
	if _, err := os.Stat(filepath.Join(dir, keyfile.Name)); err != nil {
		return ""
	}
	key, err := keyfile.Load(dir)
	if err != nil {
		return ""
	}
	return keyfile.Fingerprint(key.Public().(ed25519.PublicKey))
}
