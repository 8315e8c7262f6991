package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/cli"
	"github.com/vigie-sante/vigie/internal/storetest"
)

// runBackupCLI runs the command line in-process.
func runBackupCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
	code = cli.Run(context.Background(), env, args)
	return code, out.String(), errs.String()
}

// seedDB writes two incidents with a few entries to a new database.
func seedDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 28, 1, 10, 0, 0, time.UTC)
	for _, ch := range []string{"A", "B"} {
		inc, err := s.Create(context.Background(), storetest.NewIncident(ch, at), []incident.Entry{storetest.Entry(incident.KindOpened, "ouverture", at)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Update(context.Background(), inc.ID, func(*incident.Incident) ([]incident.Entry, error) {
			return []incident.Entry{storetest.Entry(incident.KindNote, "note "+ch, at)}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// dump is everything a database holds, as JSON.
func dump(t *testing.T, path string) string {
	t.Helper()
	s, err := boltstore.Open(path, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Errorf("%s: %v", path, err)
	}
	all, err := s.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, inc := range all {
		es := storetest.VerifyChain(t, s, inc.ID)
		j, _ := json.Marshal([]any{inc, es})
		b.Write(j)
	}
	return b.String()
}

func TestBackup(t *testing.T) {
	db := seedDB(t)
	out := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, stderr := runBackupCLI(t, "--db", db, "backup", out)
	if code != cli.ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("backup: %d bytes of %s → %s, checked: 2 incident(s), every main courante intact\n", fi.Size(), db, out); stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600: it holds incident data", fi.Mode().Perm())
	}
	want := dump(t, db)
	if got := dump(t, out); got != want || !strings.Contains(got, "2026-0002") {
		t.Errorf("backup holds\n%s\nwant\n%s", got, want)
	}

	// An existing FILE is kept unless --force, which may come after FILE.
	if err := os.WriteFile(out, []byte("older"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runBackupCLI(t, "--db", db, "backup", out)
	if code != cli.ExitUsage || !strings.Contains(stderr, "exists (use --force") {
		t.Errorf("existing FILE: exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "older" {
		t.Errorf("existing FILE was changed without --force")
	}
	for _, args := range [][]string{{"backup", "--force", out}, {"backup", out, "--force"}} {
		if code, _, stderr := runBackupCLI(t, append([]string{"--db", db}, args...)...); code != cli.ExitOK {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if got := dump(t, out); got != want {
			t.Errorf("%v: backup differs", args)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("temporary files left beside the backup: %v", entries)
	}
}

func TestBackupErrors(t *testing.T) {
	db := seedDB(t)
	out := filepath.Join(t.TempDir(), "copy.db")
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"missing FILE", []string{"--db", db, "backup"}, cli.ExitUsage, "missing FILE"},
		{"two files", []string{"--db", db, "backup", out, "other"}, cli.ExitUsage, `one FILE only, got also "other"`},
		{"bad flag", []string{"--db", db, "backup", "--frce", out}, cli.ExitUsage, "unknown flag: --frce"},
		{"no database", []string{"--db", filepath.Join(t.TempDir(), "none.db"), "backup", out}, cli.ExitFailure, "no database at"},
		{"no directory", []string{"--db", db, "backup", filepath.Join(t.TempDir(), "no", "copy.db")}, cli.ExitFailure, "backup to"},
	} {
		code, stdout, stderr := runBackupCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.name, code, stdout, stderr, tc.code, tc.msg)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed backup left FILE")
	}
}

// TestBackupFromAnOldVigie: a process holding the file without answering
// on the socket is named, with what to do.
func TestBackupFromAnOldVigie(t *testing.T) {
	db := seedDB(t)
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	code, _, stderr := runBackupCLI(t, "--db", db, "backup", filepath.Join(t.TempDir(), "copy.db"))
	if want := "database in use by another Vigie: " + db + ", which does not answer vigie backup"; code != cli.ExitFailure || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, want)
	}
}

// TestBackupWhileVigieRuns: vigie backup copies the database of a running
// console while people type in it; the copy is checked, holds what was
// acknowledged before it, and the console goes on.
func TestBackupWhileVigieRuns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	in, typing := io.Pipe()
	var out, errs bottest.Buffer
	done := make(chan int)
	go func() {
		env := cli.Env{Stdin: in, Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
		done <- cli.Run(context.Background(), env, []string{"--db", db, "console", "--sweep", "0", "--user", "rssi"})
	}()
	fmt.Fprintln(typing, "ouvrir Rançongiciel")
	for i := range 20 {
		fmt.Fprintf(typing, "note avant la copie %d\n", i)
	}
	// The console has answered every line typed so far when it answers this
	// one: the notes are stored.
	fmt.Fprintln(typing, "note témoin")
	for !strings.Contains(out.String(), "entrée 22") {
		runtime.Gosched()
	}
	copyFile := filepath.Join(t.TempDir(), "copy.db")
	writing := make(chan struct{})
	go func() {
		defer close(writing)
		for i := range 50 {
			fmt.Fprintf(typing, "note pendant la copie %d\n", i)
		}
	}()
	code, stdout, stderr := runBackupCLI(t, "--db", db, "backup", copyFile)
	<-writing
	typing.Close()
	if c := <-done; c != cli.ExitOK {
		t.Fatalf("console: exit %d: %s", c, errs.String())
	}
	if code != cli.ExitOK || !strings.Contains(stdout, "checked: 1 incident(s), every main courante intact") {
		t.Fatalf("backup: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	s, err := boltstore.Open(copyFile, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	es := storetest.VerifyChain(t, s, "2026-0001")
	if len(es) < 22 || es[21].Text != "témoin" {
		t.Fatalf("the copy holds %d entries, want at least the 22 acknowledged before it", len(es))
	}
	if !strings.Contains(out.String(), "entrée 72") {
		t.Errorf("the console did not record every note typed during the copy:\n%s", out.String())
	}
}
