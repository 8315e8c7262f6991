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
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
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

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env Env, g *Globals, args []string) error
}

// commands is the command table, filled by each subcommand's file.
var commands = map[string]command{}

// Globals are the flags every subcommand accepts before its name.
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
// exit status.
func Run(ctx context.Context, env Env, args []string) int {
	var g Globals
	fs := flag.NewFlagSet("vigie", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.DB, "db", "", "bbolt database file (default: vigie.db under the user's state directory)")
	fs.StringVar(&g.Config, "config", "", "YAML configuration file (default: $VIGIE_CONFIG)")
	fs.StringVar(&g.Lang, "lang", "", "language of the bot: fr (default) or en")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(env.Stdout)
			return ExitOK
		}
		fmt.Fprintf(env.Stderr, "vigie: %v\n", err)
		usage(env.Stderr)
		return ExitUsage
	}
	if g.Config == "" && env.Getenv != nil {
		// In a container the file is given by the environment, so that
		// every subcommand (serve, healthcheck, config check) finds it.
		g.Config = env.Getenv("VIGIE_CONFIG")
	}
	if g.Lang != "" && g.Lang != "fr" && g.Lang != "en" {
		fmt.Fprintf(env.Stderr, "vigie: bad --lang %q (accepted: fr, en)\n", g.Lang)
		return ExitUsage
	}
	rest := fs.Args()
	name := "console"
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "help" || name == "aide" {
		usage(env.Stdout)
		return ExitOK
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "vigie: unknown command %q (accepted: %s)\n", name, strings.Join(commandNames(), ", "))
		return ExitUsage
	}
	err := cmd.run(ctx, env, &g, rest)
	var ue *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "vigie %s: %v\n", name, err)
		return ExitUsage
	default:
		fmt.Fprintf(env.Stderr, "vigie %s: %v\n", name, err)
		return ExitFailure
	}
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: vigie [--db FILE] [--config FILE] [--lang fr|en] [COMMAND] [ARGS…]")
	fmt.Fprintln(w, "\nWith no command, vigie runs the terminal channel (console) on the embedded chains.")
	fmt.Fprintln(w, "\nCommands:")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}
