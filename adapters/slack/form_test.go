package slack

import (
	"bytes"
	"net/url"
	"testing"
)

// formValue reads what url.ParseQuery reads, and refuses what it refuses.
func checkFormValue(t *testing.T, body []byte) {
	t.Helper()
	f, wantErr := url.ParseQuery(string(body))
	got, err := formValue(body, "payload")
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("body %.200q: url.ParseQuery says %v, formValue %v", body, wantErr, err)
	}
	if err == nil && !bytes.Equal(got, []byte(f.Get("payload"))) {
		t.Fatalf("body %.200q: payload %.200q, url.ParseQuery reads %.200q", body, got, f.Get("payload"))
	}
}

func TestFormValue(t *testing.T) {
	for _, body := range []string{
		"",
		"payload=",
		"payload=%7B%22a%22%3A1%7D",
		"payload=a+b%2Bc",
		"x=1&payload=first&payload=second",
		"pay%6Coad=escaped+key",
		"&&payload=after+empty+pairs&",
		"payload",              // no value
		"payload=%zz",          // a bad escape
		"payload=%4",           // cut short
		"other=%g1&payload=ok", // a bad escape elsewhere
		"payload=a;b",          // a semicolon
		"payload=ok&x=1;y=2",   // a semicolon elsewhere
		"payload=%FF%FE",       // bytes, not UTF-8
		"payload=" + url.QueryEscape(clickWithCard(t)),
	} {
		checkFormValue(t, []byte(body))
	}
}

func FuzzFormValue(f *testing.F) {
	f.Add([]byte("payload=%7B%22a%22%3A1%7D"))
	f.Add([]byte("x=1&payload=a+b&payload=c"))
	f.Add([]byte("payload=%zz;"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if bytes.Count(body, []byte("&")) > 1000 {
			return // url.ParseQuery refuses many fields (GODEBUG urlmaxqueryparams); formValue need not
		}
		checkFormValue(t, body)
	})
}
