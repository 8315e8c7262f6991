package bot_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/vigie-sante/vigie/"

// ourImports maps each package of the module (relative path) to the
// packages of ours it imports, as go list reports them (tests left out).
func ourImports(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "../...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		path := strings.TrimPrefix(p.ImportPath, module)
		m[path] = []string{}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, module) {
				m[path] = append(m[path], strings.TrimPrefix(imp, module))
			}
		}
	}
	return m
}

// TestLayout holds the rooms to the direction of imports that bot/doc.go
// and the README draw: the domain at the bottom, the reports, drafts and
// guard above it, the conversation above those, adapters and storage
// implementing its interfaces, and only internal/cli wiring them.
func TestLayout(t *testing.T) {
	imports := ourImports(t)
	if len(imports) < 10 {
		t.Fatalf("go list found %d packages: run from bot/", len(imports))
	}
	under := func(p string, prefixes ...string) bool {
		return slices.ContainsFunc(prefixes, func(pre string) bool { return p == pre || strings.HasPrefix(p, pre+"/") })
	}
	// allowed lists, for each room, the only rooms of ours it may import.
	allowed := map[string][]string{
		"flows":              {},
		"flows/builtin":      {"flows"},
		"bot/incident":       {"flows"},
		"bot/i18n":           {"bot/incident", "flows"},
		"bot/i18n/i18ntest":  {"bot/i18n", "flows"},
		"bot/guard":          {"bot/i18n", "flows"},
		"bot/search":         {},
		"bot/draft":          {"bot/incident", "bot/i18n", "flows"},
		"bot/notice":         {"bot/incident", "bot/i18n", "flows"},
		"bot/report":         {"bot/incident", "bot/i18n", "bot/report/pdffont", "bot/report/pdfw", "flows"},
		"bot/report/pdffont": {},
		"bot/report/pdfw":    {},
		"internal/boltstore": {"bot/incident"},
		"internal/expiring":  {},
		"internal/config":    {},
		"internal/openloop":  {},
		"internal/gctune":    {},
	}
	for pkg, ok := range allowed {
		got, found := imports[pkg]
		if !found {
			t.Errorf("%s: no such package any more; update this test and the README's layout", pkg)
		}
		for _, imp := range got {
			if !slices.Contains(ok, imp) {
				t.Errorf("%s imports %s (allowed: %v)", pkg, imp, ok)
			}
		}
	}
	for pkg, got := range imports {
		for _, imp := range got {
			switch {
			case under(pkg, "adapters") && under(imp, "adapters"):
				t.Errorf("adapter %s imports adapter %s", pkg, imp)
			case pkg != "internal/cli" && pkg != "bot/cmd/vigie" && (under(imp, "adapters") || imp == "internal/boltstore" || imp == "internal/cli"):
				t.Errorf("%s imports %s: only internal/cli wires adapters and storage", pkg, imp)
			case under(pkg, "bot") && !under(pkg, "bot/cmd") && under(imp, "internal"):
				t.Errorf("%s imports %s: bot and its rooms do not reach into internal", pkg, imp)
			}
		}
	}
}
