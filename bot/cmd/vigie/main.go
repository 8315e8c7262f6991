// Command vigie is the crisis-cell bot. Everything it does is in package
// cli; main only connects it to the process.
package main

import (
	"os"

	_ "time/tzdata" // deadlines are shown in Europe/Paris even on images without zoneinfo

	"github.com/vigie-sante/vigie/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
