package bottest

import (
	"context"
	"fmt"
	"sync"

	"github.com/vigie-sante/vigie/bot"
)

// Chat is a bot.Chat and bot.Uploader that records what the bot shows.
// Set Fail to make every call fail, as a platform outage would.
type Chat struct {
	mu       sync.Mutex // guards all below
	Posts    []Posted
	Updates  []Posted
	Uploads  map[string][]byte
	Messages map[string]bot.Message // by ref: the latest version
	Fail     error
	refs     int
}

// Posted is one message posted or updated.
type Posted struct {
	Channel, Ref string
	Message      bot.Message
}

var (
	_ bot.Chat     = (*Chat)(nil)
	_ bot.Uploader = (*Chat)(nil)
)

// NewChat returns an empty recording chat.
func NewChat() *Chat {
	return &Chat{Uploads: map[string][]byte{}, Messages: map[string]bot.Message{}}
}

// Post records m.
func (c *Chat) Post(ctx context.Context, channel string, m bot.Message) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Fail != nil {
		return "", c.Fail
	}
	c.refs++
	ref := fmt.Sprintf("msg-%d", c.refs)
	c.Posts = append(c.Posts, Posted{channel, ref, m})
	c.Messages[ref] = m
	return ref, nil
}

// Update records m as the new version of ref.
func (c *Chat) Update(ctx context.Context, channel, ref string, m bot.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Fail != nil {
		return c.Fail
	}
	if _, ok := c.Messages[ref]; !ok {
		return fmt.Errorf("update of unknown message %q", ref)
	}
	c.Updates = append(c.Updates, Posted{channel, ref, m})
	c.Messages[ref] = m
	return nil
}

// Upload records a file handed to a channel.
func (c *Chat) Upload(ctx context.Context, channel, name string, data []byte) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Fail != nil {
		return "", c.Fail
	}
	c.Uploads[name] = append([]byte(nil), data...)
	return "upload:" + name, nil
}

// Message returns the latest version of the message ref.
func (c *Chat) Message(ref string) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Messages[ref]
}

// Buttons returns every button action of a message, in order.
func Buttons(m bot.Message) []string {
	var out []string
	for _, b := range m.Blocks {
		for _, btn := range b.Buttons {
			out = append(out, btn.Action)
		}
	}
	return out
}

// SetFail makes every later call fail with err (nil: succeed), safely
// while the bot works in other goroutines.
func (c *Chat) SetFail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Fail = err
}

// Counts returns how many messages were posted and updated.
func (c *Chat) Counts() (posts, updates int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.Posts), len(c.Updates)
}
