package report

import (
	"image"
	"image/color"
	"testing"

	qrcode "github.com/piglig/go-qr"
)

// TestQRRects: the rectangles drawn for a QR code cover its dark modules
// and nothing else, and an image of them decodes to the text encoded.
func TestQRRects(t *testing.T) {
	for _, url := range []string{"https://signalement.social-sante.gouv.fr", "https://club.ssi.gouv.fr/#/declarations", "https://17cyber.gouv.fr"} {
		m, err := newQR(url)
		if err != nil {
			t.Fatal(err)
		}
		const scale, margin = 6, qrQuiet * 6
		n := len(m)
		img := image.NewGray(image.Rect(0, 0, n*scale+2*margin, n*scale+2*margin))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		dark := 0
		for _, r := range m.rects(margin, margin, float64(n*scale)) {
			if r.H != scale || int(r.W)%scale != 0 {
				t.Fatalf("%s: rectangle %+v is not a run of whole modules", url, r)
			}
			for y := int(r.Y); y < int(r.Y+r.H); y++ {
				for x := int(r.X); x < int(r.X+r.W); x++ {
					if img.GrayAt(x, y).Y == 0 {
						t.Fatalf("%s: rectangles overlap at (%d, %d)", url, x, y)
					}
					img.SetGray(x, y, color.Gray{})
				}
			}
			dark += int(r.W) / scale
		}
		want := 0
		for _, row := range m {
			for _, d := range row {
				if d {
					want++
				}
			}
		}
		if dark != want {
			t.Errorf("%s: %d modules drawn, %d dark", url, dark, want)
		}
		if got, err := qrcode.Decode(img); err != nil || got != url {
			t.Errorf("%s: decodes to %q (%v)", url, got, err)
		}
	}
}
