// Package console is the terminal channel: the bot with no chat server, for
// trying it, for scripts, and for the day the hospital's network is down.
//
// On a terminal it shows a prompt, colours and dialogs asked field by
// field. Otherwise its output is plain and deterministic and it reads
// commands from standard input until EOF, so that it can be scripted and
// tested with golden transcripts.
//
// It implements the conversation's Chat (bot) and imports the domain
// (incident); it must not import another adapter, a store or the command
// line: internal/cli wires it to a store.
package console

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// Channel is the one channel of the terminal.
const Channel = "console"

// Handler is what the console needs from the bot.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) bot.Reply
}

// Options configure a Console.
type Options struct {
	In      io.Reader
	Out     io.Writer
	TTY     bool   // a person at a terminal: prompt, colours, dialogs
	Dir     string // where exported files are written
	User    incident.User
	Trigger string   // "/incident": accepted before commands, and stripped
	Lang    bot.Lang // the console's own words: fr (default) or en
}

// Console implements bot.Chat and bot.Uploader on a terminal.
type Console struct {
	opt Options
	in  *bufio.Reader

	mu      sync.Mutex          // guards the fields below and writes to Out
	buttons map[string]string   // short key typed → button action
	keys    map[string]string   // button action → its short key, stable for the session
	shown   map[string][]string // message ref → its blocks as last printed
	refs    int
	// session makes refs unique across runs: the bot stores them, and after
	// a restart must not find its old card under a ref that now names
	// another message.
	session string
}

var (
	_ bot.Chat     = (*Console)(nil)
	_ bot.Uploader = (*Console)(nil)
)

// New returns a console reading and writing the given streams.
func New(opt Options) *Console {
	if opt.Trigger == "" {
		opt.Trigger = "/incident"
	}
	return &Console{opt: opt, in: bufio.NewReader(opt.In), buttons: map[string]string{}, keys: map[string]string{}, shown: map[string][]string{},
		session: rand.Text()[:8]}
}

// Post prints m and returns its reference.
func (c *Console) Post(ctx context.Context, channel string, m bot.Message) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refs++
	ref := "m" + strconv.Itoa(c.refs) + "-" + c.session
	blocks := c.blocks(m)
	c.write(c.title(m.Title, false) + strings.Join(blocks, "") + "\n")
	c.shown[ref] = blocks
	return ref, nil
}

// Update prints what changed in a message: a terminal cannot edit what it
// printed, and reprinting a whole card at each click would bury the
// conversation. Only new or changed blocks follow the marked title.
func (c *Console) Update(ctx context.Context, channel, ref string, m bot.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	blocks := c.blocks(m)
	before := map[string]bool{}
	for _, b := range c.shown[ref] {
		before[b] = true
	}
	var changed []string
	for _, b := range blocks {
		if !before[b] {
			changed = append(changed, b)
		}
	}
	gone := len(c.shown[ref]) + len(changed) - len(blocks)
	c.shown[ref] = blocks
	if len(changed) == 0 && gone == 0 {
		return nil
	}
	out := c.title(m.Title, true) + strings.Join(changed, "")
	if same := len(blocks) - len(changed); same > 0 {
		out += "  " + c.tr("unchanged", same) + "\n"
	}
	c.write(out + "\n")
	return nil
}

// Upload writes the file in the export directory and returns its path.
func (c *Console) Upload(ctx context.Context, channel, name string, data []byte) (string, error) {
	dir := c.opt.Dir
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, filepath.Base(name))
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return path, nil
}

// write prints s; the caller holds mu.
func (c *Console) write(s string) { io.WriteString(c.opt.Out, s) }

// printMessage prints a whole message, such as a reply; the caller holds mu.
func (c *Console) printMessage(m bot.Message) {
	c.write(c.title(m.Title, false) + strings.Join(c.blocks(m), "") + "\n")
}

func (c *Console) title(t string, updated bool) string {
	if t == "" {
		return ""
	}
	if updated {
		t = "↻ " + t
	}
	return c.style(bold, "━━ "+t+" ━━") + "\n"
}

// blocks lays each block of m out as text. Buttons get short keys to type,
// the same key for the same action all session long.
func (c *Console) blocks(m bot.Message) []string {
	var out []string
	for _, blk := range m.Blocks {
		var b strings.Builder
		if blk.Title != "" {
			b.WriteString(c.style(bold, blk.Title) + "\n")
		}
		for _, f := range blk.Fields {
			b.WriteString("  " + c.tr("field", f.Label, f.Value) + "\n")
		}
		if blk.Text != "" {
			for _, line := range strings.Split(blk.Text, "\n") {
				b.WriteString("  " + line + "\n")
			}
		}
		if len(blk.Buttons) > 0 {
			var bs []string
			for _, btn := range blk.Buttons {
				bs = append(bs, fmt.Sprintf("[%s] %s", c.key(btn.Action), btn.Label))
			}
			b.WriteString("  " + c.style(cyan, strings.Join(bs, "  ")) + "\n")
		}
		out = append(out, b.String())
	}
	return out
}

// key returns the short key of a button action, assigning the next number
// the first time.
func (c *Console) key(action string) string {
	if k, ok := c.keys[action]; ok {
		return k
	}
	k := strconv.Itoa(len(c.keys) + 1)
	c.keys[action] = k
	c.buttons[k] = action
	return k
}

const (
	bold = "\x1b[1m"
	cyan = "\x1b[36m"
)

func (c *Console) style(code, s string) string {
	if !c.opt.TTY {
		return s
	}
	return code + s + "\x1b[0m"
}
