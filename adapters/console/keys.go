package console

import (
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/bot"
)

// Buttons are typed by a key of letters: a, b… z, then aa, ab… Letters
// never mean a step (steps have numbers and names) nor a command (keys
// that are verbs, such as "na", are skipped). An action keeps its key
// all session long. A key acts only while one of the messages on screen
// still offers its button: once a card changes, the buttons it no longer
// shows are stale, and typing their key says so instead of acting on a
// state that is gone.

// key returns the key of a button action, the next free one the first
// time; the caller holds mu.
func (c *Console) key(action, label string) string {
	if k, ok := c.keys[action]; ok {
		c.labels[action] = label
		return k
	}
	k := ""
	for {
		c.next++
		k = letters(c.next)
		if !bot.LooksLikeCommand(k) && !isWord(quitWords, k) && !isWord(cancelWords, k) {
			break
		}
	}
	c.keys[action], c.actions[k], c.labels[action] = k, action, label
	return k
}

// letters writes n (from 1) in bijective base 26: a…z, aa…az, ba…
func letters(n int) string {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('a' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// offer records the buttons that message ref shows now; the caller holds
// mu. A button the message no longer shows is withdrawn from the last
// reply too (a statut is a copy of the cards as they were).
func (c *Console) offer(ref string, blocks []shownBlock) {
	live := map[string]bool{}
	for _, b := range blocks {
		for _, btn := range b.buttons {
			live[btn.Action] = true
		}
	}
	if ref != "reply" {
		for a := range c.live[ref] {
			if !live[a] {
				delete(c.live["reply"], a)
			}
		}
	}
	c.live[ref] = live
}

// offered says whether some message on screen still offers action; the
// caller holds mu.
func (c *Console) offered(action string) bool {
	for _, live := range c.live {
		if live[action] {
			return true
		}
	}
	return false
}

// click resolves a line typed alone: the action of a button key on
// screen, or what to say when the line looks like a key but acts on
// nothing. Neither: the line is a command. The caller holds mu.
func (c *Console) click(line string) (action, refusal string) {
	if a, ok := c.actions[line]; ok {
		if c.offered(a) {
			return a, ""
		}
		return "", c.tr("stale", line, c.labels[a])
	}
	if _, err := strconv.Atoi(line); err == nil {
		return "", c.tr("number", line)
	}
	if keyLike(line) && !bot.LooksLikeCommand(line) && !isWord(quitWords, line) {
		return "", c.tr("no_button", line)
	}
	return "", ""
}

// keyLike says whether s could be a button key: one to three lower-case
// letters.
func keyLike(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") == ""
}
