package slack

import (
	"encoding/json"
	"errors"
	"net/url"
	"testing"
)

// Seeds: Slack's signing vector's body, bolt-python's payloads, and the
// shapes the adapter meets.
var (
	blockActionsSample   = `{"type":"block_actions","user":{"id":"W111","username":"primary-owner","team_id":"T111"},"trigger_id":"111.222.valid","container":{"type":"message","message_ts":"111.222","channel_id":"C111"},"channel":{"id":"C111","name":"test-channel"},"response_url":"https://hooks.slack.com/actions/T111/111/random-value","actions":[{"action_id":"a","block_id":"b","value":"click_me_123","type":"button","action_ts":"1596530385.194939"}]}`
	viewSubmissionSample = `{"type":"view_submission","user":{"id":"W111","team_id":"T111"},"trigger_id":"111.222.valid","view":{"id":"V111","callback_id":"vigie-dialog","private_metadata":"{\"a\":\"#2026-0001 fait cert-sante\",\"c\":\"C111\"}","blocks":[{"type":"input","block_id":"ref","label":{"type":"plain_text","text":"Ref"},"element":{"type":"plain_text_input","action_id":"v"}}],"state":{"values":{"ref":{"v":{"type":"plain_text_input","value":"CS-1"}},"via":{"v":{"type":"static_select","selected_option":{"value":"portail"}}}}}}}`
	boltViewSample       = `{"type":"view_submission","user":{"id":"W111","team_id":"T111"},"trigger_id":"111.222.valid","view":{"id":"V111","callback_id":"view-id","private_metadata":"This is for you!","blocks":[{"type":"input","block_id":"hspI","element":{"type":"plain_text_input","action_id":"maBWU"}}],"state":{"values":{"hspI":{"maBWU":{"type":"plain_text_input","value":"test"}}}}}}`
)

func FuzzDecodeCommand(f *testing.F) {
	f.Add([]byte(vectorBody))
	f.Add([]byte(""))
	f.Add([]byte("user_id=U1&channel_id=C1&text=%FF%FE"))
	f.Add([]byte("user_id=U1&channel_id=C1&text=note+a%3Bb&text=x"))
	f.Add([]byte("%zz=1"))
	f.Fuzz(func(t *testing.T, body []byte) {
		cmd, _, err := decodeCommand(body)
		if err != nil {
			return
		}
		in, err := fromCommand(cmd)
		if err != nil {
			return
		}
		checkInbound(t, in)
	})
}

func FuzzDecodeInteraction(f *testing.F) {
	for _, p := range []string{blockActionsSample, viewSubmissionSample, boltViewSample, `{"type":"view_closed"}`, `{"type":"block_actions","actions":[]}`, `null`, `[]`} {
		f.Add([]byte("payload=" + url.QueryEscape(p)))
	}
	f.Add([]byte("payload="))
	f.Add([]byte("payload=%7B"))
	f.Add([]byte("payload=" + url.QueryEscape(clickWithCard(f))))
	f.Fuzz(func(t *testing.T, body []byte) {
		sameAsSlackGo(t, body)
		cb, err := decodeInteraction(body)
		if err != nil {
			return
		}
		in, err := fromInteraction(cb)
		if err != nil {
			if in != nil {
				t.Fatal("an inbound with an error")
			}
			return
		}
		if in.Kind != kindAction && in.Kind != kindSubmit {
			t.Fatalf("kind %q", in.Kind)
		}
		checkInbound(t, in)
	})
}

func FuzzDecodeEvent(f *testing.F) {
	f.Add([]byte(pinEvent("Ev1")))
	f.Add([]byte(`{"token":"x","challenge":"abc","type":"url_verification"}`))
	f.Add([]byte(`{"token":"x","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1","type":"app_rate_limited"}`))
	f.Add([]byte(`{"type":"event_callback","event_id":"Ev2","event":{"type":"reaction_added","user":"U1","reaction":"pushpin","item":{"type":"file","file":"F1"}}}`))
	f.Add([]byte(`{"type":"event_callback","event":null}`))
	f.Add([]byte(`{"type":"event_callback","event":{"type":"no_such_event"}}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := decodeEvent(body)
		if err != nil {
			return
		}
		in, err := fromEvent(ev)
		if errors.Is(err, errIgnored) {
			return
		}
		if err != nil {
			t.Fatalf("fromEvent: %v", err)
		}
		if in.Kind != kindPin || in.Pin == nil || in.Pin.Channel == "" || in.Pin.TS == "" || in.Pin.By == "" {
			t.Fatalf("pin %+v", in)
		}
		checkInbound(t, in)
	})
}

// checkInbound holds for every request accepted: it names a channel and a
// person, has a key for dedup, and the inbox can keep it.
func checkInbound(t *testing.T, in *inbound) {
	t.Helper()
	if in.Event.Channel == "" || in.Event.User.ID == "" {
		t.Fatalf("inbound without channel or user: %+v", in)
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("the inbox cannot keep %+v: %v", in, err)
	}
	var back inbound
	if err := json.Unmarshal(b, &back); err != nil || back.Kind != in.Kind {
		t.Fatalf("inbox round trip: %v", err)
	}
}
