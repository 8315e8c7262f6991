// Package console is the terminal channel: the bot with no chat server, for
// trying it, for scripts, and for the day the hospital's network is down.
//
// On a terminal it edits the command line (golang.org/x/term: history
// kept in a file, Tab completion from the bot, Ctrl-C), shows colours,
// asks dialogs field by field, checking each value as it is typed, and
// prints reminders above the prompt, which it redraws. Otherwise its output
// is plain and deterministic and it reads commands from standard input
// until EOF, so that it can be scripted and tested with golden transcripts.
//
// A terminal cannot edit what it printed: a card updated is shown by what
// changed, with the buttons still offered recalled on one line each, and
// what one command prints is folded to fit the screen.
//
// It implements the conversation's Chat (bot) and imports the domain
// (incident); it must not import another adapter, a store or the command
// line: internal/cli wires it to a store.
package console

import (
	"context"
	"crypto/rand"
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

// FieldChecker is a Handler that checks a dialog's field as it is typed
// (bot.Bot.CheckField); without it, the console checks only that a
// required field is given and that a choice is one of the options.
type FieldChecker interface {
	CheckField(ctx context.Context, ev bot.Event, d *bot.Dialog, name, value string) (string, error)
}

// Completer is a Handler that tells what may come next on a command line
// (bot.Bot.Complete), for Tab.
type Completer interface {
	Complete(ctx context.Context, channel, line string, lang bot.Lang) []string
}

// Options configure a Console.
type Options struct {
	In      io.Reader
	Out     io.Writer
	TTY     bool   // a person at a terminal: line editing, colours, dialogs
	Dir     string // where exported files are written
	User    incident.User
	Trigger string   // "/incident": accepted before commands, and stripped
	Lang    bot.Lang // the console's own words; French when empty
	// Width and Height are the screen's, in columns and rows; 0: the
	// terminal's, else 120×40. What one command prints is folded to fit
	// Height; on a terminal, lines are broken between words at Width.
	Width, Height int
	// History is the file where the commands typed on a terminal are kept
	// (mode 0600, the last HistoryMax); empty: kept for the session only.
	History string
}

// HistoryMax bounds the commands kept in the history file.
const HistoryMax = 1000

// Console implements bot.Chat and bot.Uploader on a terminal.
type Console struct {
	opt Options

	mu      sync.Mutex                 // guards the fields below and writes to out
	out     io.Writer                  // Out, or the line editor that redraws its prompt after
	keys    map[string]string          // button action → its key, stable for the session
	actions map[string]string          // key → button action
	labels  map[string]string          // button action → its label, for a stale key
	next    int                        // keys given so far, skipped ones included
	live    map[string]map[string]bool // message ref → the actions of the buttons it shows
	shown   map[string][]shownBlock    // message ref → its blocks as last printed
	screen  *screen                    // what a command in progress prints, laid out with its reply
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
	if opt.Width <= 0 {
		opt.Width = 120
	}
	if opt.Height <= 0 {
		opt.Height = 40
	}
	return &Console{opt: opt, out: opt.Out, keys: map[string]string{}, actions: map[string]string{}, labels: map[string]string{},
		live: map[string]map[string]bool{}, shown: map[string][]shownBlock{}, session: rand.Text()[:8]}
}

// Post prints m and returns its reference.
func (c *Console) Post(ctx context.Context, channel string, m bot.Message) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refs++
	ref := "m" + strconv.Itoa(c.refs) + "-" + c.session
	blocks := c.blocks(m)
	c.shown[ref] = blocks
	c.offer(ref, blocks)
	d := posted(m.Title, blocks)
	d.more = m.More
	c.show(d)
	return ref, nil
}

// Update prints what changed in a message: a terminal cannot edit what it
// printed, and reprinting a whole card at each click would bury the
// conversation. The blocks that changed show their new lines; those that
// did not, but still have buttons, are recalled on one line each.
func (c *Console) Update(ctx context.Context, channel, ref string, m bot.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	blocks := c.blocks(m)
	before, known := c.shown[ref]
	c.shown[ref] = blocks
	c.offer(ref, blocks)
	if !known {
		// Not shown by this console (a card of the run before a restart).
		d := updated(m.Title, nil, blocks)
		d.more = m.More
		c.show(d)
		return nil
	}
	if d := updated(m.Title, before, blocks); d != nil {
		d.more = m.More
		c.show(d)
	}
	return nil
}

// show prints a card now, or with the reply of the command in progress;
// the caller holds mu.
func (c *Console) show(d *card) {
	if c.screen != nil {
		c.screen.cards = append(c.screen.cards, d)
		return
	}
	c.print(c.layout(&screen{cards: []*card{d}}))
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

// write prints s; the caller holds mu. On a terminal outside the line
// editor (before Run, after it), lines end with CR LF as the editor's do:
// the terminal may be in raw mode.
func (c *Console) write(s string) {
	if c.opt.TTY && c.out == c.opt.Out {
		s = strings.ReplaceAll(s, "\n", "\r\n")
	}
	io.WriteString(c.out, s)
}

// println prints lines of the console's own under mu: reminders are
// posted from another goroutine while the console talks with the person.
func (c *Console) println(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var ls []line
	for _, t := range strings.Split(s, "\n") {
		ls = append(ls, line{text: t})
	}
	c.print(c.wrapLines(ls))
}

const (
	bold = "\x1b[1m"
	cyan = "\x1b[36m"
	dim  = "\x1b[2m"
)

func (c *Console) style(code, s string) string {
	if !c.opt.TTY || code == "" {
		return s
	}
	return code + s + "\x1b[0m"
}
