package flows_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/flows"
)

// FuzzCompile feeds arbitrary bytes as a chain file beside a valid contacts
// file: Compile must not panic, and returns either a catalog of valid
// chains or Errors, never both nor neither.
//
//	go test -run '^$' -fuzz FuzzCompile -fuzztime 60s ./flows/
func FuzzCompile(f *testing.F) {
	for _, dir := range []string{"good", "bad", "region-occitanie"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	contacts := readFile(f, filepath.Join("testdata", "good", "contacts.yaml"))
	t0 := time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := flows.Compile([]flows.File{contacts, {Name: "fuzz.yaml", Data: data}})
		if (cat == nil) == (err == nil) {
			t.Fatalf("Compile returned catalog %v and error %v", cat, err)
		}
		if err != nil {
			var errs flows.Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %T %v is not a non-empty flows.Errors", err, err)
			}
			for _, e := range errs {
				if e.File != "fuzz.yaml" && e.File != contacts.Name || e.Line < 0 || e.Msg == "" {
					t.Fatalf("malformed error %+v", e)
				}
				if utf8.ValidString(string(data)) && !utf8.ValidString(e.Error()) {
					t.Fatalf("error is not valid UTF-8: %q", e.Error())
				}
			}
			return
		}
		// A valid chain evaluates and draws without trouble.
		for _, c := range cat.Chains(t0) {
			yes := map[string]flows.Answer{}
			for _, q := range c.Questions {
				yes[q.ID] = flows.Answer{Value: flows.Yes, At: t0.Add(time.Hour)}
			}
			for _, in := range []flows.Input{{T0: t0}, {T0: t0, Answers: yes, Features: map[string]bool{"nis2": true}}} {
				p := flows.Evaluate(c, in)
				for _, s := range p.Steps {
					if !s.Due.IsZero() && s.Due.Before(t0) {
						t.Fatalf("step %s due %v before T0", s.Step.ID, s.Due)
					}
				}
			}
			if m := flows.Mermaid(c, flows.FR); !strings.HasPrefix(m, "flowchart TD\n") {
				t.Fatalf("Mermaid: %q", m)
			}
			flows.DOT(c, flows.EN)
		}
	})
}

// FuzzParseDuration: ParseDuration never panics; what it accepts is
// non-negative, bounded, and written back by FormatDuration in a form it
// reads to the same value.
//
//	go test -run '^$' -fuzz FuzzParseDuration -fuzztime 30s ./flows/
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"", "15m", "72h", "1d12h", "1w", "3660d", "3661d", "20000w", "1h30", "9999999999999999999h", "0m", "1h1h1h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := flows.ParseDuration(s)
		if err != nil {
			if d != 0 || err.Error() == "" {
				t.Fatalf("ParseDuration(%q) = %v, %q", s, d, err)
			}
			return
		}
		if d < 0 || d > 3660*24*time.Hour {
			t.Fatalf("ParseDuration(%q) = %v: out of range", s, d)
		}
		back := flows.FormatDuration(d)
		if d2, err := flows.ParseDuration(back); err != nil || d2 != d {
			t.Fatalf("ParseDuration(%q) = %v; FormatDuration gives %q, which reads as %v, %v", s, d, back, d2, err)
		}
	})
}
