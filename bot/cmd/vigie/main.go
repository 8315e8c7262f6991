// Command vigie is the crisis-cell bot. Everything it does is in package
// cli; main only connects it to the process.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // deadlines are shown in Europe/Paris even on images without zoneinfo

	"github.com/vigie-sante/vigie/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, cli.OSEnv(), os.Args[1:])
	stop()
	os.Exit(code)
}
