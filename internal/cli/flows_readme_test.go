package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// The section of README.md between these markers is generated from the
// embedded chains; a test fails when they disagree, and
// `go test ./internal/cli -run README -update` rewrites it.
const (
	readmeBegin = "<!-- chains:begin -->"
	readmeEnd   = "<!-- chains:end -->"
)

// chainsReadme returns the README section (without its markers) that
// describes every chain of cat in force at t: its title, id, a paragraph
// and the Mermaid graph that `vigie flows graph ID` prints.
func chainsReadme(cat *flows.Catalog, t time.Time) string {
	var b strings.Builder
	b.WriteString("The alert chains Vigie ships with are YAML files under `flows/builtin/` (format:\n" +
		"[`flows/README.md`](flows/README.md)), embedded in the binary. Each graph below is the output of\n" +
		"`vigie flows graph ID` for the version in force; steps marked `*` are not on the chain's source\n" +
		"chart and cite the outside reference they rest on. The national chains have no chart, so nothing\n" +
		"of theirs is marked: every step cites the text it rests on. This section is generated: after\n" +
		"editing a chain, run `go test ./internal/cli -run README -update`.\n\n" +
		"To explore the chains from a checkout:\n\n" +
		"```sh\n" +
		"go run ./bot/cmd/vigie flows list\n" +
		"go run ./bot/cmd/vigie flows show nouvelle-aquitaine/ose\n" +
		"go run ./bot/cmd/vigie flows graph nouvelle-aquitaine/ose\n" +
		"go run ./bot/cmd/vigie flows eval nouvelle-aquitaine/es-esms malicious=oui personal_data_breach=non\n" +
		"go run ./bot/cmd/vigie flows validate path/to/my-region/\n" +
		"```\n")
	for _, c := range cat.Chains(t) {
		fmt.Fprintf(&b, "\n### %s\n\n", c.Title.In(flows.FR))
		fmt.Fprintf(&b, "`%s` · version %s, in force since %s · source: %s", c.ID, c.Version, dayOf(c.Effective), c.Source.Document.FR)
		if ref := c.Source.Ref.FR; ref != "" {
			fmt.Fprintf(&b, " (%s)", ref)
		}
		b.WriteString(".\n\n")
		if d := c.Description.In(flows.FR); d != "" {
			b.WriteString(strings.Join(strings.Fields(d), " ") + "\n\n")
		}
		fmt.Fprintf(&b, "```mermaid\n%s```\n", flows.Mermaid(c, flows.FR))
	}
	return b.String()
}

// TestREADME checks that the chains section of README.md is what
// chainsReadme makes of the embedded chains in force today; -update
// rewrites it.
func TestREADME(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, readmeBegin), strings.Index(readme, readmeEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no %s … %s section", path, readmeBegin, readmeEnd)
	}
	got := strings.TrimPrefix(readme[i+len(readmeBegin):j], "\n")
	want := chainsReadme(mustCatalog(t), time.Now())
	if *update {
		readme = readme[:i+len(readmeBegin)] + "\n" + want + readme[j:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != want {
		t.Errorf("the chains section of %s is out of date (- README, + chains):\n%s\nRun `go test ./internal/cli -run README -update`.",
			path, lineDiff(got, want))
	}
}

// TestREADMEShowsGraphs checks that each graph in the section is what
// `vigie flows graph ID` prints.
func TestREADMEShowsGraphs(t *testing.T) {
	cat := mustCatalog(t)
	section := chainsReadme(cat, time.Now())
	for _, c := range cat.Chains(time.Now()) {
		graph := mustRun(t, "flows", "graph", c.ID)
		if !strings.Contains(section, "`"+c.ID+"`") || !strings.Contains(section, "```mermaid\n"+graph+"```\n") {
			t.Errorf("the section does not show %s with the output of vigie flows graph %s", c.ID, c.ID)
		}
	}
}
