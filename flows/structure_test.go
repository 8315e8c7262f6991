package flows_test

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/flows"
)

// structureChain returns a chain file for id whose structure label is
// structure (a YAML flow mapping, or "" for none), in region.
func structureChain(name, id, version, effective, region, structure string) flows.File {
	f := versioned(name, id, version, effective)
	head := ""
	if region != "" {
		head += "region: " + region + "\n"
	}
	if structure != "" {
		head += "structure: " + structure + "\n"
	}
	f.Data = []byte(strings.Replace(string(f.Data), "title:", head+"title:", 1))
	return f
}

// TestStructures: the chains a structure follows are those with a
// structure label, in force at now and sorted by id; an authority's own
// role (no label) is left out.
func TestStructures(t *testing.T) {
	contacts := readFile(t, "testdata/good/contacts.yaml")
	cat := mustCompile(t, contacts,
		structureChain("hospital.yaml", "test/hospital", "2", "2025-03-01", "", `{fr: "Établissement de santé", en: "Health establishment"}`),
		structureChain("hospital-old.yaml", "test/hospital", "1", "2020-01-01", "", `{fr: "Hôpital", en: "Hospital"}`),
		structureChain("gp.yaml", "test/gp", "1", "2025-03-01", "", `{fr: "Professionnel de santé libéral", en: "Self-employed health professional"}`),
		structureChain("agency.yaml", "test/agency", "1", "2025-03-01", "", ""),
	)
	now := mustTime(t, "2026-01-01T00:00:00Z")
	var got []string
	for _, c := range cat.Structures(now) {
		got = append(got, c.ID+" "+c.Version+" "+c.Structure.In(flows.FR)+" / "+c.Structure.In(flows.EN))
	}
	checkIDs(t, "Structures", got, []string{
		"test/gp 1 Professionnel de santé libéral / Self-employed health professional",
		"test/hospital 2 Établissement de santé / Health establishment",
	})
	if c := mustChainVersion(t, cat, "test/agency", "1"); !c.Structure.IsZero() {
		t.Errorf("a chain without a structure label got %+v", c.Structure)
	}
	// Before version 2 is in force, version 1 and its own label are offered.
	old := cat.Structures(mustTime(t, "2024-01-01T00:00:00Z"))
	if len(old) != 2 || old[1].ID != "test/hospital" || old[1].Structure.FR != "Hôpital" {
		t.Errorf("Structures in 2024 = %v", old)
	}
}

// TestStructureLabelChecked: a label needs both languages, and two chains
// of one region may not share one (the picker could not tell them apart);
// chains of different regions may.
func TestStructureLabelChecked(t *testing.T) {
	contacts := readFile(t, "testdata/good/contacts.yaml")
	occitanie := flows.File{Name: "occitanie.yaml", Data: []byte("kind: contacts\nscope: occitanie\nsource: test\ncontacts: []\n")}
	for _, tc := range []struct {
		name  string
		files []flows.File
		want  string // "" when the files compile
	}{
		{"one language", []flows.File{
			structureChain("a.yaml", "test/a", "1", "2025-01-01", "", `{fr: "Établissement de santé"}`),
		}, "a.yaml:5: missing English text at $.structure"},
		{"same label, same region", []flows.File{
			structureChain("a.yaml", "test/a", "1", "2025-01-01", "", `{fr: "Établissement de santé", en: "Health establishment"}`),
			structureChain("b.yaml", "test/b", "1", "2025-01-01", "", `{fr: "Autre", en: "Health establishment"}`),
		}, `b.yaml:5: structure label "Health establishment" is also the label of chain "test/a"`},
		{"same label, other region", []flows.File{
			structureChain("a.yaml", "test/a", "1", "2025-01-01", "", `{fr: "Établissement de santé", en: "Health establishment"}`),
			structureChain("b.yaml", "test/b", "1", "2025-01-01", "occitanie", `{fr: "Établissement de santé", en: "Health establishment"}`),
		}, ""},
		{"same label, two versions of one chain", []flows.File{
			structureChain("a.yaml", "test/a", "1", "2025-01-01", "", `{fr: "Établissement de santé", en: "Health establishment"}`),
			structureChain("a2.yaml", "test/a", "2", "2026-01-01", "", `{fr: "Établissement de santé", en: "Health establishment"}`),
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := append([]flows.File{contacts, occitanie}, tc.files...)
			_, err := compile(t, files...)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Compile: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Compile error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// mustChainVersion returns version of chain id in cat.
func mustChainVersion(tb testing.TB, cat *flows.Catalog, id, version string) *flows.Chain {
	tb.Helper()
	c, err := cat.Version(id, version)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
