//go:build !unix

package console

import "golang.org/x/term"

// watchSize does nothing where there is no SIGWINCH.
func watchSize(c *Console, t *term.Terminal) (stop func()) { return func() {} }
