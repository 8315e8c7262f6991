package pdfw_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/report/pdfw/poppler"

	"github.com/vigie-sante/vigie/bot/report/pdffont"
	"github.com/vigie-sante/vigie/bot/report/pdfw"
)

func faces(t *testing.T) []*pdfw.Face {
	reg, err := pdfw.NewFace("DejaVuSans", pdffont.Regular)
	if err != nil {
		t.Fatal(err)
	}
	bold, err := pdfw.NewFace("DejaVuSans-Bold", pdffont.Bold)
	if err != nil {
		t.Fatal(err)
	}
	return []*pdfw.Face{reg, bold}
}

// TestDocumentReadsBack: a document of several pages, in both faces,
// with French text, a line and the page count, is read back by poppler
// without a complaint, with its text, its page count and its metadata.
func TestDocumentReadsBack(t *testing.T) {
	var buf bytes.Buffer
	created := time.Date(2026, 3, 28, 1, 12, 0, 0, time.UTC)
	p := pdfw.New(&buf, pdfw.Info{Title: "Main courante — incident 2026-0001", Creator: "Vigie", Producer: "Vigie", Lang: "fr", Created: created}, faces(t)...)
	lines := []string{"Rançongiciel : « PACS arrêté », cœur à 100 %", "Œuvre ½ — Ελληνικά, Кириллица", "dernière ligne"}
	for i, l := range lines {
		p.StartPage(595.28, 841.89)
		p.Text(i%2, 12, pdfw.Color{}, 50, 100, l)
		p.Line(pdfw.Color{R: .8, G: .8, B: .8}, .3, 50, 110, 545, 110)
		p.Text(0, 7.5, pdfw.Color{R: .35, G: .35, B: .35}, 280, 820, "page "+string(rune('1'+i))+"/")
		p.PageCount(0, 7.5, pdfw.Color{R: .35, G: .35, B: .35}, 310, 820)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	info := squeeze(poppler.Run(t, buf.Bytes(), "pdfinfo"))
	for _, want := range []string{"Pages: 3", "Title: Main courante — incident 2026-0001", "Creator: Vigie", "CreationDate: Sat Mar 28 01:12:00 2026 UTC"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	text := squeeze(poppler.Run(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	for i, l := range lines {
		if !strings.Contains(text, l) {
			t.Errorf("pdftotext lacks %q:\n%s", l, text)
		}
		if want := "page " + string(rune('1'+i)) + "/3"; !strings.Contains(strings.ReplaceAll(text, "/ 3", "/3"), want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	fonts := squeeze(poppler.Run(t, buf.Bytes(), "pdffonts"))
	if strings.Count(fonts, "CID TrueType Identity-H yes yes yes") != 2 {
		t.Errorf("want two embedded subset fonts with Unicode maps:\n%s", fonts)
	}
	if buf.Len() > 100<<10 {
		t.Errorf("a three-line document takes %d bytes: are the fonts subset?", buf.Len())
	}
	// The same input gives the same file.
	var again bytes.Buffer
	q := pdfw.New(&again, pdfw.Info{Title: "Main courante — incident 2026-0001", Creator: "Vigie", Producer: "Vigie", Lang: "fr", Created: created}, faces(t)...)
	for i, l := range lines {
		q.StartPage(595.28, 841.89)
		q.Text(i%2, 12, pdfw.Color{}, 50, 100, l)
		q.Line(pdfw.Color{R: .8, G: .8, B: .8}, .3, 50, 110, 545, 110)
		q.Text(0, 7.5, pdfw.Color{R: .35, G: .35, B: .35}, 280, 820, "page "+string(rune('1'+i))+"/")
		q.PageCount(0, 7.5, pdfw.Color{R: .35, G: .35, B: .35}, 310, 820)
	}
	q.Close()
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two renderings of the same document differ")
	}
}

// squeeze puts one space for each run of white space.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestFillRects: filled rectangles land where they are drawn, in their
// colour, and rectangles that touch show no seam between them (pdftoppm
// renders the page at 72 dpi, one pixel a point).
func TestFillRects(t *testing.T) {
	var buf bytes.Buffer
	p := pdfw.New(&buf, pdfw.Info{Title: "rects", Created: time.Unix(0, 0)}, faces(t)...)
	p.StartPage(200, 100)
	dark := pdfw.Color{}
	// Four squares of 10 points side by side, then one apart, in red.
	p.FillRects(dark, pdfw.Rect{X: 10, Y: 10, W: 10, H: 10}, pdfw.Rect{X: 20, Y: 10, W: 10, H: 10},
		pdfw.Rect{X: 10, Y: 20, W: 10, H: 10}, pdfw.Rect{X: 20, Y: 20, W: 10, H: 10})
	p.FillRects(pdfw.Color{R: 1}, pdfw.Rect{X: 100.5, Y: 40, W: 50, H: 20})
	p.FillRects(dark) // nothing to fill: nothing drawn
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	img := render(t, buf.Bytes(), 72)
	if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 100 {
		t.Fatalf("page of %v pixels, want 200×100", b.Size())
	}
	for _, tt := range []struct {
		x, y  int
		color string
	}{
		{15, 15, "black"}, {25, 25, "black"}, {15, 25, "black"},
		{20, 15, "black"}, {19, 20, "black"}, {20, 20, "black"}, // where the squares meet
		{5, 15, "white"}, {35, 25, "white"}, {15, 35, "white"}, {25, 5, "white"},
		{120, 50, "red"}, {102, 42, "red"}, {149, 58, "red"},
		{98, 50, "white"}, {152, 50, "white"}, {120, 38, "white"}, {120, 62, "white"},
	} {
		r, g, b, _ := img.At(tt.x, tt.y).RGBA()
		got := "other"
		switch {
		case r < 0x1000 && g < 0x1000 && b < 0x1000:
			got = "black"
		case r > 0xF000 && g > 0xF000 && b > 0xF000:
			got = "white"
		case r > 0xF000 && g < 0x1000 && b < 0x1000:
			got = "red"
		}
		if got != tt.color {
			t.Errorf("pixel (%d, %d) is %s (%04x %04x %04x), want %s", tt.x, tt.y, got, r, g, b, tt.color)
		}
	}
}

// render renders the first page of pdf with pdftoppm at dpi.
func render(t *testing.T, pdf []byte, dpi int) image.Image {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftoppm is missing: CI must install poppler-utils")
		}
		t.Skip("pdftoppm is missing (apt-get install poppler-utils)")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-png", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", "-singlefile", file, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
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

// TestRect: a filled rectangle lands where it is asked, in its colour,
// behind the text set after it (pdftoppm renders the page).
func TestRect(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm is missing (apt-get install poppler-utils)")
	}
	var buf bytes.Buffer
	p := pdfw.New(&buf, pdfw.Info{Title: "rect", Created: time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)}, faces(t)...)
	p.StartPage(100, 100)
	p.Rect(pdfw.Color{R: 1}, 10, 20, 30, 40) // red, x 10–40, y 20–60 from the top
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rect.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	// 72 dpi: one pixel a point. PPM: "P6\n100 100\n255\n" then RGB.
	out, err := exec.Command("pdftoppm", "-r", "72", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	header := []byte("P6\n100 100\n255\n")
	if !bytes.HasPrefix(out, header) {
		t.Fatalf("pdftoppm: unexpected output %q", out[:min(len(out), 20)])
	}
	px := func(x, y int) [3]byte {
		i := len(header) + 3*(y*100+x)
		return [3]byte(out[i : i+3])
	}
	if got := px(25, 40); got != [3]byte{255, 0, 0} {
		t.Errorf("inside the rectangle: %v, want red", got)
	}
	for _, at := range [][2]int{{5, 40}, {45, 40}, {25, 15}, {25, 65}} {
		if got := px(at[0], at[1]); got != [3]byte{255, 255, 255} {
			t.Errorf("outside the rectangle at %v: %v, want white", at, got)
		}
	}
}
