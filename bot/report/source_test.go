package report_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// generated is a main courante of n entries made on demand, as a store
// reads one a page at a time: no pass holds it whole.
func generated(n int) (*incident.Incident, report.Source, *int) {
	inc, first := fixture()
	passes := 0
	src := func(fn func(incident.Entry) error) error {
		passes++
		head := incident.Head{}
		for i := range n {
			var e incident.Entry
			if i < len(first) {
				e = first[i]
			} else {
				e = incident.Entry{Time: first[len(first)-1].Time.Add(time.Duration(i) * time.Second), Actor: "@rssi",
					Kind: incident.KindNote, Text: fmt.Sprintf("note %d", i)}
			}
			es := []incident.Entry{e}
			head = incident.Seal(head, inc.ID, es)
			if err := fn(es[0]); err != nil {
				return err
			}
		}
		return nil
	}
	var all []incident.Entry
	src(func(e incident.Entry) error { all = append(all, e); return nil })
	inc.Head = incident.Head{Seq: all[len(all)-1].Seq, Hash: all[len(all)-1].Hash}
	passes = 0
	return inc, src, &passes
}

// TestExportFromSource: an export read from a Source, in passes, is the
// same file as one from the entries in memory, in every format, and the
// JSON and CSV files verify.
func TestExportFromSource(t *testing.T) {
	inc, src, passes := generated(300)
	var all []incident.Entry
	src(func(e incident.Entry) error { all = append(all, e); return nil })
	for _, f := range report.ExportFormats {
		*passes = 0
		var streamed, held bytes.Buffer
		if _, err := report.ExportFrom(&streamed, f, flows.FR, inc, src, testKey, exportNow); err != nil {
			t.Fatalf("ExportFrom %s: %v", f, err)
		}
		if *passes < 2 {
			t.Errorf("%s: the source was read %d times, want a check pass and a writing pass", f, *passes)
		}
		if err := report.Export(&held, f, flows.FR, inc, all, testKey, exportNow); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(streamed.Bytes(), held.Bytes()) {
			t.Errorf("%s: streamed export differs from the one written from memory", f)
		}
		if f == "json" || f == "csv" {
			r, err := report.Verify(&streamed, report.VerifyOptions{PublicKey: testKey.Public().(ed25519.PublicKey)})
			if err != nil || r.Entries != 300 {
				t.Errorf("%s: verify: %+v %v", f, r, err)
			}
		}
	}
}

// TestExportFromChangingSource: a source whose entries differ between the
// check pass and the writing pass (a store damaged or restored meanwhile)
// stops the export with a sentence; entries appended after the first pass
// are left out, as they were not signed.
func TestExportFromChangingSource(t *testing.T) {
	inc, src, passes := generated(50)
	changed := func(fn func(incident.Entry) error) error {
		return src(func(e incident.Entry) error {
			if *passes > 1 && e.Seq == 50 {
				e.Hash = strings.Repeat("0", 64)
			}
			return fn(e)
		})
	}
	shorter := func(fn func(incident.Entry) error) error {
		return src(func(e incident.Entry) error {
			if *passes > 1 && e.Seq > 40 {
				return nil
			}
			return fn(e)
		})
	}
	for name, s := range map[string]report.Source{"changed": changed, "shorter": shorter} {
		for _, f := range report.ExportFormats {
			*passes = 0
			_, err := report.ExportFrom(&bytes.Buffer{}, f, flows.FR, inc, s, testKey, exportNow)
			if err == nil || !strings.Contains(err.Error(), "while the export was written") {
				t.Errorf("%s source, %s: %v, want the change named", name, f, err)
			}
		}
	}
	// Longer: entries appended after the check pass are not written.
	_, sixty, passes := generated(60)
	longer := func(fn func(incident.Entry) error) error {
		return sixty(func(e incident.Entry) error {
			if *passes == 1 && e.Seq > 50 {
				return nil
			}
			return fn(e)
		})
	}
	var buf bytes.Buffer
	if _, err := report.ExportFrom(&buf, "json", flows.FR, inc, longer, testKey, exportNow); err != nil {
		t.Fatal(err)
	}
	if r, err := report.Verify(&buf, report.VerifyOptions{}); err != nil || r.Entries != 50 {
		t.Errorf("a longer source: %+v %v", r, err)
	}
}

// pagedStore serves a main courante as a store does, and notes the
// largest page it was asked for.
type pagedStore struct {
	es      []incident.Entry
	maxPage int
	reads   int
	whole   bool // asked for everything at once
}

func (p *pagedStore) Entries(_ context.Context, id string, after uint64, limit int) ([]incident.Entry, error) {
	p.reads++
	p.maxPage = max(p.maxPage, limit)
	if limit <= 0 {
		p.whole, limit = true, len(p.es)
	}
	start := min(int(after), len(p.es))
	return p.es[start:min(start+limit, len(p.es))], nil
}

// TestExportFromPages: an export from a store reads it a bounded page at
// a time, and is the same file as from memory.
func TestExportFromPages(t *testing.T) {
	inc, src, _ := generated(2500)
	var all []incident.Entry
	src(func(e incident.Entry) error { all = append(all, e); return nil })
	st := &pagedStore{es: all}
	var paged, held bytes.Buffer
	if _, err := report.ExportFrom(&paged, "csv", flows.FR, inc, report.Pages(context.Background(), st, inc.ID), testKey, exportNow); err != nil {
		t.Fatal(err)
	}
	if err := report.Export(&held, "csv", flows.FR, inc, all, testKey, exportNow); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(paged.Bytes(), held.Bytes()) {
		t.Error("export from pages differs from the one from memory")
	}
	if st.whole || st.maxPage > 1000 || st.reads < 6 {
		t.Errorf("read in %d reads of at most %d entries, want pages of at most 1000 (≤ 0 reads everything)", st.reads, st.maxPage)
	}
}
