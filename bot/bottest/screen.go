package bottest

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Screen is a terminal for tests: it obeys what a line editor writes
// (carriage return, line feed, cursor moves, erasing, an xterm's wrap at
// the last column) and keeps every row, so that a test reads what a
// person would see, scrollback included, rather than escape sequences.
// Colours and other attributes are dropped. Wide characters (emoji) take
// two columns. It is safe for concurrent writes.
type Screen struct {
	Width int

	mu      sync.Mutex // guards the fields below
	rows    [][]string // a cell holds a character and its combining marks; "" is the right half of a wide one
	row     int
	col     int
	wrapped bool   // the last column was written: the next character goes on the next row
	partial []byte // an escape sequence or UTF-8 rune cut between two writes
}

// NewScreen returns a screen width columns wide.
func NewScreen(width int) *Screen { return &Screen{Width: width, rows: [][]string{nil}} }

func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := append(s.partial, p...)
	s.partial = nil
	for i := 0; i < len(buf); {
		b := buf[i]
		switch {
		case b == 0x1b:
			n, ok := s.escape(buf[i:])
			if !ok {
				s.partial = append([]byte(nil), buf[i:]...)
				return len(p), nil
			}
			i += n
			continue
		case b == '\r':
			s.col, s.wrapped = 0, false
		case b == '\n':
			s.down()
		case b == '\b':
			if s.col > 0 {
				s.col--
			}
			s.wrapped = false
		case b == '\a', b < 0x20:
		default:
			if !utf8.FullRune(buf[i:]) {
				s.partial = append([]byte(nil), buf[i:]...)
				return len(p), nil
			}
			r, size := utf8.DecodeRune(buf[i:])
			s.put(r)
			i += size
			continue
		}
		i++
	}
	return len(p), nil
}

func (s *Screen) down() {
	s.row++
	for len(s.rows) <= s.row {
		s.rows = append(s.rows, nil)
	}
	s.wrapped = false
}

func (s *Screen) put(r rune) {
	w := runeColumns(r)
	if w == 0 { // a mark or selector: it goes with the character before
		row := s.rows[s.row]
		if c := s.col - 1; c >= 0 && c < len(row) {
			if row[c] == "" && c > 0 {
				c--
			}
			row[c] += string(r)
		}
		return
	}
	if s.wrapped || s.col+w > s.Width {
		s.col = 0
		s.down()
	}
	row := s.rows[s.row]
	for len(row) < s.col+w {
		row = append(row, " ")
	}
	row[s.col] = string(r)
	if w == 2 {
		row[s.col+1] = ""
	}
	s.rows[s.row] = row
	s.col += w
	if s.col >= s.Width {
		s.col, s.wrapped = s.Width-1, true
	}
}

// escape obeys the sequence at the start of b and returns its length;
// false when b ends before it does.
func (s *Screen) escape(b []byte) (int, bool) {
	if len(b) < 2 {
		return 0, false
	}
	if b[1] != '[' {
		return 2, true
	}
	i := 2
	for i < len(b) && (b[i] < 0x40 || b[i] > 0x7e) {
		i++
	}
	if i == len(b) {
		return 0, false
	}
	params := strings.TrimPrefix(string(b[2:i]), "?")
	n, err := strconv.Atoi(params)
	if err != nil {
		n = 0
	}
	move := max(n, 1)
	switch b[i] {
	case 'A':
		s.row = max(s.row-move, 0)
		s.wrapped = false
	case 'B':
		for range move {
			s.down()
		}
	case 'C':
		s.col = min(s.col+move, s.Width-1)
		s.wrapped = false
	case 'D':
		s.col = max(s.col-move, 0)
		s.wrapped = false
	case 'K':
		row := s.rows[s.row]
		switch n {
		case 0:
			if s.col < len(row) {
				s.rows[s.row] = row[:s.col]
			}
		case 2:
			s.rows[s.row] = nil
		}
	case 'J':
		if n == 0 {
			if s.col < len(s.rows[s.row]) {
				s.rows[s.row] = s.rows[s.row][:s.col]
			}
			s.rows = s.rows[:s.row+1]
		}
	}
	return i + 1, true
}

// Rows returns every row written, trailing blanks cut.
func (s *Screen) Rows() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.rows))
	for i, row := range s.rows {
		var b strings.Builder
		for _, c := range row {
			b.WriteString(c)
		}
		out[i] = strings.TrimRight(b.String(), " ")
	}
	return out
}

// Text returns every row written, one a line.
func (s *Screen) Text() string { return strings.Join(s.Rows(), "\n") + "\n" }

// runeColumns is how many columns a terminal gives r: 2 for emoji and
// wide symbols, 0 for variation selectors and joiners.
func runeColumns(r rune) int {
	switch {
	case r == 0xFE0F || r == 0x200D || r >= 0x300 && r <= 0x36F:
		return 0
	case r >= 0x1F000 && r <= 0x1FAFF, r == 0x23F0, r == 0x2705, r == 0x274C, r >= 0x2753 && r <= 0x2755,
		r >= 0x2795 && r <= 0x2797, r == 0x2B1C, r == 0x2B1B, r == 0x26D4, r == 0x231B, r == 0x23F3:
		return 2
	}
	return 1
}

// Columns is how many columns s takes on a Screen.
func Columns(s string) int {
	n := 0
	for _, r := range s {
		n += runeColumns(r)
	}
	return n
}
