package report

import (
	"bufio"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
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
// written in the file. The reports people read (md, pdf) are in lang; the
// machine formats (json, csv) are the same in every language. It is
// ExportFrom for entries held in memory.
func Export(w io.Writer, format string, lang flows.Lang, inc *incident.Incident, entries []incident.Entry, key ed25519.PrivateKey, now time.Time) error {
	_, err := ExportFrom(w, format, lang, inc, Slice(entries), key, now)
	return err
}

// ExportFrom is Exporter.Export with key alone: its Markdown and PDF
// reports show no obligations, since it has no chain to read them from.
func ExportFrom(w io.Writer, format string, lang flows.Lang, inc *incident.Incident, src Source, key ed25519.PrivateKey, now time.Time) (incident.Head, error) {
	return (&Exporter{Key: key}).Export(w, format, lang, inc, src, now)
}

// Exporter writes the exports of a deployment's main courantes.
type Exporter struct {
	// Key signs every export.
	Key ed25519.PrivateKey
	// Catalog gives each incident its chain, at the version it pinned:
	// the reports people read (md, pdf) draw from it the table of
	// obligations with their legal deadlines, and the closing report.
	// Without it, or for a chain it lacks, they say so and show none.
	Catalog *flows.Catalog
	// Org names the structure on the report's first page, where the main
	// courante does not: facts recorded on the incident (structure=,
	// finess=, siren=, dpo= of the drafts) take precedence, as in the
	// drafts (draft.Writer).
	Org incident.Organisation
}

// Export writes the main courante of inc, reading its entries from src,
// which it reads more than once and never holds: memory stays bounded
// whatever the length of the main courante. It returns the head it
// signed: the last entry written. The reports people read (md, pdf) are
// in lang; the machine formats (json, csv) are the same in every
// language. now is the export time written in the file.
//
// It first checks the chain as Verify would, and that it reaches the
// incident's head: signing a broken chain would vouch for whatever damaged
// it. Entries appended after inc was read are fine (the export stops at
// the last entry of that first pass); fewer entries than the head are not.
// Each entry of a JSON or CSV file, and its header, is read back as it is
// written, so that Export never hands out a file Verify would reject
// (JSON cannot carry invalid UTF-8, for one). On error, w may hold part
// of a file: write to a temporary file and rename it once complete.
func (x *Exporter) Export(w io.Writer, format string, lang flows.Lang, inc *incident.Incident, src Source, now time.Time) (incident.Head, error) {
	key := x.Key
	if !slices.Contains(ExportFormats, format) {
		return incident.Head{}, fmt.Errorf("unknown export format %q (accepted: %s)", format, strings.Join(ExportFormats, ", "))
	}
	if inc == nil {
		return incident.Head{}, errors.New("export: no incident")
	}
	if len(key) != ed25519.PrivateKeySize {
		return incident.Head{}, fmt.Errorf("export: signing key has %d bytes, want an ed25519 private key (%d)", len(key), ed25519.PrivateKeySize)
	}
	d, err := newExportDoc(inc, src, key, now)
	if err != nil {
		return incident.Head{}, err
	}
	d.lang = flows.FR
	if lang == flows.EN {
		d.lang = flows.EN
	}
	d.cat, d.org, d.features = x.Catalog, x.Org, inc.Features
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "json":
		err = writeJSON(bw, d)
	case "csv":
		err = writeCSV(bw, d)
	case "pdf":
		err = writePDF(bw, d)
	default:
		err = writeMarkdown(bw, d)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return incident.Head{}, fmt.Errorf("export %s: %w", inc.ID, err)
	}
	return d.Head, nil
}

// exportDoc is one export: what every format writes and what Verify
// reads back.
type exportDoc struct {
	Format     string           `json:"format"`
	Version    int              `json:"version"`
	ExportedAt time.Time        `json:"exported_at"`
	Incident   exportIncident   `json:"incident"`
	Entries    []incident.Entry `json:"entries"`
	Head       incident.Head    `json:"head"`
	Signature  exportSignature  `json:"signature"`

	// An export being written reads its entries from src, up to Head; a
	// file read back by Verify has its Entries instead.
	src Source
	// lang is the language of the reports people read (md, pdf).
	lang flows.Lang
	// What the reports people read add to the entries (Exporter).
	cat      *flows.Catalog
	org      incident.Organisation
	features map[string]bool
}

// exportIncident is the part of an incident an export shows. The
// signature covers it (documentMessage), and Verify checks every field the
// entries determine against them (checkHeader).
type exportIncident struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Exercise marks the export of an exercise (incident.Incident.Exercise).
	Exercise bool            `json:"exercise,omitempty"`
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

func newExportDoc(inc *incident.Incident, src Source, key ed25519.PrivateKey, now time.Time) (*exportDoc, error) {
	// The first pass checks the chain and finds its head, which the
	// signature covers; the writers read the entries again.
	c := incident.Checker{ID: inc.ID}
	err := src(func(e incident.Entry) error {
		e.Time = e.Time.UTC()
		if err := checkUTF8(e); err != nil {
			return err
		}
		if err := c.Next(&e); err != nil {
			return err
		}
		if e.Seq == inc.Head.Seq && e.Hash != inc.Head.Hash {
			return fmt.Errorf("entry #%d does not match the incident's head", e.Seq)
		}
		return nil
	})
	var ce *incident.ChainError
	switch {
	case errors.As(err, &ce):
		return nil, fmt.Errorf("export %s: the stored main courante does not verify: %w", inc.ID, err)
	case err != nil:
		return nil, fmt.Errorf("export %s: %w", inc.ID, err)
	case c.Head.Seq == 0:
		return nil, fmt.Errorf("export %s: the main courante has no entries", inc.ID)
	case inc.Head.Seq > c.Head.Seq:
		return nil, fmt.Errorf("export %s: entries end at #%d but the incident's head is #%d (entries missing?)", inc.ID, c.Head.Seq, inc.Head.Seq)
	}
	pub := key.Public().(ed25519.PublicKey)
	d := &exportDoc{
		Format:     exportName,
		Version:    exportVersion,
		ExportedAt: now.UTC().Truncate(time.Second),
		Incident: exportIncident{
			ID: inc.ID, Title: inc.Title, Exercise: inc.Exercise, Chain: inc.Chain, Version: inc.Version,
			T0: inc.T0.UTC(), OpenedBy: inc.OpenedBy, OpenedAt: inc.OpenedAt.UTC(),
			Status: inc.Status, ClosedBy: inc.ClosedBy, ClosedAt: inc.ClosedAt.UTC(),
		},
		Head: c.Head,
		Signature: exportSignature{
			Alg:         sigAlg,
			PublicKey:   base64.StdEncoding.EncodeToString(pub),
			Fingerprint: incident.KeyFingerprint(pub),
		},
		src: src,
	}
	d.Signature.Value = base64.StdEncoding.EncodeToString(signDocument(d, key))
	return d, nil
}

// checkUTF8 refuses an entry that is not UTF-8 text: JSON cannot carry
// it, nor the JSON data cell of the CSV, and a reader would see
// replacement characters where the hash covers the original bytes.
func checkUTF8(e incident.Entry) error {
	ok := utf8.ValidString(e.Actor) && utf8.ValidString(e.Kind) && utf8.ValidString(e.Text)
	for k, v := range e.Data {
		ok = ok && utf8.ValidString(k) && utf8.ValidString(v)
	}
	if !ok {
		return &VerifyError{Seq: e.Seq, Reason: "not valid UTF-8 text, which the export formats cannot carry"}
	}
	return nil
}
