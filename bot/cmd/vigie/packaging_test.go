package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// root is the repository, from this package's directory.
var root = filepath.Join("..", "..", "..")

func readRoot(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDockerfile: every image is named in full, registry first, since a
// daemonless builder (buildah, kaniko) has no default registry; the image
// carries the OCI labels that say where it comes from and under what
// licence, and the licence itself.
func TestDockerfile(t *testing.T) {
	df := readRoot(t, "Dockerfile")
	from := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(from) < 2 {
		t.Fatalf("%d FROM lines", len(from))
	}
	for _, m := range from {
		registry, _, ok := strings.Cut(m[1], "/")
		if !ok || !strings.ContainsAny(registry, ".:") {
			t.Errorf("FROM %s: not a fully qualified name (registry/namespace/name:tag)", m[1])
		}
	}
	for _, label := range []string{"source", "version", "licenses", "title", "description"} {
		if !strings.Contains(df, "org.opencontainers.image."+label+"=") {
			t.Errorf("no label org.opencontainers.image.%s", label)
		}
	}
	if !strings.Contains(df, `org.opencontainers.image.licenses="EUPL-1.2"`) || !strings.Contains(df, "COPY LICENSE ") {
		t.Error("the image does not say EUPL-1.2, or does not carry the LICENSE")
	}
}

// TestLicense: LICENSE is the whole EUPL 1.2, every article and the
// appendix, and the README names it.
func TestLicense(t *testing.T) {
	l := readRoot(t, "LICENSE")
	want := []string{"EUROPEAN UNION PUBLIC LICENCE v. 1.2", "EUPL © the European Union 2007, 2016"}
	for i, title := range []string{"Definitions", "Scope of the rights granted by the Licence", "Communication of the Source Code",
		"Limitations on copyright", "Obligations of the Licensee", "Chain of Authorship", "Disclaimer of Warranty",
		"Disclaimer of Liability", "Additional agreements", "Acceptance of the Licence", "Information to the public",
		"Termination of the Licence", "Miscellaneous", "Jurisdiction", "Applicable Law"} {
		want = append(want, "\n"+strconv.Itoa(i+1)+". "+title+"\n")
	}
	want = append(want, "‘Compatible Licences’ according to Article 5 EUPL are:", "require the production of a new\nEUPL version.\n")
	for _, w := range want {
		if !strings.Contains(l, w) {
			t.Errorf("LICENSE lacks %q", w)
		}
	}
	if n := len(strings.Fields(l)); n < 2200 {
		t.Errorf("LICENSE has %d words; the EUPL 1.2 has about 2 200", n)
	}
	if r := readRoot(t, "README.md"); !strings.Contains(r, "EUPL-1.2") || !strings.Contains(r, "(LICENSE)") {
		t.Error("the README does not name the licence and link LICENSE")
	}
}
