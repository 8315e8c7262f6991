package console

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// This file edits the command line on a terminal with golang.org/x/term:
// its Terminal, kept by the Go project, takes any io.ReadWriter (so tests
// drive it without a pseudo-terminal), lets another goroutine write above
// the prompt, which it then redraws with what was being typed (reminders
// due while the person types), and takes a History and a key callback
// (Tab). Ctrl-C is read here: Terminal takes it for the end of input.

// ctrlC stands for Ctrl-C in what the Terminal reads: a rune of the
// private use area, which no keyboard sends, followed by Enter so that
// ReadLine returns the line it cuts short.
const ctrlC = '\uF8FF'

// terminal reads lines with a line editor.
type terminal struct {
	c       *Console
	t       *term.Terminal
	ctx     context.Context
	restore func()        // gives the terminal its mode back, once
	comp    Completer     // nil: Tab completes the console's own words only
	hist    *history      // the commands typed, kept in a file
	form    *formField    // the field being asked, nil at the command prompt
	cut     bool          // Ctrl-C cut the line being read
	inrd    *interrupting // reads the keyboard
}

// openTerminal puts a real terminal in raw mode (restored by done) and
// starts the line editor on In and Out.
func (c *Console) openTerminal(ctx context.Context, h Handler) (lines, func(), error) {
	restore := func() {}
	if f, ok := c.opt.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		state, err := term.MakeRaw(int(f.Fd()))
		if err != nil {
			return nil, nil, err
		}
		restore = sync.OnceFunc(func() { _ = term.Restore(int(f.Fd()), state) })
	}
	if f, ok := c.opt.Out.(*os.File); ok {
		if w, hgt, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && hgt > 0 {
			c.mu.Lock()
			c.opt.Width, c.opt.Height = w, hgt
			c.mu.Unlock()
		}
	}
	tl := &terminal{c: c, ctx: ctx, restore: restore, inrd: &interrupting{r: c.opt.In}}
	tl.comp, _ = h.(Completer)
	hist, err := openHistory(c.opt.History, HistoryMax)
	if err != nil {
		// The console works without it; say why ↑ forgets.
		c.println(c.tr("history_warn", err))
		hist, _ = openHistory("", HistoryMax)
	}
	tl.hist = hist
	tl.t = term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{tl.inrd, c.opt.Out}, "")
	c.mu.Lock()
	_ = tl.t.SetSize(c.opt.Width, c.opt.Height)
	c.mu.Unlock()
	tl.t.History = tl
	tl.t.AutoCompleteCallback = tl.key
	c.mu.Lock()
	c.out = tl.t
	c.mu.Unlock()
	stop := watchSize(c, tl.t)
	return tl, func() {
		stop()
		c.mu.Lock()
		c.out = c.opt.Out
		c.mu.Unlock()
		restore()
	}, nil
}

// readLine reads a line, or gives up when ctx ends: a stop signal must
// not wait for a key, nor leave the terminal raw when the process exits.
// The read itself cannot be interrupted; it is left to the exit.
func (tl *terminal) readLine(prompt string, form *formField) (string, error) {
	type read struct {
		line string
		err  error
	}
	done := make(chan read, 1)
	go func() {
		line, err := tl.read(prompt, form)
		done <- read{line, err}
	}()
	select {
	case r := <-done:
		return r.line, r.err
	case <-tl.ctx.Done():
		tl.restore()
		return "", io.EOF
	}
}

func (tl *terminal) read(prompt string, form *formField) (string, error) {
	tl.form, tl.cut = form, false
	tl.t.SetPrompt(prompt)
	line, err := tl.t.ReadLine()
	if tl.cut {
		tl.cut = false
		return "", errInterrupt
	}
	if err == term.ErrPasteIndicator {
		err = nil // a pasted line is a line
	}
	return line, err
}

// key is the Terminal's key callback: Ctrl-C marks the line cut; Tab
// completes the word before the cursor. It runs on the reading goroutine
// with the Terminal unlocked, so it may write above the prompt.
func (tl *terminal) key(line string, pos int, key rune) (string, int, bool) {
	switch key {
	case ctrlC:
		tl.cut = true
		return line + "^C", len(line) + 2, true
	case '\t':
		return tl.complete(line, pos)
	}
	return "", 0, false
}

// complete replaces the word before the cursor by the only candidate, or
// by what all candidates share; when that adds nothing, it lists them.
func (tl *terminal) complete(line string, pos int) (string, int, bool) {
	before, after := line[:pos], line[pos:]
	cands := tl.candidates(before)
	if len(cands) == 0 {
		return line, pos, true
	}
	start := strings.LastIndexAny(before, " \t") + 1
	word := before[start:]
	repl := commonPrefix(cands)
	if len(cands) == 1 && !strings.HasSuffix(repl, "=") {
		repl += " "
	}
	if len(repl) <= len(word) {
		_, _ = tl.t.Write([]byte(tl.c.tr("candidates", strings.Join(cands, "  ")) + "\n"))
		return line, pos, true
	}
	newBefore := before[:start] + repl
	return newBefore + after, len(newBefore), true
}

// candidates are the words the last word of before may become.
func (tl *terminal) candidates(before string) []string {
	if tl.form != nil {
		var out []string
		for _, o := range tl.form.field.Options {
			out = append(out, o.Label)
		}
		return withPrefix(out, before)
	}
	words := strings.Fields(before)
	first := len(words) == 0 || (len(words) == 1 && !strings.HasSuffix(before, " "))
	var out []string
	if tl.comp != nil {
		out = tl.comp.Complete(tl.ctx, Channel, tl.c.command(before), tl.c.opt.Lang)
	}
	if first {
		out = append(out, withPrefix(quitWords, strings.TrimSpace(before))...)
	}
	return out
}

func withPrefix(cands []string, prefix string) []string {
	var out []string
	p := strings.ToLower(prefix)
	for _, c := range cands {
		if strings.HasPrefix(strings.ToLower(c), p) {
			out = append(out, c)
		}
	}
	return out
}

// commonPrefix is what all of cands start with.
func commonPrefix(cands []string) string {
	p := cands[0]
	for _, c := range cands[1:] {
		for !strings.HasPrefix(c, p) {
			_, size := lastRune(p)
			p = p[:len(p)-size]
		}
	}
	return p
}

func lastRune(s string) (rune, int) {
	r := []rune(s)
	if len(r) == 0 {
		return 0, 0
	}
	last := r[len(r)-1]
	return last, len(string(last))
}

// The Terminal's History: the commands typed at the prompt, not the
// values of a form nor a line cut by Ctrl-C.

func (tl *terminal) Add(entry string) {
	if tl.form != nil || tl.cut {
		return
	}
	tl.hist.add(entry)
}

func (tl *terminal) Len() int {
	if tl.form != nil {
		return 0
	}
	return tl.hist.len()
}

func (tl *terminal) At(i int) string { return tl.hist.at(i) }

// interrupting reads the keyboard, turning Ctrl-C into ctrlC and Enter.
type interrupting struct {
	r       io.Reader
	pending []byte
	err     error
}

var ctrlCKeys = []byte(string(ctrlC) + "\r")

func (i *interrupting) Read(p []byte) (int, error) {
	if len(i.pending) == 0 {
		if i.err != nil {
			err := i.err
			i.err = nil
			return 0, err
		}
		buf := make([]byte, len(p))
		n, err := i.r.Read(buf)
		i.pending = bytes.ReplaceAll(buf[:n], []byte{3}, ctrlCKeys)
		i.err = err
		if len(i.pending) == 0 {
			i.err = nil
			return 0, err
		}
	}
	n := copy(p, i.pending)
	i.pending = i.pending[n:]
	return n, nil
}
