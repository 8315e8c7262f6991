package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// This file holds `vigie fiche`: the offline reflex sheet of the alert
// chains, to print and pin on the crisis-room wall. It needs no database.

const ficheUsage = "vigie fiche [--flow ID] [--format md|pdf] [--nis2] [-o FILE]"

func init() {
	commands["fiche"] = command{
		summary: "the offline reflex sheet of each chain (md or pdf): every number, what to do without internet",
		run:     runFiche,
	}
}

func runFiche(ctx context.Context, env Env, g *Globals, args []string) error {
	fs := flag.NewFlagSet("fiche", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	chain := fs.String("flow", "", "the chain of the sheet (default: every chain)")
	format := fs.String("format", "", "md or pdf (default: from -o's extension, else md)")
	out := fs.String("o", "", "write to FILE, atomically, instead of stdout")
	nis2 := fs.Bool("nis2", false, "include the NIS2 steps (not in force in France yet)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v (usage: %s)", err, ficheUsage)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (usage: %s)", fs.Arg(0), ficheUsage)
	}
	f, err := outputFormat(*format, *out, report.SheetFormats)
	if err != nil {
		return err
	}
	*format = f
	cat, err := flowsCatalog()
	if err != nil {
		return err
	}
	t := now()
	var chains []*flows.Chain
	if *chain != "" {
		c, err := cat.Current(*chain, t)
		if err != nil {
			return usagef("--flow: %v", err)
		}
		chains = []*flows.Chain{c}
	} else {
		chains = cat.Chains(t)
	}
	org, _, err := organisation(env, g)
	if err != nil {
		return err
	}
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
