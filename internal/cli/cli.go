// Package cli implements the vigie command line: every subcommand, its flags
// and its exit status. Main in bot/cmd/vigie only calls Run, so that the
// whole command line is tested in-process.
//
// It is the one package that wires adapters, storage, the conversation and
// the reports together; nothing else of ours may import it.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// Env is what a command reads and writes besides its arguments.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// StdinIsTTY and StdoutIsTTY tell the console adapter whether to show a
	// prompt and colours.
	StdinIsTTY, StdoutIsTTY bool
}

// getenv is Getenv, or "" when there is none.
func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// OSEnv returns the process's standard streams and environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		StdinIsTTY: isTTY(os.Stdin), StdoutIsTTY: isTTY(os.Stdout)}
}

// isTTY reports whether f is a terminal: a character device other than
// /dev/null (which is one too, and is what a service gets as stdin).
func isTTY(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}

// usageError is bad usage: exit status 2, message on stderr.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef reports bad usage, naming what is wrong and what is accepted.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Globals are the flags every command accepts, before or after its name.
type Globals struct {
	DB     string // bbolt file
	Config string // YAML configuration
	Lang   string // fr or en
}

// Main is the program: it runs args with the process's streams, stopping
// cleanly on SIGINT or SIGTERM, and returns the exit status.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		// Every command honours the signal: those that watch ctx stop
		// cleanly (serve within its shutdown delay); one still busy after
		// stopGrace exits anyway, and a second signal ends the process at
		// once. Nothing acknowledged is lost: each write is a whole
		// transaction.
		stop()
		time.Sleep(stopGrace)
		fmt.Fprintf(os.Stderr, "vigie: still busy %s after the stop signal: exiting\n", stopGrace)
		os.Exit(ExitFailure)
	}()
	return Run(ctx, OSEnv(), args)
}

// stopGrace is how long a command may take to stop after SIGTERM: longer
// than serve's shutdown (8 s), shorter than Docker's 10 s + kill.
const stopGrace = 9 * time.Second

// Run runs the command line args (without the program name) and returns the
// exit status: 0 done, 1 failed, 2 bad usage (a flag, a command or an
// argument not accepted), its message on stderr naming the command.
func Run(ctx context.Context, env Env, args []string) int {
	var g Globals
	root := newRoot(env, &g)
	ran := false // past cobra's parsing: from here on, only usagef is bad usage
	pre := root.PersistentPreRunE
	root.PersistentPreRunE = func(c *cobra.Command, a []string) error {
		ran = true
		return pre(c, a)
	}
	root.SetArgs(doubleDash(root, args))
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	name := "vigie"
	if cmd != nil {
		name = cmd.CommandPath()
	}
	fmt.Fprintf(env.Stderr, "%s: %v\n", name, err)
	var ue *usageError
	if !ran || errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitFailure
}
