package flows_test

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/flows"
)

// want is an error a bad fixture expects, read from its leading
// `# want: FILE:LINE: SUBSTRING` comments.
type want struct {
	file string
	line int
	msg  string
}

func (w want) String() string { return w.file + ":" + strconv.Itoa(w.line) + ": " + w.msg }

func parseWants(tb testing.TB, name string, data []byte) []want {
	tb.Helper()
	var ws []want
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "# want: ")
		if !ok {
			break
		}
		file, rest, ok1 := strings.Cut(rest, ":")
		line, msg, ok2 := strings.Cut(rest, ": ")
		n, err := strconv.Atoi(line)
		if !ok1 || !ok2 || err != nil {
			tb.Fatalf("%s: malformed want comment %q", name, sc.Text())
		}
		ws = append(ws, want{file: file, line: n, msg: msg})
	}
	if len(ws) == 0 {
		tb.Fatalf("%s: the first line must be `# want: FILE:LINE: SUBSTRING`", name)
	}
	return ws
}

// TestBadFixtures loads each file of testdata/bad beside the good fixtures
// (so that contacts resolve and chain ids can collide) and checks that
// Compile reports exactly the errors its want comments state, and no catalog.
func TestBadFixtures(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no bad fixtures: %v", err)
	}
	good := []flows.File{
		readFile(t, filepath.Join("testdata", "good", "contacts.yaml")),
		readFile(t, filepath.Join("testdata", "good", "minimal.yaml")),
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			bad := readFile(t, p)
			wants := parseWants(t, name, bad.Data)
			errs := compileErrors(t, append(good[:len(good):len(good)], bad)...)
			matched := make([]bool, len(errs))
			for _, w := range wants {
				found := false
				for i, e := range errs {
					if !matched[i] && e.File == w.file && e.Line == w.line && strings.Contains(e.Msg, w.msg) {
						matched[i], found = true, true
						break
					}
				}
				if !found {
					t.Errorf("missing error %s", w)
				}
			}
			for i, e := range errs {
				if !matched[i] {
					t.Errorf("unexpected error %s", e)
				}
			}
			// The printed form is what `vigie flows validate` shows.
			for _, e := range errs {
				if got, prefix := e.Error(), e.File+":"+strconv.Itoa(e.Line)+": "; e.Line > 0 && !strings.HasPrefix(got, prefix) {
					t.Errorf("Error() = %q, want prefix %q", got, prefix)
				}
			}
		})
	}
}
