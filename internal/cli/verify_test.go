package cli_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/internal/cli"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// exportFile exports incident 2026-0001 of a new database in format and
// returns the database and the file.
func exportFile(t *testing.T, format string) (db, file string) {
	t.Helper()
	db = exportDB(t)
	file = filepath.Join(t.TempDir(), "courante."+format)
	if code, _, errs := runVigie(t, "", "--db", db, "export", "2026-0001", "-o", file); code != cli.ExitOK {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	return db, file
}

func TestVerifyAltered(t *testing.T) {
	_, jsonFile := exportFile(t, "json")
	_, csvFile := exportFile(t, "csv")
	js, _ := os.ReadFile(jsonFile)
	cs, _ := os.ReadFile(csvFile)
	tests := []struct {
		name, in, want string
	}{
		{"json text altered", strings.Replace(string(js), "CERT Santé : fait", "CERT Santé : pas fait", 1), "vigie verify: entry 4: hash does not match its content (altered?)\n"},
		{"json entry removed", removeJSONEntry(t, string(js), 2), "vigie verify: entry 2: expected seq 2, found 3 (removed or reordered?)\n"},
		{"csv actor altered", strings.Replace(string(cs), "'@dg", "'@rssi", 1), "vigie verify: entry 3: hash does not match its content (altered?)\n"},
		{"csv rows swapped", swapLines(string(cs), "\n2,", "\n3,"), "vigie verify: entry 2: expected seq 2, found 3 (removed or reordered?)\n"},
		{"csv last row removed", dropLine(string(cs), "\n4,"), "vigie verify: head: last entry is #3 but the signed head is #4 (entries removed at the end?)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "altered")
			if err := os.WriteFile(file, []byte(tt.in), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runVigie(t, "", "verify", file)
			if code != cli.ExitFailure || errs != tt.want || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errs, tt.want)
			}
		})
	}
}

func TestVerifyKey(t *testing.T) {
	db, file := exportFile(t, "json")
	keyPath := filepath.Join(filepath.Dir(db), keyfile.Name)
	key, err := keyfile.Load(filepath.Dir(db))
	if err != nil {
		t.Fatal(err)
	}
	pub := key.Public().(ed25519.PublicKey)
	other := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	otherFile := filepath.Join(t.TempDir(), "other.pub")
	if err := os.WriteFile(otherFile, []byte(base64.StdEncoding.EncodeToString(other)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  string
		code int
		want string // in stdout when OK, in stderr otherwise
	}{
		{"base64", base64.StdEncoding.EncodeToString(pub), cli.ExitOK, "OK: incident 2026-0001"},
		{"the signing key file", keyPath, cli.ExitOK, "OK: incident 2026-0001"},
		{"fingerprint", keyfile.Fingerprint(pub), cli.ExitOK, "OK: incident 2026-0001"},
		{"other key", base64.StdEncoding.EncodeToString(other), cli.ExitFailure,
			"vigie verify: head: signed by " + keyfile.Fingerprint(pub) + ", not by the expected key " + keyfile.Fingerprint(other)},
		{"other key file", otherFile, cli.ExitFailure, "not by the expected key"},
		{"other fingerprint", keyfile.Fingerprint(other), cli.ExitFailure, "not by the expected key " + keyfile.Fingerprint(other)},
		{"not a key", "hello", cli.ExitUsage, `vigie verify: bad --key: "hello" is neither a readable file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runVigie(t, "", "verify", "--key", tt.key, file) // flags before FILE
			got := errs
			if tt.code == cli.ExitOK {
				got = out
			}
			if code != tt.code || !strings.Contains(got, tt.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errs, tt.code, tt.want)
			}
		})
	}
}

func TestVerifyStdin(t *testing.T) {
	_, file := exportFile(t, "csv")
	b, _ := os.ReadFile(file)
	code, out, errs := runVigie(t, string(b), "verify", "-")
	if code != cli.ExitOK || !strings.HasPrefix(out, "OK: incident 2026-0001, 4 entries, head #4 ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestVerifyUsage(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("bonjour\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	md := filepath.Join(dir, "courante.md")
	db := exportDB(t)
	if code, _, errs := runVigie(t, "", "--db", db, "export", "2026-0001", "-o", md); code != cli.ExitOK {
		t.Fatal(errs)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"verify"}, "vigie verify: missing FILE"},
		{"two files", []string{"verify", text, md}, "one FILE only"},
		{"missing file", []string{"verify", filepath.Join(dir, "none.json")}, "cannot read " + filepath.Join(dir, "none.json")},
		{"directory", []string{"verify", dir}, "accepted: a .json or .csv file written by vigie export"},
		{"text file", []string{"verify", text}, "not a vigie export (accepted: the .json or .csv file written by vigie export)"},
		{"markdown report", []string{"verify", md}, "not a vigie export"},
		{"unknown flag", []string{"verify", text, "--pin", "x"}, "usage: vigie verify FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runVigie(t, "", tt.args...)
			if code != cli.ExitUsage || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", code, errs, tt.want)
			}
		})
	}
}

// removeJSONEntry drops entry seq from an indented JSON export, as someone
// editing the file by hand would.
func removeJSONEntry(t *testing.T, js string, seq int) string {
	t.Helper()
	at := strings.Index(js, fmt.Sprintf("\"seq\": %d,", seq))
	if at < 0 {
		t.Fatalf("cannot find entry %d", seq)
	}
	start := strings.LastIndex(js[:at], "\n    {")
	end := start + strings.Index(js[start:], "\n    },") + len("\n    },")
	return js[:start] + js[end:]
}

// lineAt returns the bounds of the CSV line starting after marker's "\n".
func lineAt(s, marker string) (start, end int) {
	start = strings.Index(s, marker) + 1
	end = start + strings.IndexByte(s[start:], '\n') + 1
	return start, end
}

func dropLine(s, marker string) string {
	start, end := lineAt(s, marker)
	return s[:start] + s[end:]
}

func swapLines(s, m1, m2 string) string {
	s1, e1 := lineAt(s, m1)
	s2, e2 := lineAt(s, m2)
	return s[:s1] + s[s2:e2] + s[e1:s2] + s[s1:e1] + s[e2:]
}

// TestVerifyHeaderEdited: moving T0 in an export's header, which drives
// every legal deadline, is caught and named.
func TestVerifyHeaderEdited(t *testing.T) {
	_, file := exportFile(t, "json")
	js, _ := os.ReadFile(file)
	var doc struct{ Incident struct{ T0 string } }
	if err := json.Unmarshal(js, &doc); err != nil || doc.Incident.T0 == "" {
		t.Fatalf("no t0 in the export: %v", err)
	}
	edited := strings.Replace(string(js), `"t0": "`+doc.Incident.T0+`"`, `"t0": "2026-01-01T00:00:00Z"`, 1)
	if edited == string(js) {
		t.Fatal("the edit did not apply")
	}
	altered := filepath.Join(t.TempDir(), "altered.json")
	if err := os.WriteFile(altered, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runVigie(t, "", "verify", altered)
	if code != cli.ExitFailure || out != "" || !strings.Contains(errs, `vigie verify: header: t0 is "2026-01-01T00:00:00Z" but entry 1 says`) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 naming the header's t0", code, out, errs)
	}
}

// TestVerifySaysWhatItDidNotCheck: without a trusted key, OK says that who
// signed was not checked; with one, it does not.
func TestVerifySaysWhatItDidNotCheck(t *testing.T) {
	db, file := exportFile(t, "json")
	key, err := keyfile.Load(filepath.Dir(db))
	if err != nil {
		t.Fatal(err)
	}
	fp := keyfile.Fingerprint(key.Public().(ed25519.PublicKey))
	_, out, _ := runVigie(t, "", "verify", file)
	if !strings.Contains(out, "Not checked: who signed") || !strings.Contains(out, "--key "+fp) {
		t.Errorf("verify without --key does not say the signer was not checked:\n%s", out)
	}
	for _, k := range []string{fp, filepath.Join(filepath.Dir(db), keyfile.Name)} {
		if _, out, _ := runVigie(t, "", "verify", file, "--key", k); strings.Contains(out, "Not checked") || !strings.HasPrefix(out, "OK:") {
			t.Errorf("verify --key %s:\n%s", k, out)
		}
	}
}

// TestKey: vigie key prints the key exports are signed with, in the forms
// verify --key accepts.
func TestKey(t *testing.T) {
	db, file := exportFile(t, "json")
	key, err := keyfile.Load(filepath.Dir(db))
	if err != nil {
		t.Fatal(err)
	}
	pub := key.Public().(ed25519.PublicKey)
	code, out, errs := runVigie(t, "", "--db", db, "key")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Fingerprint: " + keyfile.Fingerprint(pub), base64.StdEncoding.EncodeToString(pub), "-----BEGIN PUBLIC KEY-----"} {
		if !strings.Contains(out, want) {
			t.Errorf("vigie key lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "created now") {
		t.Error("vigie key says it created the key that exists")
	}
	// The PEM it prints is a key verify accepts.
	pemFile := filepath.Join(t.TempDir(), "vigie.pub")
	if err := os.WriteFile(pemFile, []byte(out[strings.Index(out, "-----BEGIN"):]), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runVigie(t, "", "verify", file, "--key", pemFile); code != cli.ExitOK {
		t.Fatalf("verify --key with the printed PEM: exit %d: %s", code, errs)
	}
	if code, _, errs := runVigie(t, "", "--db", db, "key", "extra"); code != cli.ExitUsage || !strings.Contains(errs, "usage: vigie key") {
		t.Fatalf("vigie key extra: exit %d, %q", code, errs)
	}
}
