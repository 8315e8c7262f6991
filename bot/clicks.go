package bot

import (
	"strings"
	"sync"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// One effect per click. Mattermost delivers a double click as two
// requests 5 to 65 ms apart, Slack retries what it thinks was lost, and a
// person clicks again after a restart: the click's identity (Event.ClickID)
// is recorded in the incident, in the transaction the click changes it in,
// and a repeat within ClickWindow changes nothing. The repeat is answered
// as the first was when this process answered it, else with a sentence
// saying the click was already taken into account.

// ClickWindow is how long a click's identity is remembered.
const ClickWindow = time.Minute

// errRepeatClick is a change refused because its click was already taken.
var errRepeatClick = incident.ErrRepeatClick

// ClickIdentity is the identity of a click for Event.ClickID: where it
// was made (platform, person, message) and what it does (the action and
// its value). Only the same click as the person's last one on that message
// is a repeat: yes, no, then yes again are three answers.
func ClickIdentity(platform, user, message, action string) string {
	return platform + ":" + user + ":" + message + clickSep + action
}

// clickSep parts where a click was made from what it does.
const clickSep = "\x1f"

// clickOf is the click of Event.ClickID id, taken at now, as the store
// records it: only the same click as the person's last one on that message
// is a repeat (ClickIdentity).
func clickOf(id string, now time.Time) incident.Click {
	where, what, _ := strings.Cut(id, clickSep)
	return incident.Click{Where: where, What: what, At: now}
}

// clickReplies are the answers to the clicks of the last window, so that
// a repeat gets the first click's answer.
type clickReplies struct {
	mu    sync.Mutex // guards m and order
	m     map[string]clickReply
	order []string // ids by the time remembered, oldest first
}

type clickReply struct {
	reply Reply
	at    time.Time
}

// remember keeps r as the answer to click id, and forgets the answers
// older than the window: from the oldest, so that a busy minute costs each
// click the same.
func (c *clickReplies) remember(id string, r Reply, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]clickReply{}
	}
	for len(c.order) > 0 {
		old, ok := c.m[c.order[0]]
		if ok && now.Sub(old.at) < ClickWindow {
			break
		}
		if ok && c.order[0] != id {
			delete(c.m, c.order[0])
		}
		c.order = c.order[1:]
	}
	if _, ok := c.m[id]; !ok {
		c.order = append(c.order, id)
	}
	c.m[id] = clickReply{r, now}
}

// first is the answer to the first click of id, or a sentence saying it
// was taken into account.
func (c *clickReplies) first(id string, lang Lang) Reply {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[id]; ok {
		return v.reply
	}
	return Reply{Text: tr(lang, "click.repeat")}
}

// Repeated counts, for metrics, a click that its platform merged into the
// same click being handled, and that therefore never reaches Handle
// (Mattermost's adapter makes a double click wait for the first click's
// answer): a repeat, as those the store catches are counted.
func (b *Bot) Repeated(ev Event) {
	lang := ev.Lang
	if lang == "" {
		lang = b.cfg.Lang
	}
	verb := VerbUnknown
	if cmd, err := parseCommand(ev.Text, lang); err == nil {
		verb = cmd.verb
	}
	b.cfg.Observer.Command(verb, ev.Click, OutcomeRepeat, 0)
}
