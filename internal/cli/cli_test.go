package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestGlobalFlagsAnywhere checks that --db, --config and --lang are taken
// before the command's name, after it, and among its own flags.
func TestGlobalFlagsAnywhere(t *testing.T) {
	for _, args := range [][]string{
		{"--db", "DB", "console", "--sweep", "0"},
		{"console", "--db", "DB", "--sweep", "0"},
		{"console", "--sweep", "0", "--db=DB"},
		{"-db", "DB", "console", "-sweep", "0"}, // one dash, as the flag package took them
	} {
		db := filepath.Join(t.TempDir(), "x.db")
		for i, a := range args {
			args[i] = strings.ReplaceAll(a, "DB", db)
		}
		code, _, errs := runCLI(t, args...)
		if code != ExitOK {
			t.Errorf("vigie %s: exit %d, stderr %q", strings.Join(args, " "), code, errs)
			continue
		}
		if _, err := os.Stat(db); err != nil {
			t.Errorf("vigie %s: the console did not open --db: %v", strings.Join(args, " "), err)
		}
	}
	useTestClock(t)
	before := mustRun(t, "--lang", "en", "flows", "list")
	if after := mustRun(t, "flows", "list", "--lang", "en"); after != before || !strings.Contains(after, "IN FORCE SINCE") {
		t.Errorf("--lang en after the command gives:\n%s\nbefore it:\n%s", after, before)
	}
}

// TestHelpEveryCommand checks that --help, -h and `help CMD` print the
// command's usage and examples on stdout and exit 0, for every command.
func TestHelpEveryCommand(t *testing.T) {
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			walk(sub, append(append([]string(nil), path...), sub.Name()))
		}
	}
	walk(newRoot(Env{}, &Globals{}), nil)
	if len(paths) < 15 {
		t.Fatalf("only %d commands found: %v", len(paths), paths)
	}
	for _, p := range paths {
		name := strings.Join(append([]string{"vigie"}, p...), " ")
		for _, args := range [][]string{append(p, "--help"), append(p, "-h"), append([]string{"help"}, p...)} {
			code, out, errs := runCLI(t, args...)
			if code != ExitOK || errs != "" {
				t.Errorf("vigie %s: exit %d, stderr %q", strings.Join(args, " "), code, errs)
			}
			if !strings.Contains(out, "Usage:\n  "+name) || !strings.Contains(out, "Examples:\n  ") {
				t.Errorf("vigie %s: no usage of %q or no examples:\n%s", strings.Join(args, " "), name, out)
			}
		}
	}
	for _, args := range [][]string{{"aide"}, {"aide", "export"}} {
		if code, out, _ := runCLI(t, args...); code != ExitOK || !strings.Contains(out, "Usage:") {
			t.Errorf("vigie %s: exit %d:\n%s", strings.Join(args, " "), code, out)
		}
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errs := runCLI(t, "completion", shell)
		if code != ExitOK || errs != "" || len(out) < 1000 || !strings.Contains(out, "vigie") {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", shell, code, len(out), errs)
		}
	}
	// What the shells ask for as one types.
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "con"}, []string{"config", "console"}},
		{[]string{"__complete", "flows", "show", ""}, []string{"nouvelle-aquitaine/ose", "national/ars"}},
		{[]string{"__complete", "console", "--flow", "nouvelle"}, []string{"nouvelle-aquitaine/es-esms"}},
		{[]string{"__complete", "--lang", ""}, []string{"fr", "en"}},
		{[]string{"__complete", "export", "X", "--format", ""}, []string{"md", "csv", "json", "pdf"}},
	} {
		code, out, _ := runCLI(t, tc.args...)
		for _, w := range tc.want {
			if code != ExitOK || !strings.Contains(out, w) {
				t.Errorf("vigie %s: exit %d, %q not offered:\n%s", strings.Join(tc.args, " "), code, w, out)
			}
		}
	}
}

// TestBadUsage checks that unknown commands and flags exit 2 with a
// message naming what is accepted, and nothing on stdout.
func TestBadUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string // in stderr
	}{
		{[]string{"consol"}, []string{`unknown command "consol"`, "did you mean console?", "accepted: backup, check, cherche, completion", "doctor", "liste", "verify"}},
		{[]string{"console", "--bogus"}, []string{"vigie console: unknown flag: --bogus", "--flow ID", "--sweep DURATION", "--db FILE", "--lang fr|en"}},
		{[]string{"console", "extra"}, []string{`unexpected argument "extra"`, "--flow ID"}},
		{[]string{"--bogus"}, []string{"unknown flag: --bogus", "--db FILE"}},
		{[]string{"--lang", "de", "flows", "list"}, []string{`bad --lang "de" (accepted: fr, en)`}},
		{[]string{"flows", "list", "--lang", "de"}, []string{`bad --lang "de" (accepted: fr, en)`}},
		{[]string{"export", "--db"}, []string{"flag needs an argument: --db"}},
		{[]string{"help", "frob"}, []string{`unknown command "frob"`, "accepted: backup"}},
		{[]string{"config"}, []string{"missing subcommand", "check"}},
		{[]string{"config", "chek"}, []string{`unknown subcommand "chek"`, "check"}},
		{[]string{"completion", "tcsh"}, []string{`unknown subcommand "tcsh"`, "bash, zsh, fish, powershell"}},
		{[]string{"completion"}, []string{"missing subcommand", "bash, zsh, fish, powershell"}},
	} {
		code, out, errs := runCLI(t, tc.args...)
		if code != ExitUsage || out != "" {
			t.Errorf("vigie %s: exit %d, stdout %q; want exit 2 and nothing", strings.Join(tc.args, " "), code, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(errs, w) {
				t.Errorf("vigie %s: stderr does not mention %q:\n%s", strings.Join(tc.args, " "), w, errs)
			}
		}
	}
}
