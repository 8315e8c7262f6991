package flows_test

import (
	"errors"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// versioned returns a chain file for id at version and effective date.
func versioned(name, id, version, effective string) flows.File {
	return flows.File{Name: name, Data: []byte(`kind: chain
id: ` + id + `
version: "` + version + `"
effective: ` + effective + `
title: {fr: "Titre ` + version + `", en: "Title ` + version + `"}
source: {document: "test"}
end: {fr: "Fin", en: "End"}
steps:
  - id: declare
    order: 1
    title: {fr: "Déclarer", en: "Report"}
    recipients: [{contact: alpha}]
    deadline: immediate
    basis: {fr: "Base", en: "Basis"}
    source: chart
`)}
}

func TestCatalogVersions(t *testing.T) {
	contacts := readFile(t, "testdata/good/contacts.yaml")
	cat := mustCompile(t, contacts,
		versioned("b.yaml", "test/b", "2022", "2022-04-29"),
		versioned("b-old.yaml", "test/b", "2016", "2016-11-01"),
		versioned("b-next.yaml", "test/b", "2030", "2030-01-01"),
		versioned("a.yaml", "test/a", "1", "2099-01-01"),
	)
	checkIDs(t, "IDs", cat.IDs(), []string{"test/a", "test/b"})
	var vs []string
	for _, c := range cat.Versions("test/b") {
		vs = append(vs, c.Version)
	}
	checkIDs(t, "versions, newest first", vs, []string{"2030", "2022", "2016"})

	for _, tc := range []struct{ now, want string }{
		{"2016-10-31T23:59:59Z", "2016"}, // nothing in force yet: the earliest
		{"2016-11-01T00:00:00Z", "2016"},
		{"2022-04-28T12:00:00Z", "2016"},
		{"2022-04-29T00:00:00Z", "2022"},
		{"2026-01-01T00:00:00Z", "2022"},
		{"2030-01-01T00:00:00Z", "2030"},
	} {
		c, err := cat.Current("test/b", mustTime(t, tc.now))
		if err != nil || c.Version != tc.want {
			t.Errorf("Current(test/b, %s) = %v, %v; want version %s", tc.now, c, err, tc.want)
		}
	}
	if c, err := cat.Current("test/a", mustTime(t, "2026-01-01T00:00:00Z")); err != nil || c.Version != "1" {
		t.Errorf("Current of a chain in force only in the future: %v, %v; want it anyway", c, err)
	}
	if want := time.Date(2022, 4, 29, 0, 0, 0, 0, time.UTC); !cat.Versions("test/b")[1].Effective.Equal(want) {
		t.Errorf("Effective = %v, want %v", cat.Versions("test/b")[1].Effective, want)
	}

	now := mustTime(t, "2026-01-01T00:00:00Z")
	chains := cat.Chains(now)
	if len(chains) != 2 || chains[0].ID != "test/a" || chains[1].ID != "test/b" || chains[1].Version != "2022" {
		t.Errorf("Chains(now) = %v", chains)
	}

	// Incidents pin a version.
	if c, err := cat.Version("test/b", "2016"); err != nil || c.Title.EN != "Title 2016" {
		t.Errorf("Version(test/b, 2016) = %v, %v", c, err)
	}
	_, err := cat.Version("test/b", "2019")
	var uce *flows.UnknownChainError
	if !errors.As(err, &uce) || uce.ID != "test/b" || uce.Version != "2019" ||
		err.Error() != `chain "test/b" has no version "2019" (versions: 2030, 2022, 2016)` {
		t.Errorf("Version(test/b, 2019) error: %v", err)
	}
	for _, call := range []func() error{
		func() error { _, err := cat.Version("test/c", "1"); return err },
		func() error { _, err := cat.Current("test/c", now); return err },
	} {
		err := call()
		if !errors.As(err, &uce) || err.Error() != `unknown chain "test/c" (known: test/a, test/b)` {
			t.Errorf("unknown chain error: %v", err)
		}
	}
	if vs := cat.Versions("test/c"); len(vs) != 0 {
		t.Errorf("Versions of an unknown chain: %v", vs)
	}
	// The slices handed out are copies.
	cat.IDs()[0] = "changed"
	cat.Versions("test/b")[0] = nil
	if cat.IDs()[0] != "test/a" || cat.Versions("test/b")[0] == nil {
		t.Error("IDs or Versions expose the catalog's own slices")
	}
}

func TestCatalogContacts(t *testing.T) {
	regional := flows.File{Name: "region.yaml", Data: []byte(`kind: contacts
scope: test-region
source: "test"
contacts:
  - id: beta
    name: {fr: "Bêta régional", en: "Regional Beta"}
    source: chart
    checked: 2025-01-01
    means:
      - kind: email
        value: "beta@region.example"
  - id: delta
    name: {fr: "Delta", en: "Delta"}
    source: chart
    checked: 2025-01-01
    means:
      - kind: phone
        value: "05 00 00 00 00"
`)}
	chain := flows.File{Name: "regional.yaml", Data: []byte(`kind: chain
id: test-region/chain
version: "1"
effective: 2025-01-01
region: test-region
title: {fr: "Titre", en: "Title"}
source: {document: "test"}
end: {fr: "Fin", en: "End"}
steps:
  - id: declare
    order: 1
    title: {fr: "Déclarer", en: "Report"}
    recipients: [{contact: alpha}, {contact: beta}, {contact: delta}]
    deadline: immediate
    basis: {fr: "Base", en: "Basis"}
    source: chart
`)}
	cat := mustCompile(t, readFile(t, "testdata/good/contacts.yaml"), regional, chain,
		readFile(t, "testdata/good/minimal.yaml"))
	checkIDs(t, "Scopes", cat.Scopes(), []string{"national", "test-region"})
	var ids []string
	for _, ct := range cat.Contacts("national") {
		ids = append(ids, ct.ID)
	}
	checkIDs(t, "national contacts", ids, []string{"alpha", "beta", "gamma"})
	if got := cat.Contact("test-region", "beta"); got == nil || got.Scope != "test-region" {
		t.Errorf("Contact(test-region, beta) = %+v, want the regional one", got)
	}
	if got := cat.Contact("", "beta"); got == nil || got.Scope != "national" {
		t.Errorf("Contact(\"\", beta) = %+v, want the national one", got)
	}
	if got := cat.Contact("test-region", "alpha"); got == nil || got.Scope != "national" {
		t.Errorf("Contact(test-region, alpha) = %+v, want the national fallback", got)
	}
	if cat.Contact("", "delta") != nil || cat.Contact("other", "delta") != nil {
		t.Error("a regional contact leaks to other regions")
	}
	c := mustChain(t, cat, "test-region/chain")
	var scopes []string
	for _, r := range c.Steps[0].Recipients {
		scopes = append(scopes, r.Contact.ID+"@"+r.Contact.Scope)
	}
	checkIDs(t, "recipients", scopes, []string{"alpha@national", "beta@test-region", "delta@test-region"})

	// A national chain cannot reach a regional contact.
	nat := versioned("nat.yaml", "test/nat", "1", "2025-01-01")
	nat.Data = []byte(strings.Replace(string(nat.Data), "contact: alpha", "contact: delta", 1))
	errs := compileErrors(t, readFile(t, "testdata/good/contacts.yaml"), regional, nat)
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, `unknown contact "delta" (define it in the contacts file of national)`) {
		t.Errorf("national chain using a regional contact: %v", errs)
	}
}

func TestCompileRejectsEverything(t *testing.T) {
	// One bad chain among good ones: no catalog at all, never a half-loaded one.
	bad := versioned("z-bad.yaml", "test/bad", "1", "2025-13-01")
	bad2 := versioned("a-bad.yaml", "Test/Bad", "1", "2025-01-01")
	errs := compileErrors(t, append(goodFiles(t), bad, bad2)...)
	if len(errs) != 2 || errs[0].File != "a-bad.yaml" || errs[1].File != "z-bad.yaml" {
		t.Errorf("errors %v, want one per bad file, sorted by file name", errs)
	}
	if got := errs.Error(); !strings.Contains(got, "a-bad.yaml:2: bad chain id") || !strings.Contains(got, "\nz-bad.yaml:4: bad effective date") {
		t.Errorf("Errors.Error() = %q", got)
	}
}

func TestCompileErrorsInLineOrder(t *testing.T) {
	f := chainFile("several.yaml", `
steps:
  - id: b
    order: 0
    title: {fr: "B"}
    recipients: [{contact: nobody}]
    deadline: soon
    basis: {fr: "Base", en: "Basis"}
    source: chart
`)
	errs := compileErrors(t, readFile(t, "testdata/good/contacts.yaml"), f)
	if len(errs) != 4 {
		t.Fatalf("errors: %v, want 4 (order, title, contact, deadline)", errs)
	}
	for i := 1; i < len(errs); i++ {
		if errs[i].Line < errs[i-1].Line {
			t.Errorf("errors not in line order: %v", errs)
		}
	}
}

func TestCompileEmpty(t *testing.T) {
	cat := mustCompile(t)
	if len(cat.IDs()) != 0 || len(cat.Scopes()) != 0 {
		t.Errorf("empty catalog: ids %v scopes %v", cat.IDs(), cat.Scopes())
	}
	if _, err := cat.Current("x/y", time.Now()); err == nil {
		t.Error("Current on an empty catalog: no error")
	}
}

func TestCompileFileTooLarge(t *testing.T) {
	big := flows.File{Name: "big.yaml", Data: []byte("kind: contacts\n# " + strings.Repeat("x", 1<<20) + "\n")}
	errs := compileErrors(t, big)
	if len(errs) != 1 || errs[0].File != "big.yaml" || !strings.Contains(errs[0].Msg, "at most 1048576") {
		t.Errorf("errors %v, want one naming the size limit", errs)
	}
}

func TestLoadFS(t *testing.T) {
	good := goodFiles(t)
	fsys := fstest.MapFS{
		"README.md":              {Data: []byte("# not a chain")},
		"contacts/contacts.yaml": {Data: good[0].Data},
		"chains/engine.yml":      {Data: good[1].Data},
		"chains/minimal.yaml":    {Data: good[2].Data},
		"chains/notes.txt":       {Data: []byte("kind: nonsense")},
	}
	files, err := flows.ReadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	checkIDs(t, "ReadFS", names, []string{"chains/engine.yml", "chains/minimal.yaml", "contacts/contacts.yaml"})
	cat, err := flows.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	checkIDs(t, "Load ids", cat.IDs(), []string{"test/engine", "test/minimal"})
	if c := mustChain(t, cat, "test/engine"); c.File != "chains/engine.yml" {
		t.Errorf("Chain.File = %q", c.File)
	}
	fsys["chains/broken.yaml"] = &fstest.MapFile{Data: []byte("kind: chain\nid: [\n")}
	if _, err := flows.Load(fsys); err == nil || !strings.Contains(err.Error(), "chains/broken.yaml:") {
		t.Errorf("Load with a broken file: %v", err)
	}
}

func TestText(t *testing.T) {
	tx := flows.Text{FR: "Oui", EN: "Yes"}
	if tx.In(flows.FR) != "Oui" || tx.In(flows.EN) != "Yes" || (flows.Text{FR: "Seul"}).In(flows.EN) != "Seul" {
		t.Error("Text.In")
	}
	if !(flows.Text{}).IsZero() || tx.IsZero() || (flows.Text{EN: "x"}).IsZero() {
		t.Error("Text.IsZero")
	}
	for in, want := range map[string]flows.Lang{"fr": flows.FR, "fr-FR": flows.FR, "FR": flows.FR, "en_GB": flows.EN, "En": flows.EN} {
		if got, ok := flows.ParseLang(in); !ok || got != want {
			t.Errorf("ParseLang(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "f", "de", "es-ES"} {
		if got, ok := flows.ParseLang(in); ok || got != flows.FR {
			t.Errorf("ParseLang(%q) = %q, %v; want FR, false", in, got, ok)
		}
	}
}

// TestCompileDeepNesting: the size cap alone does not bound the loader's
// work. The YAML parser copies its path at every level of nesting, so its
// cost grows with the square of the depth: measured here, 80 kB of "[" take
// 7 to 42 s and 9.6 GB, and 160 kB (a sixth of the cap) get the process
// killed for lack of memory; block style ("- - - …") does the same. A file
// nested 10 000 deep (10 to 20 kB) must be refused cheaply; a real chain is
// nested 6 deep.
func TestCompileDeepNesting(t *testing.T) {
	for name, data := range map[string]string{
		"flow":  "kind: chain\nid: " + strings.Repeat("[", 10000),
		"block": "kind: chain\nsteps:\n" + strings.Repeat("- ", 10000) + "x\n",
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		errs := compileErrors(t, flows.File{Name: "deep.yaml", Data: []byte(data)})
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
			t.Errorf("%s: Compile of %d bytes nested 10 000 deep allocated %d MB", name, len(data), alloc>>20)
		}
		if len(errs) != 1 || errs[0].File != "deep.yaml" || errs[0].Line == 0 {
			t.Errorf("%s: errors %v, want one for deep.yaml with its line", name, errs)
		}
	}
}

// errFS fails every Open.
type errFS struct{}

func (errFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

func TestLoadUnreadable(t *testing.T) {
	if _, err := flows.ReadFS(errFS{}); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("ReadFS: %v, want the permission error", err)
	}
	if cat, err := flows.Load(errFS{}); cat != nil || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Load: %v, %v; want the permission error", cat, err)
	}
}

func TestErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    flows.Error
		want string
	}{
		{flows.Error{File: "a.yaml", Line: 3, Msg: "bad"}, "a.yaml:3: bad"},
		{flows.Error{File: "a.yaml", Msg: "too big"}, "a.yaml: too big"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// TestAnchorsAndAliases: YAML anchors are a fair way to share a basis or a
// cadence between steps; they load, and errors inside them still have a line.
func TestAnchorsAndAliases(t *testing.T) {
	cat := mustCompile(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("inline.yaml", `
steps:
  - id: a
    order: 1
    title: {fr: "A", en: "A"}
    recipients: [{contact: alpha}]
    deadline: immediate
    remind: &fast {every: 15m, escalate_after: 1h}
    basis: &basis {fr: "Base", en: "Basis"}
    source: chart
  - id: b
    order: 2
    title: {fr: "B", en: "B"}
    recipients: [{contact: beta}]
    deadline: immediate
    remind: *fast
    basis: *basis
    source: chart
`))
	b := mustChain(t, cat, "test/inline").Step("b")
	if b.Remind.Every != 15*time.Minute || b.Basis.EN != "Basis" {
		t.Errorf("aliased remind %+v basis %+v", b.Remind, b.Basis)
	}
	errs := compileErrors(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("inline.yaml", `
steps:
  - id: a
    order: 1
    title: {fr: "A", en: "A"}
    recipients: [{contact: alpha}]
    deadline: immediate
    basis: &basis {fr: "Base"}
    source: chart
`))
	if len(errs) != 1 || errs[0].Line != 14 || !strings.Contains(errs[0].Msg, "missing English text") {
		t.Errorf("error in an anchored text: %v, want line 14", errs)
	}
}
