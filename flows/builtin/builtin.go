// Package builtin embeds the alert chains and contacts Vigie ships with, so
// that the binary runs with no file beside it (the day the network is down).
//
// It imports flows only.
package builtin

import (
	"embed"
	"io/fs"
	"sync"

	"github.com/vigie-sante/vigie/flows"
)

//go:embed contacts chains
var files embed.FS

// FS returns the embedded chain and contact files.
func FS() fs.FS { return files }

var (
	once    sync.Once
	catalog *flows.Catalog
	err     error
)

// Catalog returns the compiled embedded chains. They are compiled once; an
// error means a broken build, which the tests catch.
func Catalog() (*flows.Catalog, error) {
	once.Do(func() { catalog, err = flows.Load(files) })
	return catalog, err
}
