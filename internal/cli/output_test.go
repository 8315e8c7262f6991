package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/internal/cli"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// TestOutputNeverReplacesVigieOwnFiles: export, stats, fiche and backup
// refuse to write over the database, the signing key or something that is
// not a plain file, and leave it as it was.
func TestOutputNeverReplacesVigieOwnFiles(t *testing.T) {
	db := exportDB(t)
	dir := filepath.Dir(db)
	if _, err := keyfile.Load(dir); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, keyfile.Name)
	before, _ := os.ReadFile(db)
	keyBefore, _ := os.ReadFile(key)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "2026-0001", "-o", db}, "is the database of this Vigie"},
		{[]string{"export", "2026-0001", "-o", key}, "is the signing key of this Vigie"},
		{[]string{"stats", "--year", "2026", "-o", db}, "is the database of this Vigie"},
		{[]string{"fiche", "-o", key}, "is the signing key of this Vigie"},
		{[]string{"backup", "--force", db}, "is the database of this Vigie"},
		{[]string{"backup", "--force", link}, "is a symbolic link"},
		{[]string{"export", "2026-0001", "-o", "/dev/null"}, "is a device"},
		{[]string{"export", "2026-0001", "-o", dir}, "is a directory"},
	} {
		code, _, errs := runVigie(t, "", append([]string{"--db", db}, tc.args...)...)
		if code != cli.ExitUsage || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "nothing was written") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Error("the database changed")
	}
	if after, _ := os.ReadFile(key); string(after) != string(keyBefore) {
		t.Error("the signing key changed")
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symbolic link was replaced")
	}
}

// TestExportNeedsTheDeploymentKey: a database copied without its signing
// key is not exported under a new key nobody could check.
func TestExportNeedsTheDeploymentKey(t *testing.T) {
	db := exportDB(t)
	copyDir := t.TempDir()
	b, _ := os.ReadFile(db)
	cp := filepath.Join(copyDir, "copy.db")
	os.WriteFile(cp, b, 0o600)
	code, out, errs := runVigie(t, "", "--db", cp, "export", "2026-0001")
	if code != cli.ExitFailure || out != "" || !strings.Contains(errs, "no signing key vigie-signing.key beside") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(copyDir, keyfile.Name)); err == nil {
		t.Fatal("export created a signing key beside the copy")
	}
}
