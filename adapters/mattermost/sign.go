package mattermost

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"strconv"
	"sync"
	"time"
)

// Why a button context or a dialog state is refused.
var (
	errForged  = errors.New("forged or altered context")
	errExpired = errors.New("expired context")
)

// signer signs what Vigie hands Mattermost and expects back unchanged:
// button contexts and dialog states. Mattermost passes them through
// without checking anything, and any user can post a button aimed at
// Vigie, so only our HMAC says a context is one we made.
type signer struct {
	key []byte
	// macs are keyed HMACs ready for Reset: hmac.New hashes the key again
	// and allocates two digests, and a card signs each of its buttons.
	macs sync.Pool
}

// Kinds keep a button's signature from passing as a dialog's.
const (
	kindButton = "btn"
	kindDialog = "dlg"
)

// mac is the hex HMAC-SHA256 of the parts, each length-prefixed so that no
// two different lists of parts read the same.
func (s *signer) mac(parts ...string) string {
	m, ok := s.macs.Get().(hash.Hash)
	if ok {
		m.Reset()
	} else {
		m = hmac.New(sha256.New, s.key)
	}
	defer s.macs.Put(m)
	for _, p := range parts {
		m.Write([]byte(strconv.Itoa(len(p))))
		m.Write([]byte{':'})
		m.Write([]byte(p))
		m.Write([]byte{'|'})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// button returns the integration context of a button that runs action in
// channel, valid until exp: {"a": action, "exp": unix seconds, "sig": HMAC
// over action|exp|channel}. Values are strings: JSON numbers would come
// back as floats.
func (s *signer) button(action, channel string, exp time.Time) map[string]any {
	e := strconv.FormatInt(exp.Unix(), 10)
	return map[string]any{"a": action, "exp": e, "sig": s.mac(kindButton, action, e, channel)}
}

// checkButton returns the action of a context Mattermost sent back for a
// click in channel, or why it is refused. The signature is checked before
// the expiry, so that an altered expiry reads as forged.
func (s *signer) checkButton(ctx map[string]any, channel string, now time.Time) (string, error) {
	action, ok1 := ctx["a"].(string)
	exp, ok2 := ctx["exp"].(string)
	sig, ok3 := ctx["sig"].(string)
	if !ok1 || !ok2 || !ok3 {
		return "", errForged
	}
	if !hmac.Equal([]byte(sig), []byte(s.mac(kindButton, action, exp, channel))) {
		return "", errForged
	}
	return action, checkExpiry(exp, now)
}

func checkExpiry(exp string, now time.Time) error {
	n, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return errForged
	}
	if now.Unix() > n {
		return errExpired
	}
	return nil
}

// dialogState is what a dialog carries from its opening to its submission:
// the action to run with the values, for whom, and until when.
type dialogState struct {
	Action string `json:"a"`
	Exp    string `json:"exp"`
	Name   string `json:"n"` // the user's name, for the main courante
	Sig    string `json:"sig"`
}

// dialog returns the signed state of a dialog opened for user (id and
// name) in channel.
func (s *signer) dialog(action, channel, userID, userName string, exp time.Time) string {
	e := strconv.FormatInt(exp.Unix(), 10)
	b, _ := json.Marshal(dialogState{Action: action, Exp: e, Name: userName,
		Sig: s.mac(kindDialog, action, e, channel, userID, userName)})
	return string(b)
}

// checkDialog returns the state of a dialog submitted by userID in
// channel, or why it is refused: Mattermost lets the client say which URL,
// state and channel a submission has; only the user is the server's.
func (s *signer) checkDialog(state, channel, userID string, now time.Time) (dialogState, error) {
	var st dialogState
	if err := json.Unmarshal([]byte(state), &st); err != nil {
		return dialogState{}, errForged
	}
	if !hmac.Equal([]byte(st.Sig), []byte(s.mac(kindDialog, st.Action, st.Exp, channel, userID, st.Name))) {
		return dialogState{}, errForged
	}
	return st, checkExpiry(st.Exp, now)
}
