package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// alterEntry rewrites the text of an entry of incident id in the file,
// keeping its stored hash, as someone with a bbolt tool could.
func alterEntry(t *testing.T, db, id string, seq uint64) {
	t.Helper()
	bdb, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("log")).Bucket([]byte(id))
		k := binary.BigEndian.AppendUint64(nil, seq)
		var rec struct {
			V     int            `json:"v"`
			Entry map[string]any `json:"entry"`
		}
		if err := json.Unmarshal(b.Get(k), &rec); err != nil {
			return err
		}
		rec.Entry["text"] = "rien à signaler"
		v, _ := json.Marshal(rec)
		return b.Put(k, v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBrokenChainAlarm: an entry altered inside the database is found when
// Vigie starts; the channel hears the alarm, a new note is refused, and
// vigie check names the incident.
func TestBrokenChainAlarm(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	at := time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)
	runConsoleScript(t, db, at, "ouvrir Test\nnote un\nnote deux\n")
	alterEntry(t, db, "2026-0001", 2)
	before, _ := os.ReadFile(db)

	var out, errs bytes.Buffer
	env := Env{Stdin: strings.NewReader("note trois\n"), Stdout: &out, Stderr: &errs,
		Getenv: func(k string) string { return map[string]string{"USER": "rssi"}[k] }}
	if code := Run(context.Background(), env, []string{"--db", db, "console", "--sweep", "0"}); code != ExitOK {
		t.Fatalf("console: exit %d: %s", code, errs.String())
	}
	for _, want := range []string{
		"Main courante de l'incident #2026-0001 endommagée (entry 2: hash does not match its content (altered?))",
		"⛔ La main courante de l'incident #2026-0001 est endommagée : rien n'a été enregistré.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the console lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errs.String(), "main courante broken") {
		t.Errorf("the operators' log lacks the alarm:\n%s", errs.String())
	}
	if strings.Count(out.String(), "Main courante de l'incident #2026-0001 endommagée") != 1 {
		t.Error("the alarm was raised more than once")
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Error("the database changed")
	}

	var cout, cerr bytes.Buffer
	code := Run(context.Background(), Env{Stdout: &cout, Stderr: &cerr, Getenv: func(string) string { return "" }}, []string{"--db", db, "check"})
	if code != ExitFailure || !strings.Contains(cout.String(), "BROKEN: incident 2026-0001: entry 2: hash does not match") ||
		!strings.Contains(cerr.String(), "1 of 1 main courantes are broken") {
		t.Fatalf("check: exit %d, stdout %q, stderr %q", code, cout.String(), cerr.String())
	}
}
