package flows

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// File is one chain or contacts file to load.
type File struct {
	Name string // shown in error messages
	Data []byte
}

// ReadFS returns every .yaml and .yml file below the root of fsys, sorted by
// name so that loading is deterministic.
func ReadFS(fsys fs.FS) ([]File, error) {
	var files []File
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (path.Ext(p) != ".yaml" && path.Ext(p) != ".yml") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files = append(files, File{Name: p, Data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// Load reads every YAML file of fsys and compiles them into a catalog.
func Load(fsys fs.FS) (*Catalog, error) {
	files, err := ReadFS(fsys)
	if err != nil {
		return nil, err
	}
	return Compile(files)
}

// Error is a problem in a chain or contacts file, at a line when known.
type Error struct {
	File string
	Line int // 0 when unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every problem found while loading, in file and line order.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// maxFileSize bounds what the loader accepts: chain files are a few
// kilobytes, and the YAML parser's cost grows with its input.
const maxFileSize = 1 << 20

// parsed is a decoded file with its syntax tree, kept to turn the YAML paths
// of validation errors into line numbers.
type parsed struct {
	name  string
	ast   *ast.File
	errs  Errors
	warns Errors // see warnf
}

// errorf records a problem at the YAML path p ("$.steps[2].when").
func (f *parsed) errorf(p string, format string, args ...any) {
	f.errs = append(f.errs, &Error{File: f.name, Line: f.line(p), Msg: fmt.Sprintf(format, args...)})
}

// line finds the line of the YAML path p ("$.steps[2].when.malicious"):
// the line of the last key or list item on the path that exists, so that a
// missing key is reported where its parent is.
func (f *parsed) line(p string) int {
	if f.ast == nil || len(f.ast.Docs) == 0 {
		return 1
	}
	node := f.ast.Docs[0].Body
	line := 1
	if node != nil && node.GetToken() != nil {
		line = node.GetToken().Position.Line
	}
	for _, seg := range splitPath(p) {
		node = unwrap(node)
		if seg.key != "" {
			mv := findKey(node, seg.key)
			if mv == nil {
				return line
			}
			line = mv.Key.GetToken().Position.Line
			node = mv.Value
			continue
		}
		seq, ok := node.(*ast.SequenceNode)
		if !ok || seg.index >= len(seq.Values) {
			return line
		}
		node = seq.Values[seg.index]
		if tk := node.GetToken(); tk != nil {
			line = tk.Position.Line
		}
	}
	return line
}

type pathSeg struct {
	key   string
	index int
}

// splitPath reads the paths this package writes: $.a.b[2].c.
func splitPath(p string) []pathSeg {
	var segs []pathSeg
	p = strings.TrimPrefix(p, "$")
	for p != "" {
		switch p[0] {
		case '.':
			p = p[1:]
			i := strings.IndexAny(p, ".[")
			if i < 0 {
				i = len(p)
			}
			segs = append(segs, pathSeg{key: p[:i]})
			p = p[i:]
		case '[':
			i := strings.IndexByte(p, ']')
			if i < 0 {
				return segs
			}
			n, _ := strconv.Atoi(p[1:i])
			segs = append(segs, pathSeg{index: n})
			p = p[i+1:]
		default:
			return segs
		}
	}
	return segs
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

func findKey(n ast.Node, key string) *ast.MappingValueNode {
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	}
	for _, mv := range values {
		if tk := mv.Key.GetToken(); tk != nil && tk.Value == key {
			return mv
		}
	}
	return nil
}

// maxDepth bounds nesting before the YAML parser sees a file: its cost
// grows with the square of the depth, and a chain is nested about 6 deep.
const maxDepth = 64

// tooDeep scans data for flow nesting ([ and { outside quoted scalars and
// comments) and block nesting (indentation and "- " prefixes) deeper than
// maxDepth, and returns the line where it goes too deep. It is a guard, not
// a parser: a quote opens a scalar only where a scalar may start.
func tooDeep(data []byte) (int, bool) {
	line, depth := 1, 0
	var quote byte     // the open quote, 0 outside a quoted scalar
	comment := false   // in a comment until the end of the line
	prev := byte('\n') // last non-space byte outside quotes
	atStart, col, dashes := true, 0, 0
	for _, c := range data {
		if c == '\n' {
			line++
			comment, atStart, col, dashes, prev = false, true, 0, 0, '\n'
			continue
		}
		if atStart {
			switch c {
			case ' ':
				col++
			case '-':
				dashes++
				col++
			default:
				atStart = false
			}
			if col/2+dashes > 2*maxDepth {
				return line, false
			}
		}
		switch {
		case comment:
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == ' ' || c == '\t':
			continue
		case (c == '"' || c == '\'') && strings.IndexByte(":[{,-\n", prev) >= 0:
			quote = c
		case c == '#' && (prev == '\n' || col > 0):
			comment = true
		case c == '[' || c == '{':
			depth++
			if depth > maxDepth {
				return line, false
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
		prev = c
	}
	return line, true
}

// recordYAML records a decoding error with its line when the parser gave one.
func (f *parsed) recordYAML(err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) && te.Token != nil {
		f.errs = append(f.errs, &Error{File: f.name, Line: te.Token.Position.Line, Msg: typeMessage(te)})
		return
	}
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		f.errs = append(f.errs, &Error{File: f.name, Line: ye.GetToken().Position.Line, Msg: ye.GetMessage()})
		return
	}
	f.errs = append(f.errs, &Error{File: f.name, Msg: err.Error()})
}

// typeMessage says in the file's terms what a type mismatch is: which key,
// what was found, what is accepted (not Go's type names).
func typeMessage(te *yaml.TypeError) string {
	want := "a value of another type"
	switch te.DstType.Kind() {
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64:
		want = "a whole number"
	case reflect.String:
		want = "text"
	case reflect.Bool:
		want = "true or false"
	case reflect.Slice:
		want = "a list"
	case reflect.Struct, reflect.Map:
		want = "a mapping (key: value)"
	}
	key := ""
	if tk := te.Token; tk.Prev != nil && tk.Prev.Prev != nil && tk.Prev.Value == ":" {
		key = tk.Prev.Prev.Value + ": "
	}
	return fmt.Sprintf("%sexpected %s, found %q", key, want, te.Token.Value)
}

// kind parses data and returns what the file holds ("chain" or "contacts"),
// or "" after recording why it cannot be read.
func (f *parsed) kind(data []byte) string {
	if len(data) > maxFileSize {
		f.errs = append(f.errs, &Error{File: f.name, Msg: fmt.Sprintf("file is %d bytes; at most %d are accepted", len(data), maxFileSize)})
		return ""
	}
	if line, ok := tooDeep(data); !ok {
		f.errs = append(f.errs, &Error{File: f.name, Line: line, Msg: fmt.Sprintf("nesting too deep (at most %d levels; a chain needs about 6)", maxDepth)})
		return ""
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		f.recordYAML(err)
		return ""
	}
	f.ast = file
	if len(file.Docs) > 1 {
		line := 0
		if d := file.Docs[1]; d.Start != nil {
			line = d.Start.Position.Line
		} else if d.Body != nil && d.Body.GetToken() != nil {
			line = d.Body.GetToken().Position.Line
		}
		f.errs = append(f.errs, &Error{File: f.name, Line: line, Msg: "a second YAML document: one chain or contacts list per file"})
		return ""
	}
	var h rawHeader
	if err := yaml.Unmarshal(data, &h); err != nil {
		f.recordYAML(err)
		return ""
	}
	switch h.Kind {
	case "chain", "contacts":
		return h.Kind
	case "":
		f.errs = append(f.errs, &Error{File: f.name, Line: 1, Msg: `missing "kind" (accepted: chain, contacts)`})
	default:
		f.errorf("$.kind", "unknown kind %q (accepted: chain, contacts)", h.Kind)
	}
	return ""
}

// decode decodes data strictly into v: unknown keys, duplicate keys and
// type mismatches are errors with their line.
func (f *parsed) decode(data []byte, v any) bool {
	if err := yaml.NewDecoder(bytes.NewReader(data), yaml.Strict()).Decode(v); err != nil {
		f.recordYAML(err)
		return false
	}
	return true
}
