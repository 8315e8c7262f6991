package cli

import (
	"bufio"
	"strings"
	"unicode/utf8"
)

// table writes rows in columns two spaces apart, the last column
// unpadded, as text/tabwriter does with a padding of 2 (widths in
// characters). It is for the long listings of liste and cherche:
// tabwriter keeps every cell as a separate piece and writes them one by
// one, which for ten thousand lines cost a quarter of vigie liste.
type table struct {
	rows   [][]string
	widths []int
}

// add appends a row.
func (t *table) add(cells ...string) {
	for i, c := range cells[:len(cells)-1] {
		if i == len(t.widths) {
			t.widths = append(t.widths, 0)
		}
		t.widths[i] = max(t.widths[i], utf8.RuneCountInString(c))
	}
	t.rows = append(t.rows, cells)
}

// write writes the rows to w.
func (t *table) write(w *bufio.Writer) error {
	for _, row := range t.rows {
		last := len(row) - 1
		for i, c := range row[:last] {
			w.WriteString(c)
			w.WriteString(strings.Repeat(" ", t.widths[i]-utf8.RuneCountInString(c)+2))
		}
		w.WriteString(row[last])
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}
