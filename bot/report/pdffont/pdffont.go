// Package pdffont embeds the TrueType font of Vigie's PDF documents: DejaVu
// Sans, regular and bold, which covers French (é, è, à, ç, œ, « ») and the
// other Latin, Greek and Cyrillic scripts a name may be written in. The
// fonts are those of Debian's fonts-dejavu-core 2.37, unmodified; their
// licence is in the LICENSE file beside them.
//
// PDF readers would substitute a font of their own for text set in one of
// the 14 standard PDF fonts, which know nothing of UTF-8; embedding the font
// makes a printed main courante read the same on any machine.
//
// It imports nothing.
package pdffont

import _ "embed"

// Family is the name the PDF documents give the font.
const Family = "DejaVuSans"

// Regular is DejaVuSans.ttf.
//
//go:embed DejaVuSans.ttf
var Regular []byte

// Bold is DejaVuSans-Bold.ttf.
//
//go:embed DejaVuSans-Bold.ttf
var Bold []byte
