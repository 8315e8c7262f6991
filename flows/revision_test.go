package flows_test

import (
	"strings"
	"testing"
)

// TestCatalogRevisions: a revision corrects Vigie's reading of an edition
// and shares its effective date; the latest revision is in force, and the
// earlier ones stay loadable for the incidents that pinned them.
func TestCatalogRevisions(t *testing.T) {
	contacts := readFile(t, "testdata/good/contacts.yaml")
	cat := mustCompile(t, contacts,
		versioned("c-old.yaml", "test/c", "2016-09.1", "2017-10-01"),
		versioned("c-old-2.yaml", "test/c", "2016-09.2", "2017-10-01"),
		versioned("c.yaml", "test/c", "2022-04.1", "2022-04-29"),
		versioned("c-2.yaml", "test/c", "2022-04.2", "2022-04-29"),
		versioned("c-10.yaml", "test/c", "2022-04.10", "2022-04-29"), // numbers, not text: 10 after 2
	)
	var vs []string
	for _, c := range cat.Versions("test/c") {
		vs = append(vs, c.Version)
	}
	checkIDs(t, "versions, newest first", vs, []string{"2022-04.10", "2022-04.2", "2022-04.1", "2016-09.2", "2016-09.1"})
	for _, tc := range []struct{ at, want string }{
		{"2017-06-01T00:00:00Z", "2016-09.2"}, // before every version: the earliest edition, its latest revision
		{"2017-10-01T00:00:00Z", "2016-09.2"},
		{"2022-04-28T23:59:59Z", "2016-09.2"},
		{"2022-04-29T00:00:00Z", "2022-04.10"},
		{"2026-12-06T00:00:00Z", "2022-04.10"},
	} {
		c, err := cat.Current("test/c", mustTime(t, tc.at))
		if err != nil || c.Version != tc.want {
			t.Errorf("Current(test/c, %s) = %v, %v; want %s", tc.at, c, err, tc.want)
		}
	}
	for _, v := range vs {
		if c, err := cat.Version("test/c", v); err != nil || c.Version != v {
			t.Errorf("Version(test/c, %s) = %v, %v: a pinned revision must stay loadable", v, c, err)
		}
	}

	// Two editions may not share a date: which one is in force would be
	// ambiguous.
	errs := compileErrors(t, contacts,
		versioned("d.yaml", "test/d", "2022-04.1", "2022-04-29"),
		versioned("d-other.yaml", "test/d", "2022-05.1", "2022-04-29"))
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, `versions "2022-04.1" and "2022-05.1" share the effective date 2022-04-29`) {
		t.Errorf("two editions on one date: %v", errs)
	}
}

// TestChainInForce: a version is in force from its effective date.
func TestChainInForce(t *testing.T) {
	cat := mustCompile(t, readFile(t, "testdata/good/contacts.yaml"), versioned("e.yaml", "test/e", "2025-03.1", "2025-03-01"))
	c, err := cat.Current("test/e", mustTime(t, "2024-06-01T10:00:00+02:00"))
	if err != nil {
		t.Fatal(err)
	}
	for at, want := range map[string]bool{
		"2024-06-01T10:00:00+02:00": false,
		"2025-02-28T23:59:59Z":      false,
		"2025-03-01T00:00:00Z":      true,
		"2026-12-06T00:00:00Z":      true,
	} {
		if got := c.InForce(mustTime(t, at)); got != want {
			t.Errorf("InForce(%s) = %v, want %v", at, got, want)
		}
	}
}
