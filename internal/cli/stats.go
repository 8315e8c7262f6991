package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds `vigie stats`: the anonymised yearly statistics of the
// incidents in the database (bot/report/stats.go), read without changing it.

const statsUsage = "vigie stats --year YYYY [--format csv|md] [-o FILE]"

func init() {
	commands["stats"] = command{
		summary: "anonymised yearly statistics of the incidents (csv or md), as CSP art. D1111-16-3 has them published",
		run:     runStats,
	}
}

func runStats(ctx context.Context, env Env, g *Globals, args []string) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	year := fs.String("year", "", "the year of the incidents' T0, Paris time (required)")
	format := fs.String("format", "", "csv or md (default: from -o's extension, else md)")
	out := fs.String("o", "", "write to FILE, atomically, instead of stdout")
	if err := fs.Parse(args); err != nil {
		return usagef("%v (usage: %s)", err, statsUsage)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (usage: %s)", fs.Arg(0), statsUsage)
	}
	y, err := strconv.Atoi(*year)
	if *year == "" {
		return usagef("missing --year, such as --year 2026 (usage: %s)", statsUsage)
	}
	if err != nil || y < 2000 || y > 9999 {
		return usagef("bad --year %q (accepted: a year such as 2026)", *year)
	}
	f, err := outputFormat(*format, *out, report.StatsFormats)
	if err != nil {
		return err
	}
	*format = f
	s, _, err := openReadOnly(env, g, "stop that Vigie, or count from a copy made with vigie backup")
	if err != nil {
		return err
	}
	defer s.Close()
	incs, err := s.All(ctx)
	if err != nil {
		return err
	}
	cat, err := flowsCatalog()
	if err != nil {
		return err
	}
	chainOf := func(inc *incident.Incident) *flows.Chain {
		if inc.Chain == "" {
			return nil
		}
		if c, err := cat.Version(inc.Chain, inc.Version); err == nil {
			return c
		}
		c, _ := cat.Current(inc.Chain, inc.T0)
		return c
	}
	var buf bytes.Buffer
	if err := report.WriteStats(&buf, *format, report.ComputeStats(incs, y, chainOf), g.lang()); err != nil {
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
	fmt.Fprintf(env.Stdout, "stats: %d → %s\n", y, *out)
	return nil
}
