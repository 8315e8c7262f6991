package config

import (
	"fmt"
	"strings"
)

// A configuration is a few dozen lines. These bounds refuse, in
// milliseconds, a file that would make the YAML decoder work for minutes or
// take gigabytes: deep flow nesting ([[[[…), an alias bomb, a huge file.
const (
	maxFileSize  = 256 << 10
	maxFlowDepth = 16
	maxIndent    = 64
)

// checkShape refuses a file whose shape no real configuration has, naming
// the line.
func checkShape(data []byte) error {
	if len(data) > maxFileSize {
		return fmt.Errorf("the file is %d bytes, more than %d: a configuration is a few dozen lines", len(data), maxFileSize)
	}
	depth := 0
	var quote byte
	for n, line := range strings.Split(string(data), "\n") {
		if quote == 0 {
			if indent := len(line) - len(strings.TrimLeft(line, " \t")); indent > maxIndent {
				return fmt.Errorf("line %d: indented %d columns, more than %d", n+1, indent, maxIndent)
			}
		}
		prev := byte(' ')
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '#' && (prev == ' ' || prev == '\t'):
				i = len(line) // a comment runs to the end of the line
			case c == '"' || c == '\'':
				quote = c
			case c == '[' || c == '{':
				if depth++; depth > maxFlowDepth {
					return fmt.Errorf("line %d: lists or maps nested more than %d deep", n+1, maxFlowDepth)
				}
			case c == ']' || c == '}':
				depth--
			case (c == '&' || c == '*') && strings.ContainsRune(" \t[{,:-", rune(prev)) && i+1 < len(line) && line[i+1] > ' ':
				return fmt.Errorf("line %d: YAML anchors and aliases (& and *) are not accepted: write each value where it is used", n+1)
			}
			prev = c
		}
		if quote == '\'' || quote == '"' {
			continue // a quoted scalar may run over lines
		}
	}
	return nil
}
