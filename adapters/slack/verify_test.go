package slack

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Slack's published test vector (docs.slack.dev/authentication/
// verifying-requests-from-slack; verbatim in slackapi/python-slack-sdk,
// tests/slack_sdk/signature/test_signature_verifier.py).
const (
	vectorSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	vectorTimestamp = "1531420618"
	vectorBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	vectorSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

var vectorTime = time.Unix(1531420618, 0)

func TestVerifySlackVector(t *testing.T) {
	if err := verify(vectorSecret, vectorTimestamp, vectorBody, vectorSignature, vectorTime); err != nil {
		t.Fatalf("Slack's own vector refused: %v", err)
	}
	// The window is five minutes either way.
	for _, d := range []time.Duration{-5 * time.Minute, 5 * time.Minute} {
		if err := verify(vectorSecret, vectorTimestamp, vectorBody, vectorSignature, vectorTime.Add(d)); err != nil {
			t.Errorf("at %v from the timestamp: %v", d, err)
		}
	}
	// Our test helper signs as Slack does.
	if got := sign(vectorSecret, vectorTimestamp, vectorBody); got != vectorSignature {
		t.Fatalf("sign: %s", got)
	}
	// And the body decodes as the slash command it is.
	cmd, _, err := decodeCommand([]byte(vectorBody))
	if err != nil || cmd.UserName != "roadrunner" || cmd.ChannelID != "G8PSS9T3V" || cmd.Command != "/webhook-collect" ||
		cmd.TriggerID != "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c" {
		t.Fatalf("decode: %+v %v", cmd, err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	cases := []struct {
		name                  string
		secret, ts, body, sig string
		now                   time.Time
		want                  error
	}{
		{"stale", vectorSecret, vectorTimestamp, vectorBody, vectorSignature, vectorTime.Add(5*time.Minute + time.Second), errStale},
		{"from the future", vectorSecret, vectorTimestamp, vectorBody, vectorSignature, vectorTime.Add(-5*time.Minute - time.Second), errStale},
		{"today", vectorSecret, vectorTimestamp, vectorBody, vectorSignature, time.Now(), errStale},
		{"tampered body", vectorSecret, vectorTimestamp, strings.Replace(vectorBody, "roadrunner", "coyote", 1), vectorSignature, vectorTime, errBadSignature},
		{"one byte more", vectorSecret, vectorTimestamp, vectorBody + "&", vectorSignature, vectorTime, errBadSignature},
		{"timestamp changed", vectorSecret, "1531420619", vectorBody, vectorSignature, vectorTime, errBadSignature},
		{"wrong secret", "8f742231b10e8888abcd99yyyzzz85a6", vectorTimestamp, vectorBody, vectorSignature, vectorTime, errBadSignature},
		{"no secret", "", vectorTimestamp, vectorBody, vectorSignature, vectorTime, errNoSecret},
		{"missing timestamp", vectorSecret, "", vectorBody, vectorSignature, vectorTime, errMissingHeaders},
		{"missing signature", vectorSecret, vectorTimestamp, vectorBody, "", vectorTime, errMissingHeaders},
		{"bad timestamp", vectorSecret, "12e3", vectorBody, vectorSignature, vectorTime, errStale},
		{"other version", vectorSecret, vectorTimestamp, vectorBody, strings.Replace(vectorSignature, "v0=", "v1=", 1), vectorTime, errBadSignature},
		{"not hex", vectorSecret, vectorTimestamp, vectorBody, "v0=zz14d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", vectorTime, errBadSignature},
		{"truncated", vectorSecret, vectorTimestamp, vectorBody, vectorSignature[:40], vectorTime, errBadSignature},
		{"upper case", vectorSecret, vectorTimestamp, vectorBody, "v0=" + strings.ToUpper(vectorSignature[3:]), vectorTime, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := verify(c.secret, c.ts, c.body, c.sig, c.now)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}
