package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Why a request is refused as not from Slack.
var (
	errMissingHeaders = errors.New("missing X-Slack-Signature or X-Slack-Request-Timestamp")
	errStale          = errors.New("timestamp outside Slack's 5-minute window")
	errBadSignature   = errors.New("signature does not match")
	errNoSecret       = errors.New("no signing secret configured")
)

// signatureWindow is how far a request's timestamp may be from our clock.
const signatureWindow = 5 * time.Minute

// verify checks Slack's signature of a request (docs.slack.dev/
// authentication/verifying-requests-from-slack): sig must be "v0=" and the
// hex HMAC-SHA256, keyed with the signing secret, of "v0:" + ts + ":" +
// the raw body, and ts must be within five minutes of now. The comparison
// is in constant time. now is a parameter because slack.SecretsVerifier
// reads the wall clock, and the published test vector is from 2018.
func verify(secret, ts, body, sig string, now time.Time) error {
	if secret == "" {
		return errNoSecret
	}
	if ts == "" || sig == "" {
		return errMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errStale
	}
	if d := now.Sub(time.Unix(sec, 0)); d > signatureWindow || d < -signatureWindow {
		return errStale
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return errBadSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return errBadSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write([]byte(body))
	if !hmac.Equal(mac.Sum(nil), got) {
		return errBadSignature
	}
	return nil
}
