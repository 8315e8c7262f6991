package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/cli"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// runVigie runs the command line in-process with stdin.
func runVigie(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	state := t.TempDir() // hermetic: never the state directory of whoever runs the tests
	env := cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errs, Getenv: func(k string) string {
		if k == "XDG_STATE_HOME" {
			return state
		}
		return ""
	}}
	code = cli.Run(context.Background(), env, args)
	return code, out.String(), errs.String()
}

// exportDB creates a database holding incident 2026-0001 with a main
// courante of 4 entries, and returns its path.
func exportDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := keyfile.Load(filepath.Dir(db)); err != nil { // as the first console or serve does
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2026, 3, 28, 1, 10, 0, 0, time.UTC)
	rssi := incident.User{ID: "u1", Name: "rssi"}
	inc, err := s.Create(ctx, &incident.Incident{Title: "Rançongiciel sur le PACS", T0: at, OpenedBy: rssi, OpenedAt: at, Channel: "crise"},
		[]incident.Entry{
			{Time: at, Actor: "@rssi", Kind: incident.KindOpened, Text: "Incident ouvert",
				Data: map[string]string{"title": "Rançongiciel sur le PACS", "t0": at.Format(time.RFC3339)}},
			{Time: at.Add(time.Minute), Actor: "@rssi", Kind: incident.KindAnswer, Text: "Malveillant : oui", Data: map[string]string{"key": "malicious", "value": "yes"}},
		})
	if err != nil {
		t.Fatal(err)
	}
	if inc.ID != "2026-0001" {
		t.Fatalf("created %s, want 2026-0001", inc.ID)
	}
	_, err = s.Update(ctx, inc.ID, func(*incident.Incident) ([]incident.Entry, error) {
		return []incident.Entry{
			{Time: at.Add(2 * time.Minute), Actor: "@dg", Kind: incident.KindNote, Text: "a | b\r\nsuite, \"citée\""},
			{Time: at.Add(3 * time.Minute), Actor: "@rssi", Kind: incident.KindDone, Text: "CERT Santé : fait", Data: map[string]string{"ref": "CS-1234"}},
		}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// signingKey is the key export created beside db.
func signingKey(t *testing.T, db string) ed25519.PrivateKey {
	t.Helper()
	key, err := keyfile.Load(filepath.Dir(db))
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestExportVerifies(t *testing.T) {
	db := exportDB(t)
	for _, format := range []string{"json", "csv"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := runVigie(t, "", "--db", db, "export", "2026-0001", "--format", format)
			if code != cli.ExitOK {
				t.Fatalf("export: exit %d: %s", code, errs)
			}
			file := filepath.Join(t.TempDir(), "export."+format)
			if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
				t.Fatal(err)
			}
			code, got, errs := runVigie(t, "", "verify", file)
			fp := keyfile.Fingerprint(signingKey(t, db).Public().(ed25519.PublicKey))
			want := "OK: incident 2026-0001, 4 entries, head #4 "
			first, _, _ := strings.Cut(got, "\n")
			if code != cli.ExitOK || !strings.HasPrefix(first, want) || !strings.HasSuffix(first, ", signed by "+fp) {
				t.Fatalf("verify: exit %d, stdout %q, stderr %q; want %q…%s", code, got, errs, want, fp)
			}
		})
	}
}

func TestExportMarkdownStdout(t *testing.T) {
	db := exportDB(t)
	code, out, errs := runVigie(t, "", "--db", db, "export", "#2026-0001") // as the chat writes it; md by default
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"# Main courante — incident 2026-0001", "a \\| b<br>suite", "« vigie verify 2026-0001.json --key EMPREINTE »"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestExportToFile(t *testing.T) {
	db := exportDB(t)
	file := filepath.Join(t.TempDir(), "courante.csv")
	if err := os.WriteFile(file, []byte("older export"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Flags before the ID; the format comes from the extension.
	code, out, errs := runVigie(t, "", "--db", db, "export", "-o", file, "2026-0001")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "export: incident 2026-0001, 4 entries, head #4 ") || !strings.HasSuffix(out, " → "+file+"\n") {
		t.Errorf("stdout = %q", out)
	}
	b, err := os.ReadFile(file)
	if err != nil || !bytes.HasPrefix(b, []byte("#format,vigie-main-courante,2\n")) {
		t.Fatalf("file is not a CSV export (%v):\n%s", err, b)
	}
	if fi, _ := os.Stat(file); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("export file has mode %#o, want 0600", fi.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if code, _, errs := runVigie(t, "", "verify", file); code != cli.ExitOK {
		t.Errorf("verify: exit %d: %s", code, errs)
	}
}

func TestExportErrors(t *testing.T) {
	db := exportDB(t)
	noDir := filepath.Join(t.TempDir(), "no")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no ID", []string{"export"}, cli.ExitUsage, "missing incident ID"},
		{"two IDs", []string{"export", "2026-0001", "2026-0002"}, cli.ExitUsage, `one ID only, got also "2026-0002"`},
		{"unknown format", []string{"export", "2026-0001", "--format", "xls"}, cli.ExitUsage, `unknown --format "xls" (accepted: md, csv, json, pdf)`},
		{"unknown flag", []string{"export", "2026-0001", "--sign"}, cli.ExitUsage, "usage: vigie export ID"},
		{"unknown incident", []string{"export", "2026-0099"}, cli.ExitFailure, `no incident "2026-0099" in ` + db + `; it holds 1: 2026-0001 « Rançongiciel sur le PACS »`},
		{"no database", []string{"--db", filepath.Join(t.TempDir(), "none.db"), "export", "2026-0001"}, cli.ExitFailure, "no database at"},
		{"no such directory", []string{"export", "2026-0001", "-o", filepath.Join(noDir, "x.json")}, cli.ExitFailure,
			"export to " + filepath.Join(noDir, "x.json") + ": no directory " + noDir + " (nothing was written)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if args[0] != "--db" {
				args = append([]string{"--db", db}, args...)
			}
			code, _, errs := runVigie(t, "", args...)
			if code != tt.code || !strings.Contains(errs, tt.want) || !strings.HasPrefix(errs, "vigie export: ") || strings.Contains(errs, ".tmp-") {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.want)
			}
		})
	}
}

// TestExportWhileInUse: a running Vigie holds the database; export says so
// and where else to export from, after the lock timeout.
func TestExportWhileInUse(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the lock timeout")
	}
	db := exportDB(t)
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	code, _, errs := runVigie(t, "", "--db", db, "export", "2026-0001")
	if code != cli.ExitFailure || !strings.Contains(errs, "in use") || !strings.Contains(errs, "/incident exporter") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// TestExportReportChainAndOrg: vigie export reads the incident's chain from
// the embedded catalog (the obligations with their deadlines) and names
// the structure from VIGIE_ORG_*, as the drafts do.
func TestExportReportChainAndOrg(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keyfile.Load(filepath.Dir(db)); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 28, 1, 10, 0, 0, time.UTC)
	rssi := incident.User{ID: "u1", Name: "rssi"}
	chain, version := "nouvelle-aquitaine/es-esms", "2025-03.1"
	_, err = s.Create(context.Background(), &incident.Incident{Title: "Rançongiciel", Chain: chain, Version: version, T0: at,
		OpenedBy: rssi, OpenedAt: at, Channel: "crise", Status: incident.StatusOpen}, []incident.Entry{
		{Time: at, Actor: "@rssi", Kind: incident.KindOpened, Text: "Incident ouvert",
			Data: map[string]string{"title": "Rançongiciel", "t0": at.Format(time.RFC3339), "chain": chain, "version": version}},
		{Time: at.Add(time.Minute), Actor: "@rssi", Kind: incident.KindAnswer, Text: "Violation : oui",
			Data: map[string]string{"key": "personal_data_breach", "value": "yes"}},
		{Time: at.Add(76 * time.Hour), Actor: "@dpo", Kind: incident.KindDone, Text: "CNIL : fait",
			Data: map[string]string{"step": "cnil", "means": "portail", "declared_at": at.Add(75 * time.Hour).Format(time.RFC3339)}},
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	env := cli.Env{Stdout: &out, Stderr: &errs, Getenv: func(k string) string {
		return map[string]string{"VIGIE_ORG_NAME": "Centre hospitalier de l'Exemple", "VIGIE_ORG_FINESS": "330000000"}[k]
	}}
	if code := cli.Run(context.Background(), env, []string{"--db", db, "export", "2026-0001", "--format", "md"}); code != cli.ExitOK {
		t.Fatalf("export: exit %d: %s", code, errs.String())
	}
	for _, want := range []string{
		"| Nom (raison sociale) | Centre hospitalier de l'Exemple |", "| FINESS | 330000000 |",
		"| 12. Notifier la violation à la CNIL | T0 + 72 h | 31/03/2026 03:10:00 CEST | 31/03/2026 06:10:00 CEST (T0 + 3 j 3 h 00) | en retard de 3 h 00 |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("export lacks %q:\n%s", want, out.String())
		}
	}
}
