package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/incident"
)

// ExportFormats are the formats Export writes, in the order they are offered
// to users. JSON and CSV can be checked with Verify; Markdown and PDF are
// the reports people read (PDF: to print).
var ExportFormats = []string{"md", "csv", "json", "pdf"}

// Export identifies the files Export writes, so that Verify can refuse
// anything else.
const (
	exportName = "vigie-main-courante"
	sigAlg     = "ed25519"
)

// Export writes the main courante of inc, its entries in order, in format
// (md, csv, json or pdf), with the head signed by key. now is the export time
// written in the file.
//
// Export first checks the chain as Verify would, and that it reaches the
// incident's head: signing a broken chain would vouch for whatever damaged
// it. Entries appended after inc was read are fine; fewer entries than the
// head are not.
func Export(w io.Writer, format string, inc *incident.Incident, entries []incident.Entry, key ed25519.PrivateKey, now time.Time) error {
	if !slices.Contains(ExportFormats, format) {
		return fmt.Errorf("unknown export format %q (accepted: %s)", format, strings.Join(ExportFormats, ", "))
	}
	if inc == nil {
		return errors.New("export: no incident")
	}
	if len(key) != ed25519.PrivateKeySize {
		return fmt.Errorf("export: signing key has %d bytes, want an ed25519 private key (%d)", len(key), ed25519.PrivateKeySize)
	}
	d, err := newExportDoc(inc, entries, key, now)
	if err != nil {
		return err
	}
	// The file is built in memory and read back before it is written, so
	// that Export never hands out a file Verify would reject (JSON cannot
	// carry invalid UTF-8, for one).
	var buf bytes.Buffer
	switch format {
	case "json":
		err = writeJSON(&buf, d)
	case "csv":
		err = writeCSV(&buf, d)
	case "pdf":
		err = writePDF(&buf, d)
	default:
		err = writeMarkdown(&buf, d)
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", inc.ID, err)
	}
	if format == "json" || format == "csv" {
		pub := key.Public().(ed25519.PublicKey)
		if _, err := verifyBytes(buf.Bytes(), VerifyOptions{PublicKey: pub}); err != nil {
			return fmt.Errorf("export %s: the %s file would not verify: %w", inc.ID, format, err)
		}
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// exportDoc is one export in memory: what every format writes and what
// Verify reads back.
type exportDoc struct {
	Format     string           `json:"format"`
	Version    int              `json:"version"`
	ExportedAt time.Time        `json:"exported_at"`
	Incident   exportIncident   `json:"incident"`
	Entries    []incident.Entry `json:"entries"`
	Head       incident.Head    `json:"head"`
	Signature  exportSignature  `json:"signature"`
}

// exportIncident is the part of an incident an export shows. The
// signature covers it (documentMessage), and Verify checks every field the
// entries determine against them (checkHeader).
type exportIncident struct {
	ID       string          `json:"id"`
	Title    string          `json:"title"`
	Chain    string          `json:"chain"`
	Version  string          `json:"version"`
	T0       time.Time       `json:"t0"`
	OpenedBy incident.User   `json:"opened_by"`
	OpenedAt time.Time       `json:"opened_at"`
	Status   incident.Status `json:"status"`
	ClosedBy incident.User   `json:"closed_by,omitzero"`
	ClosedAt time.Time       `json:"closed_at,omitzero"`
}

// exportSignature is the signature of the document (its header and the
// head of the chain), with the key that checks it. The fingerprint is derived from the key; Verify refuses a file where
// the two disagree, so that nobody is misled by the one people read.
type exportSignature struct {
	Alg         string `json:"alg"`
	PublicKey   string `json:"public_key"`
	Fingerprint string `json:"fingerprint"`
	Value       string `json:"value"`
}

func newExportDoc(inc *incident.Incident, entries []incident.Entry, key ed25519.PrivateKey, now time.Time) (*exportDoc, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("export %s: the main courante has no entries", inc.ID)
	}
	// Copy, so that normalising times to UTC does not touch the caller's.
	es := make([]incident.Entry, len(entries))
	for i, e := range entries {
		e.Time = e.Time.UTC()
		es[i] = e
	}
	if err := checkUTF8(es); err != nil {
		return nil, fmt.Errorf("export %s: %w", inc.ID, err)
	}
	head, err := incident.Check(inc.ID, es)
	if err != nil {
		return nil, fmt.Errorf("export %s: the stored main courante does not verify: %w", inc.ID, err)
	}
	if inc.Head.Seq > head.Seq {
		return nil, fmt.Errorf("export %s: entries end at #%d but the incident's head is #%d (entries missing?)", inc.ID, head.Seq, inc.Head.Seq)
	}
	if inc.Head.Seq > 0 && es[inc.Head.Seq-1].Hash != inc.Head.Hash {
		return nil, fmt.Errorf("export %s: entry #%d does not match the incident's head", inc.ID, inc.Head.Seq)
	}
	pub := key.Public().(ed25519.PublicKey)
	d := &exportDoc{
		Format:     exportName,
		Version:    exportVersion,
		ExportedAt: now.UTC().Truncate(time.Second),
		Incident: exportIncident{
			ID: inc.ID, Title: inc.Title, Chain: inc.Chain, Version: inc.Version,
			T0: inc.T0.UTC(), OpenedBy: inc.OpenedBy, OpenedAt: inc.OpenedAt.UTC(),
			Status: inc.Status, ClosedBy: inc.ClosedBy, ClosedAt: inc.ClosedAt.UTC(),
		},
		Entries: es,
		Head:    head,
		Signature: exportSignature{
			Alg:         sigAlg,
			PublicKey:   base64.StdEncoding.EncodeToString(pub),
			Fingerprint: incident.KeyFingerprint(pub),
		},
	}
	d.Signature.Value = base64.StdEncoding.EncodeToString(signDocument(d, key))
	return d, nil
}

// checkUTF8 refuses entries that are not UTF-8 text: JSON cannot carry
// them, nor the JSON data cell of the CSV, and a reader would see
// replacement characters where the hash covers the original bytes.
func checkUTF8(es []incident.Entry) error {
	for _, e := range es {
		ok := utf8.ValidString(e.Actor) && utf8.ValidString(e.Kind) && utf8.ValidString(e.Text)
		for k, v := range e.Data {
			ok = ok && utf8.ValidString(k) && utf8.ValidString(v)
		}
		if !ok {
			return &VerifyError{Seq: e.Seq, Reason: "not valid UTF-8 text, which the export formats cannot carry"}
		}
	}
	return nil
}

// writeJSON writes the export as one indented object. HTML escaping is off
// so that notes read as typed ("<", "&") in any viewer.
func writeJSON(w io.Writer, d *exportDoc) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}
