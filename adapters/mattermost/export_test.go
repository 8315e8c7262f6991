package mattermost

import "time"

// SignButtonForTest signs a button context as the adapter does, for the
// tests against the real server to stand for a context copied from a card.
func SignButtonForTest(key []byte, action, channel string, exp time.Time) map[string]any {
	return (&signer{key: key}).button(action, channel, exp)
}

// ActionIDForTest is the id the adapter gives the button of action.
func ActionIDForTest(action string) string { return actionID(action, map[string]bool{}) }
