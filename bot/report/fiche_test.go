package report_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vigie-sante/vigie/bot/report/pdfw/poppler"

	qrcode "github.com/piglig/go-qr"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// sheetNow is the edition date of the sheets under test.
var sheetNow = time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC)

func sheetCatalog(t *testing.T) (*flows.Catalog, []*flows.Chain) {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	return cat, cat.Chains(sheetNow)
}

// sheetCases are the sheets every test looks at: each chain, with the
// NIS2 switch off and on, in French and in English.
func sheetCases(t *testing.T) []sheetCase {
	_, chains := sheetCatalog(t)
	var out []sheetCase
	for _, c := range chains {
		for _, lang := range []flows.Lang{flows.FR, flows.EN} {
			for _, nis2 := range []bool{false, true} {
				out = append(out, sheetCase{c, lang, nis2})
			}
		}
	}
	return out
}

type sheetCase struct {
	chain *flows.Chain
	lang  flows.Lang
	nis2  bool
}

func (c sheetCase) String() string {
	s := strings.ReplaceAll(c.chain.ID, "/", "_") + "-" + string(c.lang)
	if c.nis2 {
		s += "-nis2"
	}
	return s
}

func (c sheetCase) options() report.SheetOptions {
	opt := report.SheetOptions{Lang: c.lang, Now: sheetNow,
		Organisation: incident.Organisation{Name: "CH Exemple", FINESS: "330000000"}}
	if c.nis2 {
		opt.Features = map[string]bool{"nis2": true}
	}
	return opt
}

// TestSheetOnePage: every chain's sheet is one A4 page, whatever the
// language and the switches, set in the larger sizes: the smallest is a
// last resort for a chain longer than any built in. Every chain at once
// makes a page each.
func TestSheetOnePage(t *testing.T) {
	cat, chains := sheetCatalog(t)
	for _, tc := range sheetCases(t) {
		pdf, layout, err := report.SheetPDF(cat, []*flows.Chain{tc.chain}, tc.options())
		if err != nil {
			t.Fatal(err)
		}
		if layout.Pages != 1 {
			t.Errorf("%s: %d pages, want 1", tc, layout.Pages)
		}
		// With NIS2 on (not in force in France), the ES/ESMS sheet, whose
		// left-out steps now say why, takes the last resort: still one page.
		if layout.Body[0] <= report.SheetMinBody && !strings.HasSuffix(tc.String(), "-nis2") {
			t.Errorf("%s: set in %gpt, the last resort", tc, layout.Body[0])
		}
		if info := pdfInfo(t, pdf); !regexp.MustCompile(`(?m)^Pages: 1$`).MatchString(info) || !strings.Contains(info, "Page size: 595.276 x 841.89 pts (A4)") {
			t.Errorf("%s: pdfinfo:\n%s", tc, info)
		}
	}
	_, layout, err := report.SheetPDF(cat, chains, report.SheetOptions{Now: sheetNow})
	if err != nil {
		t.Fatal(err)
	}
	if layout.Pages != len(chains) {
		t.Errorf("%d chains on %d pages", len(chains), layout.Pages)
	}
}

// TestSheetPDFText: the text of each chain's sheet as pdftotext -layout
// reads it back is a golden file (runs of spaces between columns shown as
// two); each phone number of the chain is on one line, whole.
func TestSheetPDFText(t *testing.T) {
	cat, _ := sheetCatalog(t)
	for _, tc := range sheetCases(t) {
		if tc.nis2 && tc.chain.ID != "nouvelle-aquitaine/ose" || tc.lang == flows.EN && tc.chain.ID != "nouvelle-aquitaine/ose" {
			continue // the other variants are checked by the other tests
		}
		pdf, _, err := report.SheetPDF(cat, []*flows.Chain{tc.chain}, tc.options())
		if err != nil {
			t.Fatal(err)
		}
		text := sheetLayout(t, pdf)
		bottest.Golden(t, filepath.Join("testdata", "fiche-"+tc.String()+".pdf.txt.golden"), []byte(text))
		for _, phone := range chainPhones(tc.chain, tc.options().Features) {
			if !regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(phone) + `(\s|$)`).MatchString(text) {
				t.Errorf("%s: %q is not whole on one line:\n%s", tc, phone, text)
			}
		}
	}
}

// chainPhones are the phone numbers the steps of c name.
func chainPhones(c *flows.Chain, features map[string]bool) []string {
	var out []string
	for _, s := range c.Steps {
		if s.Feature != "" && !features[s.Feature] {
			continue
		}
		for _, r := range s.Recipients {
			for _, m := range r.Means {
				if m.Kind == "phone" {
					out = append(out, m.Address())
				}
			}
		}
	}
	return out
}

// TestSheetQRCodes: each portal, form, site or chat the chain's steps name
// has a QR code on its sheet; the modules drawn decode to its address, and
// so does the printed page, rendered by pdftoppm and cropped to the code.
func TestSheetQRCodes(t *testing.T) {
	cat, _ := sheetCatalog(t)
	for _, tc := range sheetCases(t) {
		if tc.lang == flows.EN {
			continue // the same codes
		}
		pdf, layout, err := report.SheetPDF(cat, []*flows.Chain{tc.chain}, tc.options())
		if err != nil {
			t.Fatal(err)
		}
		drawn := map[string]bool{}
		for _, q := range layout.QRs {
			drawn[q.URL] = true
			if got, err := qrcode.Decode(modulesImage(q.Modules, 8)); err != nil || got != q.URL {
				t.Errorf("%s: the modules drawn for %s decode to %q (%v)", tc, q.URL, got, err)
			}
			if q.Side < 17 || q.Side/float64(len(q.Modules)) < 0.5 {
				t.Errorf("%s: the code of %s is %.1f mm wide, %.2f mm a module", tc, q.URL, q.Side, q.Side/float64(len(q.Modules)))
			}
		}
		for _, s := range tc.chain.Steps {
			if s.Feature != "" && !tc.nis2 {
				continue
			}
			for _, r := range s.Recipients {
				for _, m := range r.Means {
					if strings.HasPrefix(m.Address(), "https://") && !drawn[m.Address()] {
						t.Errorf("%s: no QR code for %s (step %s)", tc, m.Address(), s.ID)
					}
				}
			}
		}

		// The page as printed, at 200 dpi: the band of the codes.
		if len(layout.QRs) == 0 {
			continue
		}
		const dpi = 200
		px := func(mm float64) int { return int(mm / 25.4 * dpi) }
		top, bottom := layout.QRs[0].Y, 0.0
		for _, q := range layout.QRs {
			top, bottom = min(top, q.Y-q.Quiet), max(bottom, q.Y+q.Side+q.Quiet)
		}
		band := renderPage(t, pdf, dpi, image.Rect(0, px(top), px(210), px(bottom)+1))
		for _, q := range layout.QRs {
			crop := image.Rect(px(q.X-q.Quiet), px(q.Y-q.Quiet)-px(top), px(q.X+q.Side+q.Quiet), px(q.Y+q.Side+q.Quiet)-px(top))
			sub := band.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(crop)
			if got, err := qrcode.Decode(sub); err != nil || got != q.URL {
				t.Errorf("%s: the printed code of %s reads %q (%v)", tc, q.URL, got, err)
			}
		}
	}
}

// modulesImage draws a module matrix, scale pixels a module, with a light
// margin of four modules.
func modulesImage(m [][]bool, scale int) image.Image {
	n := len(m) + 8
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for y := range n * scale {
		for x := range n * scale {
			mx, my := x/scale-4, y/scale-4
			c := color.Gray{Y: 255}
			if mx >= 0 && my >= 0 && my < len(m) && mx < len(m) && m[my][mx] {
				c = color.Gray{}
			}
			img.SetGray(x, y, c)
		}
	}
	return img
}

// TestSheetSameContent: the PDF sheet says what the Markdown one says:
// its numbers and portals, questions, steps with their means, and
// sources; from the questions on, in the same order (the PDF without the
// Markdown's marks, wrapped where it likes). The numbers and the portals
// are side by side on the page, where a reader may take them in any order,
// under headings of their own.
func TestSheetSameContent(t *testing.T) {
	cat, _ := sheetCatalog(t)
	for _, tc := range sheetCases(t) {
		pdf, _, err := report.SheetPDF(cat, []*flows.Chain{tc.chain}, tc.options())
		if err != nil {
			t.Fatal(err)
		}
		var md bytes.Buffer
		if err := report.ReflexSheet(&md, "md", cat, []*flows.Chain{tc.chain}, tc.options()); err != nil {
			t.Fatal(err)
		}
		var band, ordered []string
		inBand := true // until the questions, which start with T0
		for _, l := range strings.Split(md.String(), "\n") {
			if strings.Contains(l, "(T0)") {
				inBand = false
			}
			var items []string
			switch {
			case strings.HasPrefix(l, "- **"): // a number, or a step
				head, rest, _ := strings.Cut(strings.TrimPrefix(l, "- **"), "**")
				items = append(items, head)
				if regexp.MustCompile(`^[0-9]+\. `).MatchString(head) {
					items = append(items, strings.TrimPrefix(rest, " — "))
				}
			case strings.HasPrefix(l, "- Q"), strings.HasPrefix(l, "### ") && !inBand:
				items = append(items, strings.TrimLeft(l, "-# "))
			}
			if inBand {
				band = append(band, items...)
			} else {
				ordered = append(ordered, items...)
			}
		}
		text := bottest.PDFText(t, pdf)
		for _, w := range band {
			if m := bottest.MissingInOrder(text, []string{w}); m != "" {
				t.Errorf("%s: the PDF lacks %q:\n%s", tc, m, text)
			}
		}
		if m := bottest.MissingInOrder(text, ordered); m != "" {
			t.Errorf("%s: the PDF lacks %q, or not in the order of the Markdown:\n%s", tc, m, text)
		}
	}
}

// sheetLayout is pdftotext -layout's reading of pdf, each run of spaces
// between columns shown as two and the end of lines trimmed.
func sheetLayout(t *testing.T, pdf []byte) string {
	t.Helper()
	out := poppler.Run(t, pdf, "pdftotext", "-layout", "-enc", "UTF-8")
	spaces := regexp.MustCompile(` {2,}`)
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		b.WriteString(strings.TrimRight(spaces.ReplaceAllString(l, "  "), " \f") + "\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func pdfInfo(t *testing.T, pdf []byte) string {
	t.Helper()
	return regexp.MustCompile(`[ \t]+`).ReplaceAllString(poppler.Run(t, pdf, "pdfinfo"), " ")
}

// renderPage is the part r (in pixels) of the first page of pdf,
// rendered by pdftoppm at dpi; the image's origin is r's corner.
func renderPage(t *testing.T, pdf []byte, dpi int, r image.Rectangle) image.Image {
	t.Helper()
	f, err := os.Open(poppler.PNG(t, pdf, filepath.Join(t.TempDir(), "page"), "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1",
		"-x", strconv.Itoa(r.Min.X), "-y", strconv.Itoa(r.Min.Y), "-W", strconv.Itoa(r.Dx()), "-H", strconv.Itoa(r.Dy())))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestSheetARSOffline: a structure reaches the ARS "par tout moyen" when
// the portal cannot be used (arrêté of 30/10/2017). With no published
// number, its sheet has a box for the one the ARS gives, and says why;
// once the region's contacts file gives one, the number is among those to
// call, for the ARS's steps (theirs to choose from, or as a recourse when
// a step names the e-mail only), and the box is gone. The authorities' own
// chains have no such box.
func TestSheetARSOffline(t *testing.T) {
	cat, _ := sheetCatalog(t)
	sheet := func(cat *flows.Catalog, id string) string {
		c, err := cat.Current(id, sheetNow)
		if err != nil {
			t.Fatal(err)
		}
		var md bytes.Buffer
		if err := report.ReflexSheet(&md, "md", cat, []*flows.Chain{c}, report.SheetOptions{Now: sheetNow}); err != nil {
			t.Fatal(err)
		}
		return md.String()
	}
	for _, id := range []string{"nouvelle-aquitaine/ose", "nouvelle-aquitaine/es-esms", "nouvelle-aquitaine/ps-liberal"} {
		if md := sheet(cat, id); !strings.Contains(md, "- ARS, par téléphone : ____") || !strings.Contains(md, "« par tout moyen » auprès de l'ARS (arrêté du 30/10/2017)") {
			t.Errorf("%s: no box for the ARS's number:\n%s", id, md)
		}
	}
	for _, id := range []string{"national/ars", "national/gip"} {
		if md := sheet(cat, id); strings.Contains(md, "ARS, par téléphone") {
			t.Errorf("%s: a box for the ARS's number on an authority's sheet", id)
		}
	}

	// The same chains, the region's ARS with a phone line.
	files := fstest.MapFS{}
	err := fs.WalkDir(builtin.FS(), ".", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := fs.ReadFile(builtin.FS(), path)
		files[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	const email = `        value: "ars33-alerte@ars.sante.fr"
        label: {fr: "point focal régional", en: "regional focal point"}
`
	contacts := files["contacts/nouvelle-aquitaine.yaml"]
	if !bytes.Contains(contacts.Data, []byte(email)) {
		t.Fatal("the ARS's e-mail is not where the test looks for it")
	}
	contacts.Data = bytes.Replace(contacts.Data, []byte(email), []byte(email+`      - kind: phone
        value: "05 55 55 55 55"
        label: {fr: "astreinte du point focal", en: "focal point on call"}
`), 1)
	withPhone, err := flows.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	md := sheet(withPhone, "nouvelle-aquitaine/ose")
	for _, want := range []string{
		"- **05 55 55 55 55** — ARS Nouvelle-Aquitaine (point focal régional), astreinte du point focal — étapes 2, 9",
		"**2. Alerter l'ARS Nouvelle-Aquitaine — sans délai** — E-mail : ars33-alerte@ars.sante.fr ; Téléphone : 05 55 55 55 55",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "ARS, par téléphone") {
		t.Errorf("a box for a number the sheet gives:\n%s", md)
	}

	// A step that writes to the ARS gets its phone line as a recourse.
	const step = "      - contact: ars\n    deadline: immediate\n"
	chain := files["chains/nouvelle-aquitaine/ose.yaml"]
	if !bytes.Contains(chain.Data, []byte(step)) {
		t.Fatal("the ARS step is not where the test looks for it")
	}
	chain.Data = bytes.Replace(chain.Data, []byte(step), []byte("      - contact: ars\n        means: [email]\n    deadline: immediate\n"), 1)
	emailOnly, err := flows.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	md = sheet(emailOnly, "nouvelle-aquitaine/ose")
	want := "**2. Alerter l'ARS Nouvelle-Aquitaine — sans délai** — E-mail : ars33-alerte@ars.sante.fr — recours : ARS Nouvelle-Aquitaine (point focal régional) — Téléphone : 05 55 55 55 55"
	if !strings.Contains(md, want) || !strings.Contains(md, "- **05 55 55 55 55** — ARS Nouvelle-Aquitaine (point focal régional), astreinte du point focal — étapes 2, 9") {
		t.Errorf("the sheet lacks %q:\n%s", want, md)
	}
}
