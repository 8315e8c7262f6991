package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/vigie-sante/vigie/bot/incident"
)

// writeJSON writes the export as one indented object, member by member and
// entry by entry, as encoding/json would indent the whole document: an
// export of any length is written without holding it. HTML escaping is off
// so that notes read as typed ("<", "&") in any viewer.
//
// The header and each entry are decoded back as they are written, as
// Verify would read them: a header that would not check against its
// signature, or an entry whose hash would not match, stops the export.
func writeJSON(w io.Writer, d *exportDoc) error {
	j := &jsonWriter{w: w}
	j.enc = json.NewEncoder(&j.scratch)
	j.enc.SetEscapeHTML(false)

	io.WriteString(w, "{\n")
	j.member("format", d.Format)
	j.member("version", d.Version)
	j.member("exported_at", d.ExportedAt)
	inc := j.member("incident", d.Incident)
	if j.err != nil {
		return j.err
	}
	if err := checkJSONHeader(d, inc); err != nil {
		return err
	}
	io.WriteString(w, "  \"entries\": [\n")
	err := d.each(func(e incident.Entry) error {
		b := j.value(e, "    ")
		if j.err != nil {
			return j.err
		}
		if err := checkJSONEntry(b, e); err != nil {
			return err
		}
		io.WriteString(w, "    ")
		w.Write(b)
		if e.Seq < d.Head.Seq {
			io.WriteString(w, ",")
		}
		_, err := io.WriteString(w, "\n")
		return err
	})
	if err != nil {
		return err
	}
	io.WriteString(w, "  ],\n")
	j.member("head", d.Head)
	j.last = true
	j.member("signature", d.Signature)
	if j.err != nil {
		return j.err
	}
	_, err = io.WriteString(w, "}\n")
	return err
}

// jsonWriter writes the members of the export's top-level object.
type jsonWriter struct {
	w       io.Writer
	enc     *json.Encoder
	scratch bytes.Buffer
	last    bool // the next member is the last one: no comma
	err     error
}

// value encodes v as it sits at prefix's depth, without its final newline.
func (j *jsonWriter) value(v any, prefix string) []byte {
	j.scratch.Reset()
	j.enc.SetIndent(prefix, "  ")
	if err := j.enc.Encode(v); err != nil && j.err == nil {
		j.err = err
	}
	return bytes.TrimSuffix(j.scratch.Bytes(), []byte("\n"))
}

// member writes `  "name": value` and returns the value's encoding.
func (j *jsonWriter) member(name string, v any) []byte {
	b := j.value(v, "  ")
	if j.err != nil {
		return nil
	}
	io.WriteString(j.w, "  "+strconv.Quote(name)+": ")
	j.w.Write(b)
	sep := ",\n"
	if j.last {
		sep = "\n"
	}
	if _, err := io.WriteString(j.w, sep); err != nil && j.err == nil {
		j.err = err
	}
	return b
}

// checkJSONHeader decodes the incident as written and checks that the
// signature still covers it.
func checkJSONHeader(d *exportDoc, b []byte) error {
	back := *d
	if err := strictUnmarshal(b, &back.Incident); err != nil {
		return fmt.Errorf("the JSON header would not read back: %w", err)
	}
	if !bytes.Equal(documentMessage(&back), documentMessage(d)) {
		return fmt.Errorf("the JSON header would not verify (a field the format cannot carry as it is?)")
	}
	return nil
}

// checkJSONEntry decodes an entry as written and checks its hash.
func checkJSONEntry(b []byte, e incident.Entry) error {
	var back incident.Entry
	if err := strictUnmarshal(b, &back); err != nil {
		return &VerifyError{Seq: e.Seq, Reason: "would not read back: " + err.Error()}
	}
	if back.Seq != e.Seq || back.Prev != e.Prev || back.Hash != e.Hash || back.ComputeHash() != e.Hash {
		return &VerifyError{Seq: e.Seq, Reason: "would not verify once written as JSON"}
	}
	return nil
}
