package report

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"strconv"

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
// and, for an exercise only, incident.exercise ("yes") last: the exports
// of real incidents, made before exercises or after, sign the same bytes
// as ever, and the mark of an exercise cannot be removed unseen.
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
	if inc.Exercise {
		c.Field("incident.exercise", "yes")
	}
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
// determine (incident.CheckRecord), and names the first that disagrees.
// Entries are those of a chain already checked.
func checkHeader(d *exportDoc) error {
	opened := d.Entries[0]
	if opened.Kind != incident.KindOpened {
		return &VerifyError{Seq: 1, Reason: fmt.Sprintf("the first entry is %q, not the opening (%q)", opened.Kind, incident.KindOpened)}
	}
	h := d.Incident
	inc := &incident.Incident{ID: h.ID, Title: h.Title, Exercise: h.Exercise, Chain: h.Chain, Version: h.Version, T0: h.T0,
		OpenedBy: h.OpenedBy, OpenedAt: h.OpenedAt, Status: h.Status, ClosedBy: h.ClosedBy, ClosedAt: h.ClosedAt}
	// The header carries no roles: the entries alone say who held them.
	inc.Roles, inc.Deputies = incident.Holders(d.Entries)
	var re *incident.RecordError
	if err := incident.CheckRecord(inc, d.Entries); errors.As(err, &re) {
		return &VerifyError{Reason: "header: " + re.Error() + " (header edited?)"}
	}
	return nil
}
