package slack

import (
	"encoding/json"
	"reflect"
	"testing"
)

// withoutMessage removes the top-level "message" member and nothing else.
func TestWithoutMessage(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"type":"t","message":{"blocks":[{"a":"}]\"{"}]},"user":{"id":"U"}}`, `{"type":"t","user":{"id":"U"}}`},
		{`{"message":{"x":1},"type":"t"}`, `{"type":"t"}`},
		{`{"type":"t","message":{"x":[1,2]}}`, `{"type":"t"}`},
		{` { "type" : "t" , "message" : [ ] } `, ` { "type" : "t" } `},
		{`{"message":"only"}`, `{}`},
		{`{"message":null,"a":true}`, `{"a":true}`},
		{`{"a":"\\","message":{"q":"\\\""},"b":1}`, `{"a":"\\","b":1}`},
		{`{"user":{"message":1},"type":"t"}`, `{"user":{"message":1},"type":"t"}`}, // not at the top
		{`{"mess\u0061ge":1}`, `{"mess\u0061ge":1}`},                               // escaped: left to encoding/json
		{`{"message":{"open":1}`, `{"message":{"open":1}`},                         // broken: whole
		{`{"message":"broken}`, `{"message":"broken}`},
		{`["message",1]`, `["message",1]`},
		{`{"message":0"type":"t"}`, `{"message":0"type":"t"}`}, // a comma missing: nothing cut with it
		{`{"message":x"type":"t"}`, `{"message":x"type":"t"}`},
		{`{"message":,"type":"t"}`, `{"message":,"type":"t"}`}, // no value
		{`{"message":1,}`, `{"message":1,}`},                   // a trailing comma
		{`{"message":-1.5e+3 ,"a":true}`, `{"a":true}`},
		{``, ``},
	} {
		if got := string(withoutMessage([]byte(c.in))); got != c.want {
			t.Errorf("withoutMessage(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

// withoutMessage never writes into the payload it is given: a payload
// that is no click is decoded whole after it.
func TestWithoutMessageLeavesInput(t *testing.T) {
	for _, p := range []string{`{"type":"message_action","message":{"x":1},"user":{"id":"U"}}`, `{"a":1,"message":2}`, `{"message":3}`} {
		in := []byte(p)
		withoutMessage(in)
		if string(in) != p {
			t.Errorf("withoutMessage wrote into its input: %s became %s", p, in)
		}
	}
}

// A click decodes the same with and without its message, and removing it
// never makes a valid payload invalid.
func sameWithoutMessage(t *testing.T, p []byte) {
	t.Helper()
	var whole click
	if json.Unmarshal(p, &whole) != nil {
		return
	}
	cut := withoutMessage(p)
	if !json.Valid(cut) {
		t.Fatalf("%.200s made invalid: %.200s", p, cut)
	}
	var c click
	if err := json.Unmarshal(cut, &c); err != nil || !reflect.DeepEqual(c, whole) {
		t.Fatalf("%.200s:\nwhole %+v\ncut   %+v (%v)", p, whole, c, err)
	}
}

func FuzzWithoutMessage(f *testing.F) {
	for _, p := range []string{blockActionsSample, clickWithCard(f), `{"message":1}`, `{"a":"\\\"","message":[{}]}`} {
		f.Add([]byte(p))
	}
	f.Fuzz(sameWithoutMessage)
}
