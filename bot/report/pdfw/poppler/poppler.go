// Package poppler reads PDFs back in tests with the poppler tools
// (pdftotext, pdfinfo, pdffonts, pdftoppm), as a reader's program would:
// what Vigie writes must read in them without a complaint. The tools come
// with poppler-utils, which .ci/run installs: under CI=true a missing tool
// fails the test, elsewhere it skips it.
//
// It imports nothing of ours, so that the PDF writer's own tests use it.
package poppler

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Run runs tool with args on pdf, written to a file given after args
// (pdftotext then writes to stdout), and returns what it printed. A tool
// that fails or says anything on stderr ("Syntax Error…") fails the test.
func Run(t testing.TB, pdf []byte, tool string, args ...string) string {
	t.Helper()
	argv := append(append([]string{}, args...), file(t, pdf))
	if tool == "pdftotext" {
		argv = append(argv, "-")
	}
	return run(t, tool, argv)
}

// PNG renders pdf with pdftoppm and args (-png is implied) to out.png and
// returns that path: out is the file's path without its extension, as
// pdftoppm -singlefile takes it.
func PNG(t testing.TB, pdf []byte, out string, args ...string) string {
	t.Helper()
	argv := append(append([]string{"-png", "-singlefile"}, args...), file(t, pdf), out)
	run(t, "pdftoppm", argv)
	return out + ".png"
}

func file(t testing.TB, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func run(t testing.TB, tool string, argv []string) string {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: CI must install poppler-utils (see .ci/run)", tool)
		}
		t.Skipf("%s is missing (apt-get install poppler-utils): the PDF is not read back", tool)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, argv...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("%s: %v\n%s", tool, err, stderr.String())
	}
	return stdout.String()
}
