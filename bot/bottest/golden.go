package bottest

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

// Golden compares got with the golden file at path. With -update, which
// the calling test package defines (flag.Bool("update", …)), it first
// rewrites the file: review the diff before committing it.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update and review the diff):\n%s", path, got)
	}
}
