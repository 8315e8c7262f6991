package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/cli"
)

// internalNote matches the project's internal notes: the tags and section
// numbers of docs/domain.md ([EXT S8], [PROP], (S9), domain.md §4 C), the
// seed files, and the names of the other internal documents. None of them
// ships with Vigie, so none may reach a user: a source shown to a reader
// must be one the reader can open.
var internalNote = regexp.MustCompile(`domain\.md|hors domain|\[PROP\]|\[EXT\b|\[(SEED|NAT|NA)\]|\(S\d+(, ?S\d+)*\)|seeds/|audit-2026|design\.md|style\.md|review-ux`)

// noteFinder collects the internal notes found in what users see.
type noteFinder struct {
	t     *testing.T
	found int
}

// scan reports every line of text, the output named where, that holds an
// internal note.
func (f *noteFinder) scan(where, text string) {
	f.t.Helper()
	if strings.TrimSpace(text) == "" {
		f.t.Errorf("%s: empty output, nothing was scanned", where)
		return
	}
	n := 0
	for i, line := range strings.Split(text, "\n") {
		m := internalNote.FindString(line)
		if m == "" {
			continue
		}
		f.found++
		if n++; n <= 5 {
			f.t.Errorf("%s, line %d: internal note %q in %q", where, i+1, m, strings.TrimSpace(line))
		}
	}
	if n > 5 {
		f.t.Errorf("%s: %d more lines with internal notes", where, n-5)
	}
}

// scanRun runs the command line in a fresh state directory and returns
// what it printed on both streams; it fails the test unless the command
// succeeds.
func scanRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	state := t.TempDir() // hermetic: never the state directory of whoever runs the tests
	env := cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errs, Getenv: func(k string) string {
		return map[string]string{"XDG_STATE_HOME": state, "USER": "rssi"}[k]
	}}
	if code := cli.Run(context.Background(), env, args); code != cli.ExitOK {
		t.Fatalf("vigie %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out.String(), errs.String())
	}
	return out.String() + errs.String()
}

// TestNoInternalNotesInChainFiles reads every value of every built-in chain
// and contacts file (sources, notes, help, labels, everything a screen, the
// reflex sheet or `flows show` may print) and fails on each internal note,
// naming its file, line and field. Comments are not values: internal notes
// may stay there, since the loader never passes them on.
func TestNoInternalNotesInChainFiles(t *testing.T) {
	files, err := flows.ReadFS(builtin.FS())
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no built-in chain files")
	}
	values := 0
	for _, file := range files {
		f, err := parser.ParseBytes(file.Data, 0) // without parser.ParseComments: comments are not values
		if err != nil {
			t.Fatalf("%s: %v", file.Name, err)
		}
		for _, doc := range f.Docs {
			ast.Walk(visitFunc(func(n ast.Node) {
				var s string
				switch v := n.(type) {
				case *ast.StringNode:
					s = v.Value
				case *ast.LiteralNode:
					s = v.Value.Value
				default:
					return
				}
				values++
				if m := internalNote.FindString(s); m != "" {
					t.Errorf("%s:%d: %s: internal note %q in %q", file.Name, n.GetToken().Position.Line, n.GetPath(), m, s)
				}
			}), doc)
		}
	}
	if values < 500 {
		t.Fatalf("only %d values read: the walk misses the files' contents", values)
	}
}

type visitFunc func(ast.Node)

func (v visitFunc) Visit(n ast.Node) ast.Visitor {
	v(n)
	return v
}

// TestNoInternalNotesReachUsers runs what users see for every built-in
// chain, in French and in English, and fails on each internal note it
// prints: `flows list`, `flows show` of every version, `flows eval` and
// `flows graph`, the reflex sheet in Markdown and PDF, and a console session
// per chain (the structure picker, the card and checklist with every
// question answered, status, help, drafts) followed by the exports of its
// incident in Markdown and PDF.
func TestNoInternalNotesReachUsers(t *testing.T) {
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	f := &noteFinder{t: t}
	for _, lang := range []string{"fr", "en"} {
		l := []string{"--lang", lang}
		f.scan(lang+": flows list", scanRun(t, "", append(l, "flows", "list")...))
		f.scan(lang+": fiche --nis2", scanRun(t, "", append(l, "fiche", "--nis2")...))
		pdf := filepath.Join(t.TempDir(), "fiche.pdf")
		scanRun(t, "", append(l, "fiche", "--nis2", "-o", pdf)...)
		f.scan(lang+": fiche --nis2 (PDF)", pdfText(t, pdf))
		for _, id := range cat.IDs() {
			for _, c := range cat.Versions(id) {
				f.scan(lang+": flows show "+id+" --version "+c.Version,
					scanRun(t, "", append(l, "flows", "show", id, "--version", c.Version)...))
				f.scan(lang+": flows graph "+id+" --version "+c.Version,
					scanRun(t, "", append(l, "flows", "graph", id, "--version", c.Version)...))
				for _, answer := range []flows.Value{flows.Yes, flows.No} {
					args := append(l, "flows", "eval", id, "--version", c.Version, "--feature", "nis2", "--t0", "2026-03-28T10:00:00+01:00")
					for _, q := range c.Questions {
						args = append(args, q.ID+"="+string(answer))
					}
					f.scan(lang+": flows eval "+id+" "+string(answer), scanRun(t, "", args...))
					f.scan(lang+": flows eval "+id+" "+string(answer)+" --format json", scanRun(t, "", append(args, "--format", "json")...))
				}
			}
		}
		for _, c := range cat.Chains(time.Now()) {
			scanConsole(t, f, lang, c)
		}
	}
	if f.found > 0 {
		t.Logf("%d internal notes reach users: replace each with the public reference it stands for (see flows/README.md, source)", f.found)
	}
}

// scanConsole opens an incident in the console without a chain (the
// structure picker), pins c, answers every question yes, asks for status,
// help and each draft, then exports the incident in Markdown and PDF.
func scanConsole(t *testing.T, f *noteFinder, lang string, c *flows.Chain) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "vigie.db")
	words := map[string][]string{
		"fr": {"ouvrir Incident de test", "chaine", "repondre", "oui", "statut", "aide", "brouillon"},
		"en": {"open Test incident", "chain", "answer", "yes", "status", "help", "draft"},
	}[lang]
	var script strings.Builder
	script.WriteString(words[0] + "\n")
	script.WriteString(words[1] + " " + c.ID + "\n")
	for _, q := range c.Questions {
		script.WriteString(words[2] + " " + q.ID + " " + words[3] + "\n")
	}
	script.WriteString(words[4] + "\n" + words[5] + "\n")
	for _, d := range []string{"cert-sante", "cnil", "anssi"} {
		script.WriteString(words[6] + " " + d + "\n")
	}
	where := lang + ": console, " + c.ID
	f.scan(where, scanRun(t, script.String(), "--db", db, "--lang", lang, "console", "--nis2", "--sweep", "0"))
	f.scan(where+", export md", scanRun(t, "", "--db", db, "--lang", lang, "export", "2026-0001", "--format", "md"))
	pdf := filepath.Join(t.TempDir(), "export.pdf")
	scanRun(t, "", "--db", db, "--lang", lang, "export", "2026-0001", "-o", pdf)
	f.scan(where+", export pdf", pdfText(t, pdf))
}

// pdfText is the text of the PDF at path as pdftotext reads it back.
// Without pdftotext (outside CI) the PDF is not scanned, but the rest is:
// bottest.PDFText would skip the whole test.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil && os.Getenv("CI") != "true" {
		t.Logf("pdftotext is missing (apt-get install poppler-utils): %s is not scanned", filepath.Base(path))
		return "(not read)"
	}
	return bottest.PDFText(t, data)
}
