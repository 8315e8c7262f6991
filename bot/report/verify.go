package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"unicode"

	"github.com/vigie-sante/vigie/bot/incident"
)

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// PublicKey, when set, is the key the head must be signed with. Without
	// it Verify trusts the key written in the file, which proves the file is
	// intact but not who produced it: compare the fingerprint it reports.
	PublicKey ed25519.PublicKey
}

// VerifyReport is what a successful Verify proved.
type VerifyReport struct {
	Incident string
	// Exercise says the export is an exercise's (signed, and checked
	// against the opening entry).
	Exercise    bool
	Entries     int
	Head        incident.Head
	Fingerprint string // of the key that signed the document
	// Version is the export format's. HeaderSigned is false for version 1,
	// whose signature covers only the head: its header was checked against
	// the entries, but a field they do not determine (the export time)
	// could have been edited.
	Version      int
	HeaderSigned bool
	// KeyTrusted says the signature was checked against the key the caller
	// gave (VerifyOptions.PublicKey), not only the key the file carries,
	// which proves the file intact but not who wrote it.
	KeyTrusted bool
}

// VerifyError is why an export does not verify: the first bad entry (Seq,
// its expected position in the chain) or, with Seq 0, the head or the file.
// It is the domain's ChainError, so that a chain broken inside the file and
// a file broken around it read alike.
type VerifyError = incident.ChainError

// ErrNotExport is returned (wrapped) by Verify when its input is not a
// Vigie export at all, as opposed to an export that was altered: callers
// answer the first with what is accepted, the second with a failure.
var ErrNotExport = errors.New("not a vigie export (accepted: the .json or .csv file written by vigie export)")

// maxExport bounds what Verify reads, so that a wrong file (a disk image,
// /dev/zero) fails cleanly instead of exhausting memory. It is far above
// any real main courante (100 000 entries are about 50 MB).
const maxExport = 1 << 30

// Verify reads a JSON or CSV export, told apart by its first non-blank byte
// ('{' is JSON), and proves it intact: sequence numbers run 1, 2, 3… with no
// gap, each entry links to the hash of the one before and hashes to its own
// hash, every entry belongs to the incident, the last entry is the head,
// every header field the entries determine agrees with them, and the
// header and head are signed by the key in the file (and by
// opts.PublicKey if set).
// It returns a *VerifyError naming the first problem found, or an error
// wrapping ErrNotExport.
func Verify(r io.Reader, opts VerifyOptions) (VerifyReport, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxExport+1))
	if err != nil {
		return VerifyReport{}, fmt.Errorf("read export: %w", err)
	}
	if len(b) > maxExport {
		return VerifyReport{}, fmt.Errorf("%w: larger than %d bytes", ErrNotExport, maxExport)
	}
	return verifyBytes(b, opts)
}

func verifyBytes(b []byte, opts VerifyOptions) (VerifyReport, error) {
	var err error
	b = bytes.TrimPrefix(b, []byte("\uFEFF")) // spreadsheets add a byte-order mark
	trimmed := bytes.TrimLeftFunc(b, unicode.IsSpace)
	var d *exportDoc
	switch {
	case len(trimmed) == 0:
		return VerifyReport{}, fmt.Errorf("%w: the file is empty", ErrNotExport)
	case trimmed[0] == '{':
		d, err = readJSON(trimmed)
	default:
		d, err = readCSV(b)
	}
	if err != nil {
		return VerifyReport{}, err
	}
	return verifyDoc(d, opts)
}

func verifyDoc(d *exportDoc, opts VerifyOptions) (VerifyReport, error) {
	last, err := incident.Check(d.Incident.ID, d.Entries)
	if err != nil {
		return VerifyReport{}, err
	}
	if len(d.Entries) == 0 {
		return VerifyReport{}, &VerifyError{Reason: "no entries (file truncated?)"}
	}
	if last.Seq != d.Head.Seq {
		return VerifyReport{}, &VerifyError{Reason: fmt.Sprintf(
			"head: last entry is #%d but the signed head is #%d (entries removed at the end?)", last.Seq, d.Head.Seq)}
	}
	if last.Hash != d.Head.Hash {
		return VerifyReport{}, &VerifyError{Reason: fmt.Sprintf("head: hash does not match entry #%d", last.Seq)}
	}
	if err := checkHeader(d); err != nil {
		return VerifyReport{}, err
	}
	pub, err := checkSignatureFields(d.Signature)
	if err != nil {
		return VerifyReport{}, err
	}
	fp := incident.KeyFingerprint(pub)
	if opts.PublicKey != nil && !pub.Equal(opts.PublicKey) {
		return VerifyReport{}, &VerifyError{Reason: fmt.Sprintf(
			"head: signed by %s, not by the expected key %s", fp, incident.KeyFingerprint(opts.PublicKey))}
	}
	sig, err := base64.StdEncoding.DecodeString(d.Signature.Value)
	if err != nil || !signatureValid(d, pub, sig) {
		return VerifyReport{}, &VerifyError{Reason: "signature invalid (the header, the head or the signature was altered)"}
	}
	return VerifyReport{
		Incident: d.Incident.ID, Exercise: d.Incident.Exercise, Entries: len(d.Entries), Head: d.Head, Fingerprint: fp,
		Version: d.Version, HeaderSigned: d.Version >= exportVersion, KeyTrusted: opts.PublicKey != nil,
	}, nil
}

// checkSignatureFields decodes the public key and refuses a fingerprint
// that is not the key's: people compare the fingerprint, the signature
// checks the key, and the two must not say different things.
func checkSignatureFields(s exportSignature) (ed25519.PublicKey, error) {
	if s.Alg != sigAlg {
		return nil, &VerifyError{Reason: fmt.Sprintf("head: signature algorithm %q (accepted: %s)", s.Alg, sigAlg)}
	}
	raw, err := base64.StdEncoding.DecodeString(s.PublicKey)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, &VerifyError{Reason: "head: public key is not a base64 ed25519 key"}
	}
	pub := ed25519.PublicKey(raw)
	if s.Fingerprint != "" && s.Fingerprint != incident.KeyFingerprint(pub) {
		return nil, &VerifyError{Reason: fmt.Sprintf(
			"head: fingerprint %s is not that of the public key (%s)", s.Fingerprint, incident.KeyFingerprint(pub))}
	}
	return pub, nil
}
