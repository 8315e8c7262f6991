package report

import (
	"crypto/ed25519"
	"fmt"
	"strconv"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// The versions of the export format. Version 1 signed only the head of the
// chain, so its header (title, T0, status…) could be edited unseen where
// the entries do not determine it; version 2 signs the whole header with
// the head. Verify still reads version 1, and says its header is unsigned.
const (
	exportVersion1 = 1
	exportVersion  = 2
)

// docContext opens the message a version-2 signature covers, so that it
// can never be taken for a signature over anything else the key signs.
const docContext = "vigie-export-v2"

// documentMessage is what the signature of a version-2 export covers: the
// whole header and the head of the chain, in the canonical encoding of
// package incident (each field on its own line, name and value prefixed by
// their lengths), in this order:
//
//	context, format, version, exported_at,
//	incident.id, incident.title, incident.chain, incident.version,
//	incident.t0, incident.opened_by.id, incident.opened_by.name,
//	incident.opened_at, incident.status, incident.closed_by.id,
//	incident.closed_by.name, incident.closed_at, head.seq, head.hash
//
// Instants are UTC RFC 3339 with their decimals, empty when zero. Since
// the head's hash covers every entry, the signature vouches for every
// byte of meaning in the document.
func documentMessage(d *exportDoc) []byte {
	var c incident.Canonical
	inc := d.Incident
	c.Field("context", docContext)
	c.Field("format", d.Format)
	c.Field("version", strconv.Itoa(d.Version))
	c.Time("exported_at", d.ExportedAt)
	c.Field("incident.id", inc.ID)
	c.Field("incident.title", inc.Title)
	c.Field("incident.chain", inc.Chain)
	c.Field("incident.version", inc.Version)
	c.Time("incident.t0", inc.T0)
	c.Field("incident.opened_by.id", inc.OpenedBy.ID)
	c.Field("incident.opened_by.name", inc.OpenedBy.Name)
	c.Time("incident.opened_at", inc.OpenedAt)
	c.Field("incident.status", string(inc.Status))
	c.Field("incident.closed_by.id", inc.ClosedBy.ID)
	c.Field("incident.closed_by.name", inc.ClosedBy.Name)
	c.Time("incident.closed_at", inc.ClosedAt)
	c.Field("head.seq", strconv.FormatUint(d.Head.Seq, 10))
	c.Field("head.hash", d.Head.Hash)
	return c.Bytes()
}

// signDocument signs d with key, as its version says.
func signDocument(d *exportDoc, key ed25519.PrivateKey) []byte {
	return ed25519.Sign(key, documentMessage(d))
}

// signatureValid checks sig over d with pub, as d's version says.
func signatureValid(d *exportDoc, pub ed25519.PublicKey, sig []byte) bool {
	if d.Version == exportVersion1 {
		return incident.VerifyHead(pub, d.Incident.ID, d.Head, sig)
	}
	return ed25519.Verify(pub, documentMessage(d), sig)
}

// checkHeader recomputes from the entries every header field they
// determine, and names the first that disagrees: the opening gives the
// title, the opener and when; T0 is the last T0 correction's, else the
// opening's; the chain and its version are the last chosen; the status,
// who closed and when come from the closing entry. Entries are those of a
// chain already checked.
func checkHeader(d *exportDoc) error {
	inc := d.Incident
	bad := func(field, got, want string, seq uint64) error {
		return &VerifyError{Reason: fmt.Sprintf("header: %s is %q but entry %d says %q (header edited?)", field, got, seq, want)}
	}
	opened := d.Entries[0]
	if opened.Kind != incident.KindOpened {
		return &VerifyError{Seq: 1, Reason: fmt.Sprintf("the first entry is %q, not the opening (%q)", opened.Kind, incident.KindOpened)}
	}
	if v, ok := opened.Data["title"]; ok && v != inc.Title {
		return bad("title", inc.Title, v, 1)
	}
	if by := inc.OpenedBy.String(); by != opened.Actor {
		return bad("opened_by", by, opened.Actor, 1)
	}
	if !inc.OpenedAt.Equal(opened.Time) {
		return bad("opened_at", formatTime(inc.OpenedAt), formatTime(opened.Time), 1)
	}
	t0, t0Seq := opened.Data["t0"], uint64(1)
	chain, version, chainSeq := opened.Data["chain"], opened.Data["version"], uint64(1)
	var closed *incident.Entry
	for i := range d.Entries {
		e := &d.Entries[i]
		switch e.Kind {
		case incident.KindT0:
			t0, t0Seq = e.Data["new"], e.Seq
		case incident.KindChain:
			chain, version, chainSeq = e.Data["chain"], e.Data["version"], e.Seq
		case incident.KindClosed:
			closed = e
		}
	}
	if t0 != "" {
		want, err := time.Parse(time.RFC3339Nano, t0)
		if err != nil {
			return &VerifyError{Seq: t0Seq, Reason: fmt.Sprintf("T0 %q is not an RFC 3339 time", t0)}
		}
		// Entries record T0 to the second.
		if !inc.T0.Truncate(time.Second).Equal(want.Truncate(time.Second)) {
			return bad("t0", formatTime(inc.T0), t0, t0Seq)
		}
	}
	if inc.Chain != chain {
		return bad("chain", inc.Chain, chain, chainSeq)
	}
	if inc.Version != version {
		return bad("version", inc.Version, version, chainSeq)
	}
	if closed == nil {
		if inc.Status != incident.StatusOpen || !inc.ClosedAt.IsZero() || inc.ClosedBy != (incident.User{}) {
			return &VerifyError{Reason: fmt.Sprintf("header: status is %q but no entry closes the incident (header edited?)", inc.Status)}
		}
		return nil
	}
	switch {
	case inc.Status != incident.StatusClosed:
		return bad("status", string(inc.Status), string(incident.StatusClosed), closed.Seq)
	case inc.ClosedBy.String() != closed.Actor:
		return bad("closed_by", inc.ClosedBy.String(), closed.Actor, closed.Seq)
	case !inc.ClosedAt.Equal(closed.Time):
		return bad("closed_at", formatTime(inc.ClosedAt), formatTime(closed.Time), closed.Seq)
	}
	return nil
}
