package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// The CSV export is one table for spreadsheets, framed by tagged rows that
// Verify reads back:
//
//	#format,vigie-main-courante,2
//	#exported_at,<RFC 3339>
//	#incident,<id>
//	#exercise,yes                             (exercises only)
//	#title,<title>
//	#chain,<chain>,<version>
//	#t0,<RFC 3339>
//	#opened,<by id>,<by name>,<RFC 3339>
//	#status,<status>
//	#closed,<by id>,<by name>,<RFC 3339>      (closed incidents only)
//	seq,time,actor,kind,text,data,prev,hash
//	<one row per entry; data as a JSON object, empty when there is none>
//	#head,<seq>,<hash>
//	#signature,ed25519,<public key, base64>,<signature of the document, base64>
//	#fingerprint,<SHA256:…>
//
// A row is a tag row when its first cell starts with '#'; entry rows start
// with a number. Two cell escapes, both undone exactly when reading:
//   - a cell a spreadsheet would take for a formula (starting with = + - @
//     or a tab) gets a leading apostrophe, and so does a cell already
//     starting with one;
//   - a cell holding a carriage return is written as an apostrophe and a
//     Go-quoted string ('"a\r\nb"), since encoding/csv reads CR LF back as
//     LF and the hash would no longer match. The guard never puts a double
//     quote after its apostrophe, so the two cannot be confused.
var csvHeader = []string{"seq", "time", "actor", "kind", "text", "data", "prev", "hash"}

// writeCSV writes the export row by row. The header rows, then each entry
// row, are read back as they are written, as Verify would read them: a
// header that would not check against its signature, or an entry whose
// hash would not match, stops the export.
func writeCSV(w io.Writer, d *exportDoc) error {
	c := &csvWriter{}
	c.cw = csv.NewWriter(&c.scratch)
	inc := d.Incident
	c.row("#format", exportName, strconv.Itoa(d.Version))
	c.row("#exported_at", formatTime(d.ExportedAt))
	c.row("#incident", inc.ID)
	if inc.Exercise {
		c.row("#exercise", "yes")
	}
	c.row("#title", inc.Title)
	c.row("#chain", inc.Chain, inc.Version)
	c.row("#t0", formatTime(inc.T0))
	c.row("#opened", inc.OpenedBy.ID, inc.OpenedBy.Name, formatTime(inc.OpenedAt))
	c.row("#status", string(inc.Status))
	if !inc.ClosedAt.IsZero() {
		c.row("#closed", inc.ClosedBy.ID, inc.ClosedBy.Name, formatTime(inc.ClosedAt))
	}
	c.row(csvHeader...)
	if err := c.flush(); err != nil {
		return err
	}
	cut := c.scratch.Len() // the entries go here
	c.row("#head", strconv.FormatUint(d.Head.Seq, 10), d.Head.Hash)
	c.row("#signature", d.Signature.Alg, d.Signature.PublicKey, d.Signature.Value)
	c.row("#fingerprint", d.Signature.Fingerprint)
	if err := c.flush(); err != nil {
		return err
	}
	// The header and trailer, with no entry between them, read back as
	// the document that was signed.
	back, err := readCSV(c.scratch.Bytes())
	if err != nil || !bytes.Equal(documentMessage(back), documentMessage(d)) {
		return fmt.Errorf("the CSV header would not verify (a field the format cannot carry as it is?)")
	}
	frame := c.scratch.String()
	io.WriteString(w, frame[:cut])
	err = d.each(func(e incident.Entry) error {
		c.scratch.Reset()
		data := ""
		if len(e.Data) > 0 {
			data = dataJSON(e.Data)
		}
		c.row(strconv.FormatUint(e.Seq, 10), formatTime(e.Time), e.Actor, e.Kind, e.Text, data, e.Prev, e.Hash)
		if err := c.flush(); err != nil {
			return err
		}
		if err := checkCSVEntry(c.scratch.Bytes(), e); err != nil {
			return err
		}
		_, err := w.Write(c.scratch.Bytes())
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, frame[cut:])
	return err
}

// csvWriter writes rows to a scratch buffer, escaping cells.
type csvWriter struct {
	scratch bytes.Buffer
	cw      *csv.Writer
}

func (c *csvWriter) row(cells ...string) {
	for i, s := range cells {
		cells[i] = csvEscape(s)
	}
	_ = c.cw.Write(cells) // errors stick in cw.Error
}

func (c *csvWriter) flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// checkCSVEntry reads an entry row back as Verify would and checks its
// hash.
func checkCSVEntry(b []byte, e incident.Entry) error {
	cr := csv.NewReader(bytes.NewReader(b))
	rec, err := cr.Read()
	if err == nil {
		for i := range rec {
			if rec[i], err = csvUnescape(rec[i]); err != nil {
				break
			}
		}
	}
	var back incident.Entry
	if err == nil {
		back, err = csvEntry(rec, e.Incident)
	}
	if err != nil {
		return &VerifyError{Seq: e.Seq, Reason: "would not read back from CSV: " + err.Error()}
	}
	if back.Seq != e.Seq || back.Prev != e.Prev || back.Hash != e.Hash || back.ComputeHash() != e.Hash {
		return &VerifyError{Seq: e.Seq, Reason: "would not verify once written as CSV"}
	}
	return nil
}

// formatTime writes an instant as ComputeHash sees it: UTC, RFC 3339 with
// as many decimals as it has, so that reading it back gives the same hash.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func csvEscape(s string) string {
	switch {
	case strings.Contains(s, "\r"):
		return "'" + strconv.Quote(s)
	case s != "" && strings.ContainsRune("=+-@\t'", rune(s[0])):
		return "'" + s
	}
	return s
}

func csvUnescape(s string) (string, error) {
	if strings.HasPrefix(s, `'"`) {
		u, err := strconv.Unquote(s[1:])
		if err != nil {
			return "", fmt.Errorf("cell %.20q… is not a quoted string", s)
		}
		return u, nil
	}
	return strings.TrimPrefix(s, "'"), nil
}

// csvSections are the parts of a CSV export, in the order they come.
const (
	csvMeta = iota
	csvEntries
	csvTrailer
)

// readCSV decodes a CSV export. Each tag may appear once, in its section;
// anything unexpected is refused, since a verified file must hold nothing
// that was not checked.
func readCSV(b []byte) (*exportDoc, error) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	d := &exportDoc{}
	seen := map[string]bool{}
	section := csvMeta
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		where := func() uint64 { // the entry a broken row would have been
			if section == csvEntries {
				return uint64(len(d.Entries)) + 1
			}
			return 0
		}
		if err != nil {
			if n == 0 {
				return nil, fmt.Errorf("%w: %v", ErrNotExport, err)
			}
			return nil, &VerifyError{Seq: where(), Reason: "not valid CSV (truncated or edited?): " + err.Error()}
		}
		var uerr error
		for i := range rec {
			if rec[i], err = csvUnescape(rec[i]); err != nil {
				uerr = err
			}
		}
		if n == 0 {
			if len(rec) != 3 || rec[0] != "#format" || rec[1] != exportName {
				return nil, fmt.Errorf("%w: the first row is not #format,%s", ErrNotExport, exportName)
			}
			v, err := strconv.Atoi(rec[2])
			if err != nil || v != exportVersion && v != exportVersion1 {
				return nil, fmt.Errorf("%w: version %q (accepted: %d, %d)", ErrNotExport, rec[2], exportVersion1, exportVersion)
			}
			d.Format, d.Version = exportName, v
			continue
		}
		line, _ := cr.FieldPos(0)
		bad := func(format string, args ...any) error {
			return &VerifyError{Seq: where(), Reason: fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)}
		}
		if uerr != nil {
			return nil, bad("%v", uerr)
		}
		tag := rec[0]
		switch {
		case section == csvMeta && slices.Equal(rec, csvHeader):
			section = csvEntries
			continue
		case section == csvEntries && !strings.HasPrefix(tag, "#"):
			e, err := csvEntry(rec, d.Incident.ID)
			if err != nil {
				return nil, bad("%v", err)
			}
			d.Entries = append(d.Entries, e)
			continue
		case section == csvEntries && tag == "#head":
			section = csvTrailer
		}
		if err := csvTag(d, section, seen, rec); err != nil {
			return nil, bad("%v", err)
		}
	}
	switch {
	case !seen["#incident"]:
		return nil, &VerifyError{Reason: "missing #incident row"}
	case section == csvMeta:
		return nil, &VerifyError{Reason: "no entries: the header row " + strings.Join(csvHeader, ",") + " is missing (file truncated?)"}
	case !seen["#head"]:
		return nil, &VerifyError{Reason: "head: missing #head row (file truncated?)"}
	case !seen["#signature"]:
		return nil, &VerifyError{Reason: "head: missing #signature row (file truncated?)"}
	}
	return d, nil
}

// csvTag reads one tag row into d, if it belongs in that section and was
// not seen before.
func csvTag(d *exportDoc, section int, seen map[string]bool, rec []string) error {
	want := map[string]int{
		"#exported_at": 2, "#incident": 2, "#exercise": 2, "#title": 2, "#chain": 3, "#t0": 2, "#opened": 4,
		"#status": 2, "#closed": 4, "#head": 3, "#signature": 4, "#fingerprint": 2,
	}
	trailer := rec[0] == "#head" || rec[0] == "#signature" || rec[0] == "#fingerprint"
	n, ok := want[rec[0]]
	switch {
	case !ok || (section == csvTrailer) != trailer || (!trailer && section != csvMeta):
		return fmt.Errorf("unexpected row %.40q", strings.Join(rec, ","))
	case seen[rec[0]]:
		return fmt.Errorf("row %s appears twice", rec[0])
	case len(rec) != n:
		return fmt.Errorf("row %s has %d cells, want %d", rec[0], len(rec), n)
	}
	seen[rec[0]] = true
	var err error
	inc := &d.Incident
	switch rec[0] {
	case "#exported_at":
		d.ExportedAt, err = parseTime(rec[1])
	case "#incident":
		inc.ID = rec[1]
	case "#exercise":
		if rec[1] != "yes" {
			return fmt.Errorf("row #exercise: %q (accepted: yes, or no row for a real incident)", rec[1])
		}
		inc.Exercise = true
	case "#title":
		inc.Title = rec[1]
	case "#chain":
		inc.Chain, inc.Version = rec[1], rec[2]
	case "#t0":
		inc.T0, err = parseTime(rec[1])
	case "#opened":
		inc.OpenedBy = incident.User{ID: rec[1], Name: rec[2]}
		inc.OpenedAt, err = parseTime(rec[3])
	case "#status":
		inc.Status = incident.Status(rec[1])
	case "#closed":
		inc.ClosedBy = incident.User{ID: rec[1], Name: rec[2]}
		inc.ClosedAt, err = parseTime(rec[3])
	case "#head":
		d.Head.Hash = rec[2]
		d.Head.Seq, err = strconv.ParseUint(rec[1], 10, 64)
	case "#signature":
		d.Signature.Alg, d.Signature.PublicKey, d.Signature.Value = rec[1], rec[2], rec[3]
	case "#fingerprint":
		d.Signature.Fingerprint = rec[1]
	}
	if err != nil {
		return fmt.Errorf("row %s: %w", rec[0], err)
	}
	return nil
}

// csvEntry reads one entry row; the incident comes from the #incident row.
func csvEntry(rec []string, id string) (incident.Entry, error) {
	if len(rec) != len(csvHeader) {
		return incident.Entry{}, fmt.Errorf("entry row has %d cells, want %d (truncated?)", len(rec), len(csvHeader))
	}
	e := incident.Entry{Incident: id, Actor: rec[2], Kind: rec[3], Text: rec[4], Prev: rec[6], Hash: rec[7]}
	var err error
	if e.Seq, err = strconv.ParseUint(rec[0], 10, 64); err != nil {
		return incident.Entry{}, fmt.Errorf("seq %q is not a number", rec[0])
	}
	if e.Time, err = parseTime(rec[1]); err != nil || e.Time.IsZero() {
		return incident.Entry{}, fmt.Errorf("time %q is not an RFC 3339 instant", rec[1])
	}
	if rec[5] != "" {
		if problem, err := checkMembers([]byte(rec[5]), true); err != nil || problem != nil {
			return incident.Entry{}, errors.New("data is not a JSON object with each key once")
		}
		if err := json.Unmarshal([]byte(rec[5]), &e.Data); err != nil || e.Data == nil {
			return incident.Entry{}, errors.New("data is not a JSON object of strings")
		}
	}
	return e, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), err
}

// dataJSON writes entry data as a JSON object with sorted keys, without
// the HTML escaping of json.Marshal so that "<" reads as typed.
func dataJSON(data map[string]string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(data) // a map of strings always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
