package incident_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

func sealed() []incident.Entry {
	at := time.Date(2026, 3, 28, 1, 12, 0, 0, time.UTC)
	es := []incident.Entry{
		{Time: at, Actor: "@rssi", Kind: incident.KindOpened, Text: "Incident ouvert"},
		{Time: at.Add(time.Minute), Actor: "@rssi", Kind: incident.KindNote, Text: "a", Data: map[string]string{"k": "v"}},
		{Time: at.Add(2 * time.Minute), Actor: "@dpo", Kind: incident.KindNote, Text: "b"},
	}
	incident.Seal(incident.Head{}, "2026-0001", es)
	return es
}

// TestSealChains: Seal numbers the entries, links each to the one before,
// and returns the head of the last; sealing more continues the chain.
func TestSealChains(t *testing.T) {
	es := sealed()
	for i, e := range es {
		if e.Seq != uint64(i)+1 || e.Incident != "2026-0001" || e.Hash != e.ComputeHash() {
			t.Fatalf("entry %d sealed as %+v", i, e)
		}
		if i > 0 && e.Prev != es[i-1].Hash {
			t.Fatalf("entry %d does not link to %d", i+1, i)
		}
	}
	if es[0].Prev != "" {
		t.Fatalf("first entry links to %q", es[0].Prev)
	}
	head := incident.Head{Seq: 3, Hash: es[2].Hash}
	more := []incident.Entry{{Time: es[2].Time, Actor: "@dg", Kind: incident.KindNote, Text: "c"}}
	if got := incident.Seal(head, "2026-0001", more); got.Seq != 4 || more[0].Prev != es[2].Hash || got.Hash != more[0].Hash {
		t.Fatalf("Seal after head = %+v, entry %+v", got, more[0])
	}
	if h, err := incident.Check("2026-0001", append(es, more...)); err != nil || h.Seq != 4 {
		t.Fatalf("Check of a sealed chain = %+v, %v", h, err)
	}
}

// TestHashEncodingIsUnambiguous: moving text between fields, or between a
// data key and its value, changes the hash.
func TestHashEncodingIsUnambiguous(t *testing.T) {
	a := incident.Entry{Incident: "1", Seq: 1, Actor: "ab", Text: "c", Data: map[string]string{"k": "v=w"}}
	b := a
	b.Actor, b.Text = "a", "bc"
	c := a
	c.Data = map[string]string{"k=v": "w"}
	if a.ComputeHash() == b.ComputeHash() || a.ComputeHash() == c.ComputeHash() {
		t.Fatal("two different entries hash alike")
	}
}

// TestCheckNamesTheFirstBreak: every way of damaging a chain is named at
// the entry where it shows.
func TestCheckNamesTheFirstBreak(t *testing.T) {
	tests := []struct {
		name   string
		damage func([]incident.Entry) []incident.Entry
		seq    uint64
		reason string
	}{
		{"text altered", func(es []incident.Entry) []incident.Entry { es[1].Text = "x"; return es }, 2, "hash does not match"},
		{"entry removed", func(es []incident.Entry) []incident.Entry { return append(es[:1], es[2:]...) }, 2, "expected seq 2, found 3"},
		{"first removed", func(es []incident.Entry) []incident.Entry { return es[1:] }, 1, "expected seq 1, found 2"},
		{"other incident", func(es []incident.Entry) []incident.Entry { es[0].Incident = "2026-0002"; return es }, 1, "belongs to incident"},
		{"relinked", func(es []incident.Entry) []incident.Entry { es[2].Prev = es[0].Hash; return es }, 3, "prev does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := incident.Check("2026-0001", tt.damage(sealed()))
			var ce *incident.ChainError
			if !errors.As(err, &ce) || ce.Seq != tt.seq || !strings.Contains(ce.Reason, tt.reason) {
				t.Fatalf("Check = %v, want entry %d: %s", err, tt.seq, tt.reason)
			}
		})
	}
}

// TestHeadSignature: a signed head verifies with its key only, and only
// for that incident, sequence and hash; a key of the wrong size is a bad
// signature, not a panic.
func TestHeadSignature(t *testing.T) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pub := key.Public().(ed25519.PublicKey)
	h := incident.Head{Seq: 3, Hash: sealed()[2].Hash}
	sig := incident.SignHead(key, "2026-0001", h)
	if !incident.VerifyHead(pub, "2026-0001", h, sig) {
		t.Fatal("a head does not verify with its own key")
	}
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	for name, ok := range map[string]bool{
		"other key":      incident.VerifyHead(other, "2026-0001", h, sig),
		"other incident": incident.VerifyHead(pub, "2026-0002", h, sig),
		"other seq":      incident.VerifyHead(pub, "2026-0001", incident.Head{Seq: 2, Hash: h.Hash}, sig),
		"short key":      incident.VerifyHead(pub[:10], "2026-0001", h, sig),
	} {
		if ok {
			t.Errorf("%s: the signature verifies", name)
		}
	}
	if fp := incident.KeyFingerprint(pub); !strings.HasPrefix(fp, "SHA256:") || len(fp) != 7+43 {
		t.Errorf("fingerprint %q", fp)
	}
}
