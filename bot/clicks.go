package bot

import (
	"errors"
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
var errRepeatClick = errors.New("click already taken into account")

// ClickIdentity is the identity of a click for Event.ClickID: where it
// was made (platform, person, message) and what it does (the action and
// its value). Only the same click as the person's last one on that message
// is a repeat: yes, no, then yes again are three answers.
func ClickIdentity(platform, user, message, action string) string {
	return platform + ":" + user + ":" + message + clickSep + action
}

// clickSep parts where a click was made from what it does.
const clickSep = "\x1f"

// rememberClick records click id on inc at now as the person's last click
// on its message, and forgets the clicks older than the window.
func rememberClick(inc *incident.Incident, id string, now time.Time) {
	where, _, _ := strings.Cut(id, clickSep)
	for k, at := range inc.Clicks {
		if w, _, ok := strings.Cut(k, clickSep); now.Sub(at) >= ClickWindow || ok && w == where {
			delete(inc.Clicks, k)
		}
	}
	if id == "" {
		return
	}
	if inc.Clicks == nil {
		inc.Clicks = map[string]time.Time{}
	}
	inc.Clicks[id] = now
}

// clickReplies are the answers to the clicks of the last window.
type clickReplies struct {
	mu sync.Mutex // guards m
	m  map[string]clickReply
}

type clickReply struct {
	reply Reply
	at    time.Time
}

func (c *clickReplies) remember(id string, r Reply, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]clickReply{}
	}
	for k, v := range c.m {
		if now.Sub(v.at) >= ClickWindow {
			delete(c.m, k)
		}
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
	verb := "unknown"
	if cmd, err := parseCommand(ev.Text, lang); err == nil {
		verb = cmd.verb
	}
	b.cfg.Observer.Command(verb, ev.Click, "repeat", 0)
}
