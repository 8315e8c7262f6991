package slack

import (
	"bytes"
	"errors"
	"fmt"
)

// formValue is the first value of key in an application/x-www-form-urlencoded
// body, unescaped, with url.ParseQuery's refusals: a semicolon separator or
// a bad %-escape anywhere in the body is an error (not its limit on the
// number of fields: a body is 1 MiB at most, http.go). A click's body is one
// field, its payload, 10 to 15 KB escaped; url.ParseQuery unescapes it into
// a string through two passes and a copy, which this does in one
// (BenchmarkDecodeClick). FuzzFormValue checks both read the same.
func formValue(body []byte, key string) ([]byte, error) {
	var value []byte
	found := false
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte{'&'})
		if bytes.IndexByte(pair, ';') >= 0 {
			return nil, errors.New("invalid semicolon separator in query")
		}
		if len(pair) == 0 {
			continue
		}
		k, v, _ := bytes.Cut(pair, []byte{'='})
		name, err := unescapeForm(k)
		if err != nil {
			return nil, err
		}
		if found || string(name) != key {
			if err := checkEscapes(v); err != nil {
				return nil, err
			}
			continue
		}
		if value, err = unescapeForm(v); err != nil {
			return nil, err
		}
		found = true
	}
	return value, nil
}

// unescapeForm decodes a form's key or value: %XX is the byte XX, + a space.
func unescapeForm(s []byte) ([]byte, error) {
	out := make([]byte, len(s))
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '%':
			if i+2 >= len(s) {
				return nil, badEscape(s[i:])
			}
			h, l := unhex[s[i+1]], unhex[s[i+2]]
			if h < 0 || l < 0 {
				return nil, badEscape(s[i:])
			}
			c = byte(h)<<4 | byte(l)
			i += 2
		case '+':
			c = ' '
		}
		out[n] = c
		n++
	}
	return out[:n], nil
}

// checkEscapes refuses what unescapeForm refuses, without decoding.
func checkEscapes(s []byte) error {
	for i := bytes.IndexByte(s, '%'); i >= 0; {
		if i+2 >= len(s) || unhex[s[i+1]] < 0 || unhex[s[i+2]] < 0 {
			return badEscape(s[i:])
		}
		next := bytes.IndexByte(s[i+3:], '%')
		if next < 0 {
			break
		}
		i += 3 + next
	}
	return nil
}

// badEscape names the escape as url.EscapeError does.
func badEscape(s []byte) error {
	return fmt.Errorf("invalid URL escape %q", s[:min(len(s), 3)])
}

// unhex is a hexadecimal digit's value, -1 for any other byte.
var unhex = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = int8(c - 'a' + 10)
		t[c-'a'+'A'] = int8(c - 'a' + 10)
	}
	return t
}()
