//go:build unix

package console

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// watchSize follows the terminal's size when the window changes, until
// stop.
func watchSize(c *Console, t *term.Terminal) (stop func()) {
	f, ok := c.opt.Out.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGWINCH)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-ch:
				if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
					c.mu.Lock()
					c.opt.Width, c.opt.Height = w, h
					c.mu.Unlock()
					_ = t.SetSize(w, h)
				}
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}
