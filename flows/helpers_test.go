package flows_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// readFile reads a test file; its name in messages is its base name.
func readFile(tb testing.TB, path string) flows.File {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return flows.File{Name: filepath.Base(path), Data: data}
}

// goodFiles returns the valid fixtures of testdata/good, sorted by name.
func goodFiles(tb testing.TB) []flows.File {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "good", "*.yaml"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no good fixtures: %v", err)
	}
	files := make([]flows.File, len(paths))
	for i, p := range paths {
		files[i] = readFile(tb, p)
	}
	return files
}

// mustCompile compiles files and fails the test on any error.
func mustCompile(tb testing.TB, files ...flows.File) *flows.Catalog {
	tb.Helper()
	cat, err := compile(tb, files...)
	if err != nil {
		tb.Fatalf("Compile: %v", err)
	}
	if cat == nil {
		tb.Fatal("Compile returned neither a catalog nor an error")
	}
	return cat
}

// mustChain returns the only version of chain id in cat.
func mustChain(tb testing.TB, cat *flows.Catalog, id string) *flows.Chain {
	tb.Helper()
	vs := cat.Versions(id)
	if len(vs) != 1 {
		tb.Fatalf("chain %s: %d versions, want 1 (known: %v)", id, len(vs), cat.IDs())
	}
	return vs[0]
}

// goodChain compiles the good fixtures and returns chain id.
func goodChain(tb testing.TB, id string) *flows.Chain {
	tb.Helper()
	return mustChain(tb, mustCompile(tb, goodFiles(tb)...), id)
}

// compile calls flows.Compile and turns a panic into a test failure, so
// that one bad input does not hide the results of the others.
func compile(tb testing.TB, files ...flows.File) (cat *flows.Catalog, err error) {
	tb.Helper()
	defer func() {
		if r := recover(); r != nil {
			tb.Fatalf("Compile panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return flows.Compile(files)
}

// compileErrors compiles files and returns the Errors they must produce.
func compileErrors(tb testing.TB, files ...flows.File) flows.Errors {
	tb.Helper()
	cat, err := compile(tb, files...)
	if err == nil {
		tb.Fatal("Compile accepted invalid files")
	}
	if cat != nil {
		tb.Errorf("Compile returned a catalog along with errors")
	}
	var errs flows.Errors
	if !errors.As(err, &errs) {
		tb.Fatalf("Compile error is %T, want flows.Errors: %v", err, err)
	}
	return errs
}

// chainFile wraps the body of a chain (its questions and steps) in a valid
// header, so that a test states only what it is about.
func chainFile(name, body string) flows.File {
	head := `kind: chain
id: test/inline
version: "1"
effective: 2025-01-01
title: {fr: "Titre", en: "Title"}
source: {document: "test"}
end: {fr: "Fin", en: "End"}
`
	return flows.File{Name: name, Data: []byte(head + strings.TrimLeft(body, "\n"))}
}

// stepIDs lists the ids of the planned steps, in order.
func stepIDs(p flows.Plan) []string {
	ids := []string{}
	for _, s := range p.Steps {
		ids = append(ids, s.Step.ID)
	}
	return ids
}

// pendingIDs lists the ids of the waiting steps, in order.
func pendingIDs(p flows.Plan) []string {
	ids := []string{}
	for _, w := range p.Pending {
		ids = append(ids, w.Step.ID)
	}
	return ids
}

// questionIDs lists the ids of the questions to ask, in order.
func questionIDs(p flows.Plan) []string {
	ids := []string{}
	for _, q := range p.Questions {
		ids = append(ids, q.ID)
	}
	return ids
}

// planned returns the planned step id, failing the test when it is absent.
func planned(tb testing.TB, p flows.Plan, id string) flows.Planned {
	tb.Helper()
	for _, s := range p.Steps {
		if s.Step.ID == id {
			return s
		}
	}
	tb.Fatalf("step %s is not required; required: %v", id, stepIDs(p))
	return flows.Planned{}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// mustTime parses an RFC 3339 instant.
func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}
