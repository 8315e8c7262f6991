package report_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

func TestVerifyValid(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	for _, format := range []string{"json", "csv"} {
		t.Run(format, func(t *testing.T) {
			for _, opts := range []report.VerifyOptions{{}, {PublicKey: pub}} {
				rep, err := report.Verify(bytes.NewReader(export(t, format)), opts)
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				inc, _ := fixture()
				want := report.VerifyReport{Incident: "2026-0001", Entries: 10, Head: inc.Head, Fingerprint: incident.KeyFingerprint(pub),
					Version: 2, HeaderSigned: true, KeyTrusted: opts.PublicKey != nil}
				if rep != want {
					t.Errorf("report = %+v, want %+v", rep, want)
				}
			}
		})
	}
}

// doc is an export taken apart so that tests can tamper with it, then
// written back in either format by the test's own reading of the format
// (not the package's writers: Export refuses to write a broken chain).
type doc struct {
	Version    int
	ExportedAt string
	Incident   string
	Header     header
	Entries    []incident.Entry
	Head       incident.Head
	Alg        string
	Key        string
	FP         string
	Sig        string
}

// header is the incident object of an export, as the README documents it.
type header struct {
	Title, Chain, Version, T0, OpenedAt, Status, ClosedAt string
	OpenedBy, ClosedBy                                    incident.User
}

func parsedFixture(t *testing.T) *doc {
	var j struct {
		Version    int
		ExportedAt string `json:"exported_at"`
		Incident   struct {
			ID, Title, Chain, Version, T0, Status string
			OpenedBy                              incident.User `json:"opened_by"`
			OpenedAt                              string        `json:"opened_at"`
		}
		Entries   []incident.Entry
		Head      incident.Head
		Signature struct {
			Alg         string `json:"alg"`
			PublicKey   string `json:"public_key"`
			Fingerprint string `json:"fingerprint"`
			Value       string `json:"value"`
		}
	}
	if err := json.Unmarshal(export(t, "json"), &j); err != nil {
		t.Fatal(err)
	}
	s, h := j.Signature, j.Incident
	return &doc{
		Version: j.Version, ExportedAt: j.ExportedAt, Incident: h.ID,
		Header:  header{Title: h.Title, Chain: h.Chain, Version: h.Version, T0: h.T0, OpenedBy: h.OpenedBy, OpenedAt: h.OpenedAt, Status: h.Status},
		Entries: j.Entries, Head: j.Head, Alg: s.Alg, Key: s.PublicKey, FP: s.Fingerprint, Sig: s.Value,
	}
}

// message is what a version-2 signature covers, as the README documents it.
func (d *doc) message() []byte {
	var c incident.Canonical
	h := d.Header
	for _, f := range [][2]string{
		{"context", "vigie-export-v2"}, {"format", "vigie-main-courante"}, {"version", strconv.Itoa(d.Version)},
		{"exported_at", d.ExportedAt}, {"incident.id", d.Incident}, {"incident.title", h.Title},
		{"incident.chain", h.Chain}, {"incident.version", h.Version}, {"incident.t0", h.T0},
		{"incident.opened_by.id", h.OpenedBy.ID}, {"incident.opened_by.name", h.OpenedBy.Name},
		{"incident.opened_at", h.OpenedAt}, {"incident.status", h.Status},
		{"incident.closed_by.id", h.ClosedBy.ID}, {"incident.closed_by.name", h.ClosedBy.Name},
		{"incident.closed_at", h.ClosedAt}, {"head.seq", strconv.FormatUint(d.Head.Seq, 10)}, {"head.hash", d.Head.Hash},
	} {
		c.Field(f[0], f[1])
	}
	return c.Bytes()
}

// resign signs d with key, as a forger holding that key would.
func (d *doc) resign(key ed25519.PrivateKey) {
	pub := key.Public().(ed25519.PublicKey)
	d.Key, d.FP = base64.StdEncoding.EncodeToString(pub), incident.KeyFingerprint(pub)
	d.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(key, d.message()))
}

func (d *doc) json() []byte {
	h := d.Header
	inc := map[string]any{
		"id": d.Incident, "title": h.Title, "chain": h.Chain, "version": h.Version, "t0": h.T0,
		"opened_by": h.OpenedBy, "opened_at": h.OpenedAt, "status": h.Status,
	}
	if h.ClosedAt != "" {
		inc["closed_by"], inc["closed_at"] = h.ClosedBy, h.ClosedAt
	}
	b, err := json.MarshalIndent(map[string]any{
		"format": "vigie-main-courante", "version": d.Version, "exported_at": d.ExportedAt,
		"incident": inc, "entries": d.Entries, "head": d.Head,
		"signature": map[string]string{"alg": d.Alg, "public_key": d.Key, "fingerprint": d.FP, "value": d.Sig},
	}, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

func (d *doc) csv() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	esc := func(s string) string { // the documented cell escapes
		switch {
		case strings.Contains(s, "\r"):
			return "'" + strconv.Quote(s)
		case s != "" && strings.ContainsRune("=+-@\t'", rune(s[0])):
			return "'" + s
		}
		return s
	}
	h := d.Header
	w.Write([]string{"#format", "vigie-main-courante", strconv.Itoa(d.Version)})
	w.Write([]string{"#exported_at", d.ExportedAt})
	w.Write([]string{"#incident", d.Incident})
	w.Write([]string{"#title", esc(h.Title)})
	w.Write([]string{"#chain", h.Chain, h.Version})
	w.Write([]string{"#t0", h.T0})
	w.Write([]string{"#opened", h.OpenedBy.ID, h.OpenedBy.Name, h.OpenedAt})
	w.Write([]string{"#status", h.Status})
	if h.ClosedAt != "" {
		w.Write([]string{"#closed", h.ClosedBy.ID, h.ClosedBy.Name, h.ClosedAt})
	}
	w.Write(strings.Split("seq,time,actor,kind,text,data,prev,hash", ","))
	for _, e := range d.Entries {
		data := ""
		if e.Data != nil {
			b, _ := json.Marshal(e.Data)
			data = string(b)
		}
		w.Write([]string{strconv.FormatUint(e.Seq, 10), e.Time.UTC().Format(time.RFC3339Nano),
			esc(e.Actor), esc(e.Kind), esc(e.Text), data, e.Prev, e.Hash})
	}
	w.Write([]string{"#head", strconv.FormatUint(d.Head.Seq, 10), d.Head.Hash})
	w.Write([]string{"#signature", d.Alg, d.Key, d.Sig})
	w.Write([]string{"#fingerprint", d.FP})
	w.Flush()
	return buf.Bytes()
}

// rehash recomputes the hash of entry i (1-based) after an edit, as a
// careful forger would.
func (d *doc) rehash(i int) { d.Entries[i-1].Hash = d.Entries[i-1].ComputeHash() }

// remove drops entry i (1-based).
func (d *doc) remove(i int) { d.Entries = append(d.Entries[:i-1], d.Entries[i:]...) }

func (d *doc) last() incident.Entry { return d.Entries[len(d.Entries)-1] }

var forgerKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))

func TestVerifyTampered(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(d *doc)
		pin    ed25519.PublicKey
		seq    uint64 // the entry named; 0 for the head
		reason string
	}{
		{name: "untouched"},
		{name: "text altered", tamper: func(d *doc) { d.Entries[6].Text = "rien" },
			seq: 7, reason: "hash does not match its content (altered?)"},
		{name: "actor altered", tamper: func(d *doc) { d.Entries[2].Actor = "@dpo" },
			seq: 3, reason: "hash does not match"},
		{name: "time altered", tamper: func(d *doc) { d.Entries[4].Time = d.Entries[4].Time.Add(-time.Hour) },
			seq: 5, reason: "hash does not match"},
		{name: "time lost its nanoseconds", tamper: func(d *doc) { d.Entries[5].Time = d.Entries[5].Time.Truncate(time.Second) },
			seq: 6, reason: "hash does not match"},
		{name: "data altered", tamper: func(d *doc) { d.Entries[4].Data["ref"] = "CS-9999" },
			seq: 5, reason: "hash does not match"},
		{name: "data added", tamper: func(d *doc) { d.Entries[6].Data = map[string]string{"x": "y"} },
			seq: 7, reason: "hash does not match"},
		{name: "data key with a space, rehashed", tamper: func(d *doc) { d.Entries[1].Data["a b"] = "c"; d.rehash(2) },
			seq: 3, reason: "prev does not match the hash of entry 2"},
		{name: "hash rewritten to match", tamper: func(d *doc) { d.Entries[6].Text = "rien"; d.rehash(7) },
			seq: 8, reason: "prev does not match the hash of entry 7 (entry 7 altered?)"},
		{name: "last hash rewritten to match", tamper: func(d *doc) { d.Entries[9].Text = "rien"; d.rehash(10) },
			reason: "head: hash does not match entry #10"},
		{name: "first removed", tamper: func(d *doc) { d.remove(1) },
			seq: 1, reason: "expected seq 1, found 2 (removed or reordered?)"},
		{name: "middle removed", tamper: func(d *doc) { d.remove(5) },
			seq: 5, reason: "expected seq 5, found 6 (removed or reordered?)"},
		{name: "middle removed and renumbered", tamper: func(d *doc) {
			d.remove(5)
			for i := 4; i < len(d.Entries); i++ {
				d.Entries[i].Seq--
			}
		}, seq: 5, reason: "prev does not match the hash of entry 4"},
		{name: "tail rewritten after a removal", tamper: func(d *doc) {
			d.remove(5)
			for i := 4; i < len(d.Entries); i++ {
				d.Entries[i].Seq--
				d.Entries[i].Prev = d.Entries[i-1].Hash
				d.rehash(i + 1)
			}
			d.Head = incident.Head{Seq: d.last().Seq, Hash: d.last().Hash}
		}, reason: "signature invalid"},
		{name: "last removed, head left", tamper: func(d *doc) { d.remove(10) },
			reason: "head: last entry is #9 but the signed head is #10 (entries removed at the end?)"},
		{name: "last removed, head rewritten", tamper: func(d *doc) {
			d.remove(10)
			d.Head = incident.Head{Seq: 9, Hash: d.last().Hash}
		}, reason: "signature invalid"},
		{name: "all removed", tamper: func(d *doc) { d.Entries = nil },
			reason: "no entries"},
		{name: "swapped", tamper: func(d *doc) { d.Entries[3], d.Entries[4] = d.Entries[4], d.Entries[3] },
			seq: 4, reason: "expected seq 4, found 5 (removed or reordered?)"},
		{name: "first prev set", tamper: func(d *doc) { d.Entries[0].Prev = d.Entries[1].Hash; d.rehash(1) },
			seq: 1, reason: "prev must be empty for the first entry"},
		{name: "incident renamed", tamper: func(d *doc) { d.Incident = "2026-0002" },
			seq: 1, reason: ""}, // JSON: belongs to another incident; CSV: hash (the id is hashed)
		{name: "signature altered", tamper: func(d *doc) { d.Sig = base64.StdEncoding.EncodeToString(make([]byte, 64)) },
			reason: "signature invalid"},
		{name: "signature not base64", tamper: func(d *doc) { d.Sig = "!!" },
			reason: "signature invalid"},
		{name: "fingerprint altered", tamper: func(d *doc) { d.FP = incident.KeyFingerprint(forgerKey.Public().(ed25519.PublicKey)) },
			reason: "head: fingerprint SHA256:"},
		{name: "key of the wrong size", tamper: func(d *doc) { d.Key = "AAAA" },
			reason: "head: public key is not a base64 ed25519 key"},
		{name: "other algorithm", tamper: func(d *doc) { d.Alg = "rsa" },
			reason: `head: signature algorithm "rsa" (accepted: ed25519)`},
		{name: "wrong pinned key", pin: forgerKey.Public().(ed25519.PublicKey),
			reason: "head: signed by " + incident.KeyFingerprint(testKey.Public().(ed25519.PublicKey)) + ", not by the expected key"},
		{name: "re-signed by a forger, pinned", pin: testKey.Public().(ed25519.PublicKey), tamper: func(d *doc) {
			d.Entries[9].Text = "rien"
			d.rehash(10)
			d.Head.Hash = d.last().Hash
			d.resign(forgerKey)
		}, reason: "head: signed by " + incident.KeyFingerprint(forgerKey.Public().(ed25519.PublicKey)) + ", not by the expected key"},
	}
	for _, format := range []string{"json", "csv"} {
		for _, tt := range tests {
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				d := parsedFixture(t)
				if tt.tamper != nil {
					tt.tamper(d)
				}
				in := d.json()
				if format == "csv" {
					in = d.csv()
				}
				_, err := report.Verify(bytes.NewReader(in), report.VerifyOptions{PublicKey: tt.pin})
				wantErr(t, err, tt.seq, tt.reason, in)
			})
		}
	}
}

// wantErr checks err is a *VerifyError naming entry seq with reason; with
// seq 0 and no reason, that err is nil.
func wantErr(t *testing.T, err error, seq uint64, reason string, in []byte) {
	t.Helper()
	if seq == 0 && reason == "" {
		if err != nil {
			t.Fatalf("Verify: %v\n%s", err, in)
		}
		return
	}
	var ve *report.VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("Verify error = %v, want a *VerifyError", err)
	}
	if ve.Seq != seq || !strings.Contains(ve.Reason, reason) {
		t.Fatalf("Verify error = %q (seq %d), want seq %d and %q", ve, ve.Seq, seq, reason)
	}
}

// TestVerifyForgerKey: without a pinned key, a file re-signed by another
// key is intact but signed by someone else, which the report shows.
func TestVerifyForgerKey(t *testing.T) {
	d := parsedFixture(t)
	pub := forgerKey.Public().(ed25519.PublicKey)
	d.resign(forgerKey)
	rep, err := report.Verify(bytes.NewReader(d.json()), report.VerifyOptions{})
	if err != nil || rep.Fingerprint != incident.KeyFingerprint(pub) {
		t.Fatalf("Verify = %+v, %v; want success with the forger's fingerprint", rep, err)
	}
}

// TestVerifyFile covers what only one format can get wrong: the bytes of
// the file itself.
func TestVerifyFile(t *testing.T) {
	js, cs := string(export(t, "json")), string(export(t, "csv"))
	cut := func(s, marker string, keep bool) string {
		i := strings.Index(s, marker)
		if i < 0 {
			panic("no " + marker)
		}
		if keep {
			i += len(marker)
		}
		return s[:i]
	}
	csvLine := func(seq int) string { // the start of entry seq's row
		return "\n" + strconv.Itoa(seq) + ",2026-"
	}
	tests := []struct {
		name, in string
		seq      uint64
		reason   string
	}{
		{"json truncated in entry 6", cut(js, `"seq": 6,`, true), 6, "not valid JSON at byte"},
		{"json truncated after the entries", cut(js, `"head"`, false), 0, "not valid JSON"},
		{"json member twice", strings.Replace(js, `"kind": "note",`, `"kind": "note", "kind": "point",`, 1), 6, `member "kind" appears twice`},
		{"json member in capitals", strings.Replace(js, `"kind": "note",`, `"kind": "note", "Text": "x",`, 1), 6, `unknown member "Text"`},
		{"json data key twice", strings.Replace(js, `"ref": "CS-1234",`, `"ref": "CS-1234", "ref": "CS-1",`, 1), 5, `member "ref" appears twice`},
		{"json trailing object", js + `{"format":"vigie-main-courante"}`, 0, "data after the end"},
		{"json seq negative", strings.Replace(js, `"seq": 3,`, `"seq": -3,`, 1), 3, "not a valid entry"},
		{"json time not a time", strings.Replace(js, `"time": "2026-03-28T01:15:00Z"`, `"time": "hier"`, 1), 4, "not a valid entry"},
		{"json deeply nested", strings.Replace(js, `"title": "Rançongiciel sur le PACS",`, `"title": [[[[[[[[[]]]]]]]]],`, 1), 0, "nested too deeply"},
		{"csv truncated after entry 7", cut(cs, csvLine(8), false) + "\n", 0, "head: missing #head row (file truncated?)"},
		{"csv truncated inside entry 6", cut(cs, "virgules", false), 6, "not valid CSV (truncated or edited?)"},
		{"csv truncated inside entry 9", cut(cs, csvLine(9)+"03-29T01:30:00Z,vigie", true), 9, "entry row has 3 cells, want 8 (truncated?)"},
		{"csv no signature", cut(cs, "#signature", false), 0, "head: missing #signature row"},
		{"csv header only", cut(cs, "\n1,", false) + "\n", 0, "head: missing #head row"},
		{"csv no header", strings.Replace(cs, "seq,time,actor,kind,text,data,prev,hash\n", "", 1), 0, "unexpected row"},
		{"csv row after the end", cs + "11,2026-03-29T08:00:00Z,@x,note,ajout,,,\n", 0, "unexpected row"},
		{"csv tag inside entries", strings.Replace(cs, csvLine(5), "\n#title,autre"+csvLine(5), 1), 5, "unexpected row"},
		{"csv tag twice", strings.Replace(cs, "#fingerprint", "#head,10,x\n#fingerprint", 1), 0, "row #head appears twice"},
		{"csv data not JSON", strings.Replace(cs, `"{""n"":""1""}"`, "n=1", 1), 8, "data is not a JSON object with each key once"},
		{"csv data key twice", strings.Replace(cs, `"{""n"":""1""}"`, `"{""n"":""1"",""n"":""2""}"`, 1), 8, "each key once"},
		{"csv data not strings", strings.Replace(cs, `"{""n"":""1""}"`, `"{""n"":1}"`, 1), 8, "JSON object of strings"},
		{"csv seq not a number", strings.Replace(cs, csvLine(4), "\nquatre,2026-", 1), 4, `seq "quatre" is not a number`},
		{"csv formula unescaped", strings.Replace(cs, "'=HYPERLINK", "=HYPERLINK", 1), 0, ""},
		{"csv apostrophe lost", strings.Replace(cs, "''Sans objet", "'Sans objet", 1), 10, "hash does not match"},
		{"csv CR quoting lost", strings.Replace(cs, `"'""Conditions : PACS arrêté\r\nActions`, `"Conditions : PACS arrêté
Actions`, 1), 8, "hash does not match"},
		{"csv CR quoting broken", strings.Replace(cs, `isolement\nBesoins : renfort"""`, `isolement\nBesoins : renfort"`, 1), 8, "is not a quoted string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := report.Verify(strings.NewReader(tt.in), report.VerifyOptions{})
			wantErr(t, err, tt.seq, tt.reason, []byte(tt.in))
		})
	}
}

func TestVerifyNotExport(t *testing.T) {
	js, cs := string(export(t, "json")), string(export(t, "csv"))
	for name, in := range map[string]string{
		"empty":        "",
		"blank":        " \n\t",
		"text":         "hello",
		"other json":   `{"a": 1}`,
		"other csv":    "a,b\n1,2\n",
		"markdown":     string(export(t, "md")),
		"json v3":      strings.Replace(js, `"version": 2`, `"version": 3`, 1),
		"csv v3":       strings.Replace(cs, "#format,vigie-main-courante,2", "#format,vigie-main-courante,3", 1),
		"format typed": strings.Replace(js, `"format": "vigie-main-courante"`, `"format": 1`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := report.Verify(strings.NewReader(in), report.VerifyOptions{})
			if !errors.Is(err, report.ErrNotExport) {
				t.Fatalf("Verify error = %v, want ErrNotExport", err)
			}
		})
	}
}

// TestVerifyTolerates what editors and transfers do without changing the
// content: a byte-order mark, CRLF line ends, leading blank lines.
func TestVerifyTolerates(t *testing.T) {
	js, cs := export(t, "json"), export(t, "csv")
	for name, in := range map[string][]byte{
		"json with BOM":  append([]byte("\uFEFF"), js...),
		"json indented":  append([]byte("\n  "), js...),
		"csv with BOM":   append([]byte("\uFEFF"), cs...),
		"csv CRLF":       bytes.ReplaceAll(cs, []byte("\n"), []byte("\r\n")),
		"json compact":   compact(t, js),
		"json reordered": reorder(t, js),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := report.Verify(bytes.NewReader(in), report.VerifyOptions{}); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

func compact(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// reorder re-encodes through a map, which sorts members.
func reorder(t *testing.T, b []byte) []byte {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// FuzzVerify feeds Verify arbitrary bytes, seeded with valid exports: it
// must never panic, and whatever it accepts must be consistent.
func FuzzVerify(f *testing.F) {
	f.Add(export(f, "json"))
	f.Add(export(f, "csv"))
	// Small exports too: mutations of a short file reach further.
	inc, entries := fixture()
	entries = entries[:1]
	inc.Head = incident.Head{Seq: 1, Hash: entries[0].Hash}
	inc.Chain, inc.Version = "", "" // chosen by entry 2, left out
	for _, format := range []string{"json", "csv"} {
		var buf bytes.Buffer
		if err := report.Export(&buf, format, flows.FR, inc, entries, testKey, exportNow); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`{"format":"vigie-main-courante","version":1,"entries":[{"seq":1,"data":{"a":"b"}}]}`))
	f.Add([]byte("#format,vigie-main-courante,1\n#incident,x\nseq,time,actor,kind,text,data,prev,hash\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := report.Verify(bytes.NewReader(b), report.VerifyOptions{})
		if err != nil {
			var ve *report.VerifyError
			if !errors.As(err, &ve) && !errors.Is(err, report.ErrNotExport) {
				t.Fatalf("Verify error %T %v is neither a VerifyError nor ErrNotExport", err, err)
			}
			return
		}
		if rep.Entries == 0 || rep.Head.Seq != uint64(rep.Entries) || rep.Fingerprint == "" {
			t.Fatalf("Verify accepted an inconsistent export: %+v", rep)
		}
	})
}

// TestVerifyHeaderEdited: every header field is covered. A field the
// entries determine is named when it disagrees with them; the others (the
// export time, the format version) break the signature.
func TestVerifyHeaderEdited(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(d *doc)
		reason string
	}{
		{"title", func(d *doc) { d.Header.Title = "Panne électrique" }, `header: title is "Panne électrique" but entry 1 says`},
		{"chain", func(d *doc) { d.Header.Chain = "nouvelle-aquitaine/ose" }, "header: chain"},
		{"chain version", func(d *doc) { d.Header.Version = "2024-01" }, "header: version"},
		{"t0 moved an hour", func(d *doc) { d.Header.T0 = "2026-03-28T02:10:00Z" }, "header: t0"},
		{"t0 moved a minute", func(d *doc) { d.Header.T0 = "2026-03-28T01:11:00Z" }, "header: t0"},
		{"opened by someone else", func(d *doc) { d.Header.OpenedBy = incident.User{ID: "u9", Name: "dg"} }, "header: opened_by"},
		{"opened later", func(d *doc) { d.Header.OpenedAt = "2026-03-28T05:12:00Z" }, "header: opened_at"},
		{"said closed", func(d *doc) { d.Header.Status = "closed" }, `header: status is "closed" but no entry closes`},
		{"closing added", func(d *doc) {
			d.Header.ClosedBy, d.Header.ClosedAt = incident.User{ID: "u2", Name: "dg"}, "2026-03-30T10:00:00Z"
		}, "no entry closes the incident"},
		{"exported at another time", func(d *doc) { d.ExportedAt = "2026-03-28T08:00:00Z" }, "signature invalid"},
		{"version 1, to skip the header", func(d *doc) { d.Version = 1 }, "signature invalid"},
		{"t0 moved, re-signed by a forger", func(d *doc) { d.Header.T0 = "2026-03-28T05:10:00Z"; d.resign(forgerKey) }, "header: t0"},
	}
	for _, format := range []string{"json", "csv"} {
		for _, tt := range tests {
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				d := parsedFixture(t)
				tt.edit(d)
				in := d.json()
				if format == "csv" {
					in = d.csv()
				}
				_, err := report.Verify(bytes.NewReader(in), report.VerifyOptions{})
				wantErr(t, err, 0, tt.reason, in)
			})
		}
	}
}

// TestVerifyVersion1: exports written before the header was signed still
// verify, say so, and have their header checked against the entries.
func TestVerifyVersion1(t *testing.T) {
	for _, name := range []string{"export.json", "export.csv"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "v1", name))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := report.Verify(bytes.NewReader(b), report.VerifyOptions{PublicKey: testKey.Public().(ed25519.PublicKey)})
			if err != nil || rep.Version != 1 || rep.HeaderSigned || !rep.KeyTrusted || rep.Entries != 10 {
				t.Fatalf("Verify = %+v, %v; want version 1, header unsigned", rep, err)
			}
			edited := strings.Replace(string(b), "2026-03-28T01:10:00Z", "2026-03-28T03:10:00Z", 1)
			_, err = report.Verify(strings.NewReader(edited), report.VerifyOptions{})
			wantErr(t, err, 0, "header: t0", []byte(edited))
		})
	}
}
