package report_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// longIncident is an open incident whose main courante has n entries, the
// notes of a long crisis, on the Nouvelle-Aquitaine ES chain, with the
// CERT Santé declared at entry 3.
func longIncident(n int) (*incident.Incident, []incident.Entry) {
	at := time.Date(2026, 3, 28, 1, 0, 0, 0, time.UTC)
	inc := &incident.Incident{ID: "2026-0042", Title: "Rançongiciel", Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1",
		T0: at, OpenedAt: at, OpenedBy: incident.User{ID: "u", Name: "rssi"}, Channel: "c", Status: incident.StatusOpen}
	es := make([]incident.Entry, n)
	es[0] = incident.Entry{Time: at, Actor: "@rssi", Kind: incident.KindOpened, Text: "Incident ouvert : Rançongiciel",
		Data: map[string]string{"title": inc.Title, "t0": at.Format(time.RFC3339), "chain": inc.Chain, "version": inc.Version}}
	for k := 1; k < n; k++ {
		es[k] = incident.Entry{Time: at.Add(time.Duration(k) * time.Second), Actor: "@cellule", Kind: incident.KindNote,
			Text: fmt.Sprintf("Point %d : le standard signale des appels sur la messagerie coupée du bâtiment B ; l'équipe informatique isole le serveur %d.", k+1, k%40)}
	}
	es[2] = incident.Entry{Time: at.Add(2 * time.Second), Actor: "@rssi", Kind: incident.KindDone, Text: "Fait : Déclarer l'incident au CERT Santé",
		Data: map[string]string{"step": "cert-sante", "means": "portail", "ref": "CS-1", "declared_at": at.Add(2 * time.Second).Format(time.RFC3339)}}
	inc.Head = incident.Seal(incident.Head{}, inc.ID, es)
	return inc, es
}

var hexHash = regexp.MustCompile(`\b[0-9a-f]{64}\b`)

// TestExportAnnexCompact: the annex of a long main courante does not print
// every entry's hash (a page for 50 entries made 2 000 pages at 100 000):
// it gives the head, the signature and the key's fingerprint, how to
// verify with the JSON export and vigie verify, and checkpoints, each
// entry's number, the page of the timeline it is printed on and its full
// hash: one entry in N, the first, the last and every entry the
// obligations table cites. A short main courante still has every hash.
func TestExportAnnexCompact(t *testing.T) {
	x, _, _ := regulatorFixture(t)
	const n = 12_000
	inc, entries := longIncident(n)
	hashOf := func(seq int) string { return entries[seq-1].Hash }

	_, pdf, err := report.PDFLines(x, inc, entries, flows.FR, testKey, reportNow)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdfLayout(t, pdf), "\f")
	first := -1
	for i, p := range pages {
		if strings.Contains(p, "Annexe — empreintes et signature") {
			first = i
			break
		}
	}
	if first < 0 {
		t.Fatal("no annex")
	}
	annex := strings.Join(pages[first:], "\n")
	if got := len(pages) - 1 - first; got > 12 {
		t.Errorf("the annex of %d entries takes %d pages, want at most 12", n, got)
	}
	for _, w := range []string{"vigie verify", "--key", "seq", "hash", inc.Head.Hash, "une entrée sur"} {
		if !strings.Contains(annex, w) {
			t.Errorf("the annex lacks %q", w)
		}
	}
	row := regexp.MustCompile(`(?m)^\s*(\d[\d ]*)\s+(\d+)\s+([0-9a-f]{64})\s*$`)
	seen := map[int]bool{}
	for _, m := range row.FindAllStringSubmatch(annex, -1) {
		seq, _ := strconv.Atoi(strings.ReplaceAll(m[1], " ", ""))
		page, _ := strconv.Atoi(m[2])
		if seq < 1 || seq > n || m[3] != hashOf(seq) {
			t.Errorf("checkpoint n° %d: hash %s is not the entry's", seq, m[3])
			continue
		}
		seen[seq] = true
		if page < 1 || page > first || !strings.Contains(pages[page-1], fmt.Sprintf("Point %d :", seq)) && seq > 3 {
			t.Errorf("checkpoint n° %d: page %d does not print it", seq, page)
		}
	}
	if len(seen) == 0 || len(seen) > 501+4 {
		t.Errorf("%d checkpoints, want between 1 and about 500", len(seen))
	}
	for _, seq := range []int{1, 3, n} { // the first, the declaration the obligations cite, the last
		if !seen[seq] {
			t.Errorf("no checkpoint for entry n° %d", seq)
		}
	}
	if len(hexHash.FindAllString(annex, -1)) > len(seen)+1 { // the head is printed above the table too
		t.Errorf("the annex prints more hashes than its checkpoints")
	}

	// The Markdown report has the same checkpoints.
	var md bytes.Buffer
	if _, err := x.Export(&md, "md", flows.FR, inc, report.Slice(entries), reportNow); err != nil {
		t.Fatal(err)
	}
	if got := len(hexHash.FindAllString(md.String(), -1)); got != len(seen)+1 {
		t.Errorf("the Markdown report prints %d hashes, want the %d checkpoints and the head", got, len(seen))
	}

	// A short main courante keeps every entry's hash.
	x, short, shortEntries := regulatorFixture(t)
	_, pdf, err = report.PDFLines(x, short, shortEntries, flows.FR, testKey, reportNow)
	if err != nil {
		t.Fatal(err)
	}
	layout := pdfLayout(t, pdf)
	for _, e := range shortEntries {
		if !strings.Contains(layout, e.Hash) {
			t.Errorf("the short main courante's annex lacks entry n° %d's hash", e.Seq)
		}
	}
}
