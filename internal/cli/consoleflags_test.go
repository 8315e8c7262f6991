package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/internal/cli"
)

// TestConsoleFlagsWithoutTheWord: vigie alone runs the console, so it
// takes the console's flags as `vigie console` does.
func TestConsoleFlagsWithoutTheWord(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	code, out, errs := runVigie(t, "ouvrir Panne\n", "--sweep", "0", "--flow", "nouvelle-aquitaine/es-esms", "--user", "dr-martin", "--db", db)
	if code != cli.ExitOK || !strings.Contains(out, "nouvelle-aquitaine/es-esms") || !strings.Contains(out, "@dr-martin") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}
