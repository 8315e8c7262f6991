package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/vigie-sante/vigie/bot/incident"
)

// readJSON decodes a JSON export strictly. encoding/json matches member
// names without regard to case and keeps the last of duplicated members,
// while a person reading the file sees the first: an export with
// `"text":"a", "Text":"b"` would verify what nobody reads. So the members
// are first checked to be exactly the expected names, each once, and only
// then decoded.
func readJSON(b []byte) (*exportDoc, error) {
	problem, err := checkMembers(b, false)
	if err != nil {
		return nil, err
	}
	var marker struct {
		Format  any `json:"format"`
		Version any `json:"version"`
	}
	_ = json.Unmarshal(b, &marker) // the syntax is known good
	if marker.Format != exportName {
		return nil, fmt.Errorf("%w: no \"format\": %q member", ErrNotExport, exportName)
	}
	if v, ok := marker.Version.(float64); !ok || v != exportVersion && v != exportVersion1 {
		return nil, fmt.Errorf("%w: version %#v (accepted: the numbers %d and %d)", ErrNotExport, marker.Version, exportVersion1, exportVersion)
	}
	if problem != nil {
		return nil, problem
	}
	var raw struct {
		exportDoc
		Entries []json.RawMessage `json:"entries"`
	}
	if err := strictUnmarshal(b, &raw); err != nil {
		return nil, &VerifyError{Reason: "not a valid export: " + err.Error()}
	}
	d := raw.exportDoc
	d.Entries = make([]incident.Entry, len(raw.Entries))
	for i, r := range raw.Entries {
		if err := strictUnmarshal(r, &d.Entries[i]); err != nil {
			return nil, &VerifyError{Seq: uint64(i) + 1, Reason: "not a valid entry: " + err.Error()}
		}
	}
	return &d, nil
}

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// exportMembers are the member names a JSON export uses outside data
// objects, whose keys are free.
var exportMembers = map[string]bool{}

func init() {
	for _, names := range [][]string{
		{"format", "version", "exported_at", "incident", "entries", "head", "signature"},
		{"id", "title", "exercise", "chain", "version", "t0", "opened_by", "opened_at", "status", "closed_by", "closed_at", "name"},
		{"incident", "seq", "time", "actor", "kind", "text", "data", "prev", "hash"},
		{"alg", "public_key", "fingerprint", "value"},
	} {
		for _, n := range names {
			exportMembers[n] = true
		}
	}
}

// maxJSONDepth is deeper than any export (data objects sit at depth 4).
const maxJSONDepth = 8

// jsonFrame is an object or array being read by checkMembers.
type jsonFrame struct {
	obj     bool
	free    bool // a data object: any member name
	name    string
	seen    map[string]bool
	key     string // member whose value is being read
	wantKey bool
	count   int // elements started, for arrays
}

// checkMembers walks the JSON document b. It returns a syntax error at
// once, as a *VerifyError naming the entry where the text breaks off, and
// otherwise the first unknown or duplicated member name as problem. With
// free, the top-level object's names are free (a CSV data cell).
func checkMembers(b []byte, free bool) (problem, err error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var stack []*jsonFrame
	started := false
	fail := func(format string, args ...any) *VerifyError {
		e := &VerifyError{Reason: fmt.Sprintf(format, args...)}
		if len(stack) >= 2 && stack[1].name == "entries" && !stack[1].obj && !free {
			e.Seq = uint64(stack[1].count)
		}
		return e
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF && len(stack) == 0 && started {
			return problem, nil
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // Token reports a document cut short as a plain EOF
		}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fail("not valid JSON at byte %d (truncated or edited?): %v", dec.InputOffset(), err)
			}
			return nil, fail("not valid JSON: %v", err)
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		} else if started {
			return nil, fail("not valid JSON: data after the end of the export at byte %d", dec.InputOffset())
		}
		started = true
		if top != nil && top.obj && top.wantKey {
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				valueDone(stack)
				continue
			}
			key, _ := tok.(string)
			switch {
			case problem != nil:
			case top.seen[key]:
				problem = fail("member %s appears twice", strconv.Quote(key))
			case !top.free && !exportMembers[key]:
				problem = fail("unknown member %s", strconv.Quote(key))
			}
			top.seen[key], top.key, top.wantKey = true, key, false
			continue
		}
		if top != nil && !top.obj && tok != json.Delim(']') {
			top.count++
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= maxJSONDepth {
				return nil, fail("not a valid export: nested too deeply")
			}
			f := &jsonFrame{obj: tok == json.Delim('{'), seen: map[string]bool{}, wantKey: true}
			switch {
			case top == nil:
				f.free = free && f.obj
			case top.obj:
				f.name = top.key
				f.free = f.obj && top.key == "data"
			}
			stack = append(stack, f)
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone(stack)
		default:
			valueDone(stack)
		}
	}
}

// valueDone notes that a member's value was read: the next token of an
// object is a name again.
func valueDone(stack []*jsonFrame) {
	if len(stack) > 0 && stack[len(stack)-1].obj {
		stack[len(stack)-1].wantKey = true
	}
}
