package metrics

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// The alert rules of alerts.yml and their promtool unit tests.
const (
	alertsFile     = "alerts.yml"
	alertsTestFile = "testdata/alerts_test.yml"
)

type alertRule struct {
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

func readAlertRules(t *testing.T) []alertRule {
	t.Helper()
	b, err := os.ReadFile(alertsFile)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Groups []struct {
			Name  string      `yaml:"name"`
			Rules []alertRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.UnmarshalWithOptions(b, &f, yaml.Strict()); err != nil {
		t.Fatalf("%s: %v", alertsFile, err)
	}
	var rules []alertRule
	for _, g := range f.Groups {
		rules = append(rules, g.Rules...)
	}
	if len(rules) == 0 {
		t.Fatalf("%s: no rules", alertsFile)
	}
	return rules
}

var (
	familyRef  = regexp.MustCompile(`\bvigie_[a-z_]+`)
	matcherRef = regexp.MustCompile(`\b([a-z_]+)="([^"]*)"`)
)

// TestAlertRulesRead: each rule is worth paging someone: it waits (for:),
// says how bad (severity) and what to do, in French then English; it
// reads only series Vigie exports from its start (so it can be evaluated
// on day one), and promtool's tests hold a case where it fires and one
// where it does not.
func TestAlertRulesRead(t *testing.T) {
	start := scrape(newTestMetrics())
	exported := families(start)
	atStart := series(start)
	tests, err := os.ReadFile(alertsTestFile)
	if err != nil {
		t.Fatal(err)
	}
	var cases struct {
		Tests []struct {
			Name  string `yaml:"name"`
			Cases []struct {
				Alertname string `yaml:"alertname"`
				ExpAlerts []any  `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	if err := yaml.Unmarshal(tests, &cases); err != nil {
		t.Fatalf("%s: %v", alertsTestFile, err)
	}
	fires, holds := map[string]bool{}, map[string]bool{}
	for _, tc := range cases.Tests {
		for _, c := range tc.Cases {
			if len(c.ExpAlerts) > 0 {
				fires[c.Alertname] = true
			} else {
				holds[c.Alertname] = true
			}
		}
	}
	for _, r := range readAlertRules(t) {
		if r.For == "" {
			t.Errorf("%s: no for: one scrape would page", r.Alert)
		}
		if s := r.Labels["severity"]; s != "critical" && s != "warning" {
			t.Errorf("%s: severity %q, want critical or warning", r.Alert, s)
		}
		for _, k := range []string{"summary", "description"} {
			if fr, en, ok := strings.Cut(r.Annotations[k], " — "); !ok || fr == "" || en == "" {
				t.Errorf("%s: %s is not French — English: %q", r.Alert, k, r.Annotations[k])
			}
		}
		for _, f := range familyRef.FindAllString(r.Expr, -1) {
			base := f
			for _, suffix := range []string{"_bucket", "_count", "_sum"} {
				base = strings.TrimSuffix(base, suffix)
			}
			if !slices.Contains(exported, base) {
				t.Errorf("%s: reads %s, which Vigie does not export at start", r.Alert, f)
			}
			for _, m := range matcherRef.FindAllStringSubmatch(r.Expr, -1) {
				found := false
				for s := range atStart {
					found = found || strings.HasPrefix(s, f+"{") && strings.Contains(s, m[0])
				}
				if !found {
					t.Errorf("%s: %s{%s}: no such series at start", r.Alert, f, m[0])
				}
			}
		}
		if !fires[r.Alert] || !holds[r.Alert] {
			t.Errorf("%s: %s lacks a case where it fires (%v) or one where it does not (%v)", r.Alert, alertsTestFile, fires[r.Alert], holds[r.Alert])
		}
	}
}

// TestAlertRulesDocumented: the README lists each alert with its
// expression as alerts.yml has it.
func TestAlertRulesDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range readAlertRules(t) {
		if !bytes.Contains(readme, []byte("| `"+r.Alert+"` | `"+r.Expr+"`")) {
			t.Errorf("README: no row | `%s` | `%s`", r.Alert, r.Expr)
		}
	}
}

// TestAlertRules: promtool loads the rules and its unit tests pass: each
// alert fires on a recorded series, and not on one that should not page.
// Without promtool (Debian's prometheus package) the test skips, unless
// CI=true.
func TestAlertRules(t *testing.T) {
	bin, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool is missing: CI must install it (Debian's prometheus package; see .ci/run)")
		}
		t.Skip("promtool is missing (apt-get install prometheus): the alert rules are not loaded")
	}
	for _, argv := range [][]string{{"check", "rules", alertsFile}, {"test", "rules", alertsTestFile}} {
		out, err := exec.Command(bin, argv...).CombinedOutput()
		t.Logf("promtool %s:\n%s", strings.Join(argv, " "), out)
		if err != nil {
			t.Errorf("promtool %s: %v", strings.Join(argv, " "), err)
		}
	}
}
