package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata and the chains section of README.md")

// flowsTestNow is the clock of the flows tests: the version in force and
// the default T0 are read at this instant.
var flowsTestNow = time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC)

// useTestClock sets the flows clock to flowsTestNow for the test.
func useTestClock(t *testing.T) {
	t.Helper()
	saved := now
	now = func() time.Time { return flowsTestNow }
	t.Cleanup(func() { now = saved })
}

// runCLI runs the command line in-process.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	state := t.TempDir() // hermetic: never the state directory of whoever runs the tests
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(k string) string {
		if k == "XDG_STATE_HOME" {
			return state
		}
		return ""
	}}
	code = Run(context.Background(), env, args)
	return code, out.String(), errs.String()
}

// mustRun runs args and fails unless they succeed with nothing on stderr.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := runCLI(t, args...)
	if code != ExitOK || errs != "" {
		t.Fatalf("vigie %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

func mustCatalog(t *testing.T) *flows.Catalog {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatalf("embedded chains: %v", err)
	}
	return cat
}

// goldenName turns a chain id into a file name part: nouvelle-aquitaine/ose
// → nouvelle-aquitaine_ose.
func goldenName(parts ...string) string {
	return strings.NewReplacer("/", "_", " ", "_").Replace(strings.Join(parts, "-"))
}

// checkGolden compares got with testdata/NAME.golden, or rewrites the file
// with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./internal/cli -update` to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (- golden, + now):\n%s\nIf the change is intended, run `go test ./internal/cli -update` and review the diff.",
			path, lineDiff(string(want), got))
	}
}

// lineDiff writes the lines that differ between a and b, with a line of
// context and line numbers, from a longest-common-subsequence alignment.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// lcs[i][j] is the length of the LCS of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		n    int // line number in a for ' ' and '-', in b for '+'
		text string
	}
	var lines []line
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			lines = append(lines, line{' ', i + 1, x[i]})
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', i + 1, x[i]})
			i++
		default:
			lines = append(lines, line{'+', j + 1, y[j]})
			j++
		}
	}
	var b2 strings.Builder
	shown, last := 0, -2
	for k, l := range lines {
		near := l.op != ' ' || (k > 0 && lines[k-1].op != ' ') || (k+1 < len(lines) && lines[k+1].op != ' ')
		if !near {
			continue
		}
		if shown >= 80 {
			b2.WriteString("  … (more differences)\n")
			break
		}
		if last >= 0 && k > last+1 {
			b2.WriteString("  …\n")
		}
		fmt.Fprintf(&b2, "%c %4d | %s\n", l.op, l.n, l.text)
		shown, last = shown+1, k
	}
	return b2.String()
}

func TestFlowsListGolden(t *testing.T) {
	useTestClock(t)
	checkGolden(t, "list", mustRun(t, "flows", "list"))
	checkGolden(t, "list-en", mustRun(t, "--lang", "en", "flows", "list"))
}

func TestFlowsShowGolden(t *testing.T) {
	useTestClock(t)
	cat := mustCatalog(t)
	for _, id := range cat.IDs() {
		t.Run(id, func(t *testing.T) {
			checkGolden(t, goldenName("show", id), mustRun(t, "flows", "show", id))
			current, _ := cat.Current(id, flowsTestNow)
			for _, v := range cat.Versions(id) {
				if v != current {
					checkGolden(t, goldenName("show", id, v.Version), mustRun(t, "flows", "show", id, "--version", v.Version))
				}
			}
		})
	}
	checkGolden(t, "show-en-nouvelle-aquitaine_ose", mustRun(t, "--lang", "en", "flows", "show", "nouvelle-aquitaine/ose"))
}

func TestFlowsGraphGolden(t *testing.T) {
	useTestClock(t)
	for _, id := range mustCatalog(t).IDs() {
		t.Run(id, func(t *testing.T) {
			checkGolden(t, goldenName("graph", id, "mermaid"), mustRun(t, "flows", "graph", id))
			checkGolden(t, goldenName("graph", id, "dot"), mustRun(t, "flows", "graph", id, "--format", "dot"))
		})
	}
}

// allYes answers yes to every question of the chain in force.
func allYes(t *testing.T, id string) []string {
	t.Helper()
	c, err := mustCatalog(t).Current(id, flowsTestNow)
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, q := range c.Questions {
		args = append(args, q.ID+"=oui")
	}
	return args
}

func TestFlowsEvalGolden(t *testing.T) {
	useTestClock(t)
	const dst = "2026-10-24T10:00:00+02:00" // the clocks go back the next night: 72 h later is 09:00
	tests := []struct {
		name string
		args []string
	}{
		{"ose-all-yes", append([]string{"nouvelle-aquitaine/ose", "--t0", dst}, allYes(t, "nouvelle-aquitaine/ose")...)},
		{"ose-all-yes-nis2", append([]string{"nouvelle-aquitaine/ose", "--t0", dst, "--feature", "nis2"}, allYes(t, "nouvelle-aquitaine/ose")...)},
		{"ose-no-answer", []string{"nouvelle-aquitaine/ose"}}, // T0 from the clock
		{"ose-unknown", []string{"nouvelle-aquitaine/ose", "malicious=unknown", "capacity_impact=non", "--t0", "2026-03-28T10:00:00+01:00"}},
		{"es-esms-breach-high-risk", []string{"nouvelle-aquitaine/es-esms", "personal_data_breach=oui", "high_risk=oui", "--t0", "2026-03-28T10:00:00+01:00"}},
		{"es-esms-readme", []string{"nouvelle-aquitaine/es-esms", "malicious=oui", "personal_data_breach=non", "--t0", "2026-03-28T10:00:00+01:00"}},
		{"ps-liberal-malicious", []string{"nouvelle-aquitaine/ps-liberal", "malicious=oui", "--t0", "2026-03-28T10:00:00+01:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"flows", "eval"}, tt.args...)
			checkGolden(t, "eval-"+tt.name, mustRun(t, args...))
			out := mustRun(t, append(args, "--format", "json")...)
			checkGolden(t, "eval-"+tt.name+"-json", out)
			var v map[string]any
			dec := json.NewDecoder(strings.NewReader(out))
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("JSON output does not decode: %v", err)
			}
			if dec.More() {
				t.Errorf("JSON output holds more than one value")
			}
		})
	}
	checkGolden(t, "eval-en-es-esms-breach-high-risk", mustRun(t, "--lang", "en", "flows", "eval", "nouvelle-aquitaine/es-esms",
		"personal_data_breach=yes", "high_risk=yes", "--t0", "2026-03-28T10:00:00+01:00"))
}

// TestFlowsEvalDST checks the example of the design: 72 h after a T0 on the
// eve of the change to winter time is due at 09:00 Paris time.
func TestFlowsEvalDST(t *testing.T) {
	out := mustRun(t, "flows", "eval", "nouvelle-aquitaine/ose", "personal_data_breach=oui", "--t0", "2026-10-24T10:00:00+02:00", "--format", "json")
	var plan struct {
		T0    string `json:"t0"`
		Steps []struct {
			ID, Deadline string
			Due          *string
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	if plan.T0 != "2026-10-24T08:00:00Z" {
		t.Errorf("t0 = %s, want 2026-10-24T08:00:00Z", plan.T0)
	}
	found := false
	for _, s := range plan.Steps {
		if s.Deadline == "t0+72h" {
			found = true
			if s.Due == nil || *s.Due != "2026-10-27T08:00:00Z" {
				t.Errorf("step %s due %v, want 2026-10-27T08:00:00Z", s.ID, s.Due)
			}
		}
	}
	if !found {
		t.Error("no step due at t0+72h after a personal data breach")
	}
	text := mustRun(t, "flows", "eval", "nouvelle-aquitaine/ose", "personal_data_breach=oui", "--t0", "2026-10-24T10:00:00+02:00")
	if !strings.Contains(text, "mardi 27/10/2026 à 09:00, heure de Paris (2026-10-27T08:00:00Z)") {
		t.Errorf("text plan does not show the CNIL deadline in Paris time:\n%s", text)
	}
}

func TestFlowsArgsAnywhere(t *testing.T) {
	useTestClock(t)
	a := mustRun(t, "flows", "eval", "--format", "json", "nouvelle-aquitaine/ose", "malicious=oui")
	b := mustRun(t, "flows", "eval", "nouvelle-aquitaine/ose", "malicious=oui", "--format", "json")
	c := mustRun(t, "flows", "eval", "--format", "json", "--", "nouvelle-aquitaine/ose", "malicious=oui")
	if a != b || a != c {
		t.Errorf("flags before, after and with -- give different output")
	}
	if !strings.Contains(a, `"t0": "2026-03-28T09:00:00Z"`) {
		t.Errorf("default T0 is not the clock's instant:\n%s", a)
	}
}

// TestFlowsNIS2: --nis2 is --feature nis2 on flows eval, as on console and
// fiche; flows show, which lists the NIS2 steps anyway, accepts it too.
func TestFlowsNIS2(t *testing.T) {
	useTestClock(t)
	const es = "nouvelle-aquitaine/es-esms"
	if a, b := mustRun(t, "flows", "eval", es, "malicious=oui", "--nis2"), mustRun(t, "flows", "eval", es, "malicious=oui", "--feature", "nis2"); a != b || !strings.Contains(a, "nis2") {
		t.Errorf("flows eval --nis2 is not --feature nis2:\n%s", a)
	}
	if a, b := mustRun(t, "flows", "eval", es, "--nis2", "--feature", "nis2"), mustRun(t, "flows", "eval", es, "--nis2"); a != b {
		t.Errorf("flows eval --nis2 --feature nis2 is not --nis2 alone")
	}
	if a, b := mustRun(t, "flows", "show", es, "--nis2"), mustRun(t, "flows", "show", es); a != b {
		t.Errorf("flows show --nis2 differs from flows show")
	}
}

func TestFlowsHelp(t *testing.T) {
	for _, args := range [][]string{{"flows", "help"}, {"flows", "-h"}, {"flows", "eval", "-h"}, {"flows", "show", "--help"}} {
		code, out, errs := runCLI(t, args...)
		if code != ExitOK || !strings.Contains(out, "Usage") || errs != "" {
			t.Errorf("vigie %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, out, errs)
		}
	}
}

// TestFlowsBadUsage checks that every bad input exits 2 with a message
// naming the bad value and what is accepted, and prints nothing on stdout.
func TestFlowsBadUsage(t *testing.T) {
	useTestClock(t)
	const ose = "nouvelle-aquitaine/ose"
	current, err := mustCatalog(t).Current(ose, flowsTestNow)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"no subcommand", []string{"flows"}, []string{"missing subcommand", "list, show, eval, validate, graph"}},
		{"unknown subcommand", []string{"flows", "frob"}, []string{`"frob"`, "list, show, eval, validate, graph"}},
		{"unknown chain show", []string{"flows", "show", "nope/x"}, []string{`"nope/x"`, ose}},
		{"unknown chain eval", []string{"flows", "eval", "nope/x"}, []string{`"nope/x"`, ose}},
		{"unknown chain graph", []string{"flows", "graph", "nope/x"}, []string{`"nope/x"`, ose}},
		{"unknown version", []string{"flows", "show", ose, "--version", "1999"}, []string{`"1999"`, current.Version}},
		{"missing id show", []string{"flows", "show"}, []string{"missing chain id", ose}},
		{"missing id eval", []string{"flows", "eval"}, []string{"missing chain id", ose}},
		{"missing id graph", []string{"flows", "graph", "--format", "dot"}, []string{"missing chain id", ose}},
		{"extra arg show", []string{"flows", "show", ose, "extra"}, []string{`"extra"`, "vigie flows show ID"}},
		{"extra arg graph", []string{"flows", "graph", ose, "extra"}, []string{`"extra"`, "vigie flows graph ID"}},
		{"extra arg list", []string{"flows", "list", "extra"}, []string{`"extra"`, "vigie flows list"}},
		{"unknown key", []string{"flows", "eval", ose, "foo=yes"}, []string{`"foo"`, "capacity_impact", "malicious", "personal_data_breach"}},
		{"unknown value", []string{"flows", "eval", ose, "malicious=maybe"}, []string{`"maybe"`, "yes, no, unknown", "oui"}},
		{"no equals", []string{"flows", "eval", ose, "malicious"}, []string{`"malicious"`, "KEY=VALUE", "malicious=oui"}},
		{"answered twice", []string{"flows", "eval", ose, "malicious=oui", "malicious=non"}, []string{`"malicious"`, "twice"}},
		{"bad t0", []string{"flows", "eval", ose, "--t0", "yesterday"}, []string{`"yesterday"`, "RFC 3339", "2026-03-28T10:00:00+01:00"}},
		{"t0 without zone", []string{"flows", "eval", ose, "--t0", "2026-03-28T10:00:00"}, []string{`"2026-03-28T10:00:00"`, "2026-03-28T10:00:00+01:00"}},
		{"t0 missing value", []string{"flows", "eval", ose, "--t0"}, []string{"-t0", "--t0 RFC3339"}},
		{"bad eval format", []string{"flows", "eval", ose, "--format", "xml"}, []string{`"xml"`, "text, json"}},
		{"bad graph format", []string{"flows", "graph", ose, "--format", "png"}, []string{`"png"`, "mermaid, dot"}},
		{"unknown feature", []string{"flows", "eval", ose, "--feature", "nis3"}, []string{`"nis3"`, "nis2"}},
		{"unknown flag", []string{"flows", "list", "--bogus"}, []string{"-bogus", "vigie flows list"}},
		{"missing path", []string{"flows", "validate", "testdata/no-such-dir"}, []string{`"testdata/no-such-dir"`, "chain or contacts files"}},
		{"empty directory", []string{"flows", "validate", t.TempDir()}, []string{"no .yaml or .yml file", "chain or contacts files"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d (stderr %q)", code, ExitUsage, errs)
			}
			if out != "" {
				t.Errorf("stdout is not empty:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, errs)
				}
			}
		})
	}
}

func TestFlowsValidate(t *testing.T) {
	files, err := flows.ReadFS(builtin.FS())
	if err != nil {
		t.Fatal(err)
	}
	cat := mustCatalog(t)
	chains := 0
	for _, id := range cat.IDs() {
		chains += len(cat.Versions(id))
	}
	contacts := len(files) - chains
	// A copy of an embedded chain outside flows/builtin is a second
	// definition of it; the file in its place in a checkout is the chain
	// itself, being edited (below).
	builtinDir := filepath.Join("..", "..", "flows", "builtin")
	ose, err := os.ReadFile(filepath.Join(builtinDir, "chains", "nouvelle-aquitaine", "ose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	duplicate := filepath.Join(t.TempDir(), "ose.yaml")
	if err := os.WriteFile(duplicate, ose, 0o600); err != nil {
		t.Fatal(err)
	}
	ok := fmt.Sprintf("ok: %d chains, %d contacts files\n", chains, contacts)
	frenchOnly := regexp.MustCompile(`^testdata/region/es\.yaml:8: warning: source\.document at \$\.source\.document is in French only: write \{fr: …, en: …\}.*\n` +
		`testdata/region/es\.yaml:29: warning: source at \$\.steps\[1\]\.source is in French only.*\n$`)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr *regexp.Regexp
	}{
		{"embedded", nil, ExitOK, fmt.Sprintf("ok: %d chains, %d contacts files\n", chains, contacts), nil},
		// The region's test files write their sources as plain strings:
		// French only, which is valid, with a warning naming the line.
		{"region directory", []string{"testdata/region"}, ExitOK, fmt.Sprintf("ok: %d chains, %d contacts files, 2 warning(s)\n", chains+1, contacts+1), frenchOnly},
		{"region files", []string{"testdata/region/contacts.yaml", "testdata/region/es.yaml"}, ExitOK,
			fmt.Sprintf("ok: %d chains, %d contacts files, 2 warning(s)\n", chains+1, contacts+1), frenchOnly},
		{"chain without its contacts", []string{"testdata/region/es.yaml"}, ExitFailure, "",
			regexp.MustCompile(`(?m)^testdata/region/es\.yaml:\d+: no contacts file for region "test-region"`)},
		{"invalid file", []string{"testdata/invalid"}, ExitFailure, "",
			regexp.MustCompile(`(?m)^testdata/invalid/bad\.yaml:\d+: unknown contact "no-such-contact".*\n` +
				`testdata/invalid/bad\.yaml:\d+: bad deadline "sometime"`)},
		{"duplicate of an embedded chain", []string{duplicate}, ExitFailure, "",
			regexp.MustCompile(`ose\.yaml:\d+: chain "nouvelle-aquitaine/ose" version "[^"]+" is defined twice`)},
		// The checkout's own chains replace the embedded copies they were
		// built from, rather than being reported as defined twice.
		{"builtin directory", []string{builtinDir + string(filepath.Separator)}, ExitOK, ok, nil},
		{"builtin chains directory", []string{filepath.Join(builtinDir, "chains")}, ExitOK, ok, nil},
		{"builtin file", []string{filepath.Join(builtinDir, "chains", "nouvelle-aquitaine", "ose.yaml")}, ExitOK, ok, nil},
		{"builtin directory twice", []string{builtinDir, filepath.Join(builtinDir, "contacts", "national.yaml")}, ExitOK, ok, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, append([]string{"flows", "validate"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if out != tt.stdout {
				t.Errorf("stdout %q, want %q", out, tt.stdout)
			}
			if tt.stderr == nil && errs != "" {
				t.Errorf("stderr is not empty:\n%s", errs)
			}
			if tt.stderr != nil && !tt.stderr.MatchString(errs) {
				t.Errorf("stderr does not match %s:\n%s", tt.stderr, errs)
			}
		})
	}
}

// TestFlowsMeansKindNames checks that every kind of means a chain file may
// use has a French and an English name.
func TestFlowsMeansKindNames(t *testing.T) {
	for _, kind := range flows.MeansKinds {
		if !messages.Has("means_kind." + kind) {
			t.Errorf("means kind %q has no name means_kind.%s in locales/", kind, kind)
		}
	}
}
