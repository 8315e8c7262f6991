package slack

import (
	"encoding/json"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// clickWithCard is a click as Slack sends it from a card: the whole
// message clicked rides along, its blocks included.
func clickWithCard(tb testing.TB) string {
	tb.Helper()
	card, err := os.ReadFile("testdata/card.golden")
	if err != nil {
		tb.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(blockActionsSample), &p); err != nil {
		tb.Fatal(err)
	}
	var msg map[string]any
	if err := json.Unmarshal(card, &msg); err != nil {
		tb.Fatal(err)
	}
	msg["type"], msg["ts"], msg["user"] = "message", "111.222", "UBOT"
	p["message"] = msg
	b, _ := json.Marshal(p)
	return string(b)
}

// sameAsSlackGo: whenever slack-go decodes an interaction, Vigie's own
// decoding of a click makes the same inbound, or the same refusal.
func sameAsSlackGo(t *testing.T, body []byte) {
	t.Helper()
	f, err := url.ParseQuery(string(body))
	if err != nil || f.Get("payload") == "" {
		return
	}
	var full slack.InteractionCallback
	if json.Unmarshal([]byte(f.Get("payload")), &full) != nil {
		return
	}
	cb, err := decodeInteraction(body)
	if err != nil {
		t.Fatalf("slack-go reads %.200q, Vigie refuses it: %v", f.Get("payload"), err)
	}
	want, wantErr := fromInteraction(full)
	got, gotErr := fromInteraction(cb)
	if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(want, got) {
		t.Fatalf("payload %.200q:\nslack-go: %+v, %v\nVigie:    %+v, %v", f.Get("payload"), want, wantErr, got, gotErr)
	}
}

// A click's inbound is the same whether slack-go or Vigie decodes it, for
// the samples and for the edge cases of its actions.
func TestDecodeClickAsSlackGo(t *testing.T) {
	for _, p := range []string{
		blockActionsSample,
		clickWithCard(t),
		strings.Replace(blockActionsSample, `"block_id":"b",`, ``, 1),               // an attachment's action
		strings.Replace(blockActionsSample, `"block_id":"b"`, `"block_id":null`, 1), // not a string either
		strings.Replace(blockActionsSample, `"channel":{"id":"C111","name":"test-channel"},`, ``, 1),
		`{"type":"block_actions","user":{"id":"W1","name":"n"},"actions":[{"block_id":"b","value":"v","type":"button","action_id":"a"}],"container":{"channel_id":"C1"}}`,
	} {
		sameAsSlackGo(t, []byte("payload="+url.QueryEscape(p)))
	}
}

// BenchmarkDecodeClick: a click from a card, decoded by slack-go and by
// Vigie (the payload, then the whole body with its form). The card's
// blocks are most of the payload.
//
//	go test -run '^$' -bench DecodeClick ./adapters/slack/
func BenchmarkDecodeClick(b *testing.B) {
	body := []byte("payload=" + url.QueryEscape(clickWithCard(b)))
	b.Run("slack-go", func(b *testing.B) {
		payload := []byte(clickWithCard(b))
		for b.Loop() {
			var cb slack.InteractionCallback
			if err := json.Unmarshal(payload, &cb); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("vigie", func(b *testing.B) {
		payload := []byte(clickWithCard(b))
		for b.Loop() {
			var c click
			if err := json.Unmarshal(withoutMessage(payload), &c); err != nil {
				b.Fatal(err)
			}
			if _, err := c.callback(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("body", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeInteraction(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
