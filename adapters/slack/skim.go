package slack

import "bytes"

// withoutMessage is a block_actions payload without its top-level
// "message" member: the whole message clicked, a card's 6 KB of blocks,
// which Vigie never reads but encoding/json would scan twice, to check it
// and to skip it (BenchmarkDecodeClick). A struct without a "message"
// field decodes the same from both, so removing it changes nothing but
// the time; the removed value is only checked for balanced brackets and
// strings, the rest is left to encoding/json. Anything unexpected (not an
// object, a broken string) gives the payload back whole, for encoding/json
// to refuse as it would have.
func withoutMessage(p []byte) []byte {
	i := skipSpace(p, 0)
	if i >= len(p) || p[i] != '{' {
		return p
	}
	i = skipSpace(p, i+1)
	for i < len(p) && p[i] == '"' {
		keyEnd := skipString(p, i)
		if keyEnd < 0 {
			return p
		}
		key := p[i+1 : keyEnd-1]
		j := skipSpace(p, keyEnd)
		if j >= len(p) || p[j] != ':' {
			return p
		}
		valEnd := skipValue(p, skipSpace(p, j+1))
		if valEnd < 0 {
			return p
		}
		next := skipSpace(p, valEnd)
		if string(key) == "message" {
			// Cut the member with the comma after it, or, when it is the
			// last, with the comma before it.
			switch {
			case next < len(p) && p[next] == ',':
				after := skipSpace(p, next+1)
				if after >= len(p) || p[after] != '"' {
					return p // a trailing comma: not for this to mend
				}
				return append(p[:i:i], p[after:]...)
			case next < len(p) && p[next] == '}':
				start := bytes.LastIndexByte(p[:i], ',')
				if start < 0 {
					start = i // the only member
				}
				return append(p[:start:start], p[next:]...)
			}
			return p
		}
		if next >= len(p) || p[next] != ',' {
			return p
		}
		i = skipSpace(p, next+1)
	}
	return p
}

// skipSpace is the index of the first byte from i that is not JSON
// whitespace.
func skipSpace(p []byte, i int) int {
	for i < len(p) && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
		i++
	}
	return i
}

// skipString is the index after the string starting at p[i] (a quote), or
// -1 when it does not end: the first quote not escaped, that is not after
// an odd run of backslashes.
func skipString(p []byte, i int) int {
	for i++; i < len(p); {
		k := bytes.IndexByte(p[i:], '"')
		if k < 0 {
			return -1
		}
		q := i + k
		n := 0
		for n < q-i && p[q-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		i = q + 1
	}
	return -1
}

// skipValue is the index after the value starting at p[i], or -1 when its
// brackets or strings do not close, or when there is no value. A scalar
// ends at the first byte no number or literal has.
func skipValue(p []byte, i int) int {
	if i >= len(p) {
		return -1
	}
	switch p[i] {
	case '"':
		return skipString(p, i)
	case '{', '[':
		depth := 0
		for ; i < len(p); i++ {
			switch p[i] {
			case '"':
				if i = skipString(p, i); i < 0 {
					return -1
				}
				i-- // the loop steps over the closing quote
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	start := i
	for i < len(p) && scalarByte(p[i]) {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// scalarByte is a byte that may be part of a number, true, false or
// null: a scalar ends at any other, so that a quote after it (a comma
// missing) is not taken in, and the member after it not cut away with it.
func scalarByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '+' || c == '.'
}
