package flows

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Catalog is the set of chains and contacts Vigie knows, every version of
// every chain included. It is immutable once compiled.
type Catalog struct {
	versions map[string][]*Chain            // by id, newest effective date first
	contacts map[string]map[string]*Contact // scope → id → contact
	ids      []string
	warnings Errors // see Warnings

	// A deployed catalog (deploy.go) keeps the compiled one and its region.
	base   *Catalog
	region string
}

func newCatalog() *Catalog {
	return &Catalog{versions: map[string][]*Chain{}, contacts: map[string]map[string]*Contact{}}
}

// ScopeNational is the scope of contacts every chain can use.
const ScopeNational = "national"

// UnknownChainError says a chain id or version is not in the catalog.
type UnknownChainError struct {
	ID, Version string
	Known       []string // what is accepted instead
}

func (e *UnknownChainError) Error() string {
	if e.Version != "" {
		return fmt.Sprintf("chain %q has no version %q (versions: %s)", e.ID, e.Version, strings.Join(e.Known, ", "))
	}
	return fmt.Sprintf("unknown chain %q (known: %s)", e.ID, strings.Join(e.Known, ", "))
}

// IDs returns every chain id, sorted.
func (c *Catalog) IDs() []string { return append([]string(nil), c.ids...) }

// Versions returns every version of chain id, newest effective date first.
func (c *Catalog) Versions(id string) []*Chain { return append([]*Chain(nil), c.versions[id]...) }

// Current returns the version of chain id in force at now: the latest
// effective date not after now, and among the revisions of that edition
// the latest (2025-03.2 corrects 2025-03.1 and shares its date); or the
// earliest version when all are in the future (a chain that is not in
// force yet is better than none: Chain.InForce tells, and screens warn).
func (c *Catalog) Current(id string, now time.Time) (*Chain, error) {
	vs := c.versions[id]
	if len(vs) == 0 {
		return nil, &UnknownChainError{ID: id, Known: c.ids}
	}
	for _, v := range vs {
		if !v.Effective.After(now) {
			return v, nil
		}
	}
	earliest := vs[len(vs)-1]
	for _, v := range vs {
		if v.Effective.Equal(earliest.Effective) {
			return v, nil // its latest revision
		}
	}
	return earliest, nil
}

// Version returns the given version of chain id: incidents pin the version
// they were opened with.
func (c *Catalog) Version(id, version string) (*Chain, error) {
	vs := c.versions[id]
	if len(vs) == 0 {
		return nil, &UnknownChainError{ID: id, Known: c.ids}
	}
	var known []string
	for _, v := range vs {
		if v.Version == version {
			return v, nil
		}
		known = append(known, v.Version)
	}
	return nil, &UnknownChainError{ID: id, Version: version, Known: known}
}

// Chains returns the version in force at now of every chain, sorted by id.
func (c *Catalog) Chains(now time.Time) []*Chain {
	out := make([]*Chain, 0, len(c.ids))
	for _, id := range c.ids {
		ch, _ := c.Current(id, now)
		out = append(out, ch)
	}
	return out
}

// Structures returns the chains a structure follows, the version of each
// in force at now: those with a structure label, a region's own chains
// first (its ARS's charts), then the national ones, each sorted by id. The
// chains of an authority's own role (the ARS's, the GIP's) are left out,
// and so, in a catalog deployed in a region, are the other regions' chains.
func (c *Catalog) Structures(now time.Time) []*Chain {
	var regional, national []*Chain
	for _, ch := range c.Chains(now) {
		switch {
		case ch.Structure.IsZero() || (c.region != "" && ch.Region != "" && ch.Region != c.region):
		case ch.Region != "":
			regional = append(regional, ch)
		default:
			national = append(national, ch)
		}
	}
	return append(regional, national...)
}

// sameStructure returns a version of another chain of ch's region whose
// structure label is ch's, in either language, or nil.
func (c *Catalog) sameStructure(ch *Chain) *Chain {
	if ch.Structure.IsZero() {
		return nil
	}
	for _, id := range c.ids {
		if id == ch.ID {
			continue
		}
		for _, v := range c.versions[id] {
			if v.Region == ch.Region && (v.Structure.FR == ch.Structure.FR || v.Structure.EN == ch.Structure.EN) {
				return v
			}
		}
	}
	return nil
}

// Contact returns the contact id as a chain of region sees it: the
// region's own first, then the national one; nil when there is none.
func (c *Catalog) Contact(region, id string) *Contact {
	if region != "" {
		if ct := c.contacts[region][id]; ct != nil {
			return ct
		}
	}
	return c.contacts[ScopeNational][id]
}

// Scopes returns the contact scopes, national first, then regions sorted.
func (c *Catalog) Scopes() []string {
	var out []string
	for s := range c.contacts {
		if s != ScopeNational {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	if _, ok := c.contacts[ScopeNational]; ok {
		out = append([]string{ScopeNational}, out...)
	}
	return out
}

// Contacts returns the contacts of scope, sorted by id.
func (c *Catalog) Contacts(scope string) []*Contact {
	var out []*Contact
	for _, ct := range c.contacts[scope] {
		out = append(out, ct)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (c *Catalog) addChain(pc *parsedChain, ch *Chain) {
	if other := c.sameStructure(ch); other != nil {
		label := ch.Structure.FR
		if other.Structure.EN == ch.Structure.EN {
			label = ch.Structure.EN
		}
		pc.errorf("$.structure", "structure label %q is also the label of chain %q (%s): the structure picker could not tell them apart", label, other.ID, other.File)
		return
	}
	for _, v := range c.versions[ch.ID] {
		if v.Version == ch.Version {
			pc.errorf("$.version", "chain %q version %q is defined twice (also in %s)", ch.ID, ch.Version, v.File)
			return
		}
		if v.Effective.Equal(ch.Effective) {
			e1, _, ok1 := splitRevision(v.Version)
			e2, _, ok2 := splitRevision(ch.Version)
			if !ok1 || !ok2 || e1 != e2 {
				pc.errorf("$.effective", "chain %q versions %q and %q share the effective date %s: which one is in force would be ambiguous (only revisions of one edition, such as 2025-03.1 and 2025-03.2, may share it; the latest revision is in force)", ch.ID, v.Version, ch.Version, ch.Effective.Format(time.DateOnly))
				return
			}
		}
	}
	if len(c.versions[ch.ID]) == 0 {
		c.ids = append(c.ids, ch.ID)
	}
	c.versions[ch.ID] = append(c.versions[ch.ID], ch)
}

func (c *Catalog) sort() {
	sort.Strings(c.ids)
	for _, vs := range c.versions {
		sort.SliceStable(vs, func(i, j int) bool {
			if !vs[i].Effective.Equal(vs[j].Effective) {
				return vs[i].Effective.After(vs[j].Effective)
			}
			_, ri, _ := splitRevision(vs[i].Version)
			_, rj, _ := splitRevision(vs[j].Version)
			return ri > rj
		})
	}
}

// splitRevision reads a version as an edition of the source and our
// revision of it: "2025-03.2" is revision 2 of edition "2025-03". ok is
// false when the version does not end in ".N".
func splitRevision(version string) (edition string, revision int, ok bool) {
	i := strings.LastIndexByte(version, '.')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(version[i+1:])
	if err != nil || n < 0 {
		return "", 0, false
	}
	return version[:i], n, true
}

// Edition is the edition of the source the chain's version transcribes,
// "2025-03" for "2025-03.2", and whether the version is one of our
// revisions of it; the version itself otherwise. Revisions of one
// edition share its effective date: the first edition in force is named
// by its edition, not by the revision Vigie applies.
func (c *Chain) Edition() (string, bool) {
	if e, _, ok := splitRevision(c.Version); ok {
		return e, true
	}
	return c.Version, false
}

// InForce reports whether the chain's version is in force at t: its
// effective date is not after t. Catalog.Current gives the earliest
// version for an instant before every version; the screens that show it
// say so (a T0 in 2024 on a chart of March 2025, a GIP incident of June
// 2017 on a text in force from October 2017).
func (c *Chain) InForce(t time.Time) bool { return !c.Effective.After(t) }
