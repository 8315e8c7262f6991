package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vigie-sante/vigie/internal/keyfile"
)

// This file holds `vigie key`: the public half of the signing key, for the
// structure to publish (intranet, reflex sheet, a letter to the ARS), so
// that whoever checks an export can tell it was signed by this Vigie and
// not by anyone holding a key of their own.

const keyUsage = "vigie key"

func init() {
	commands["key"] = command{
		summary: "print the public signing key and its fingerprint, to publish for vigie verify --key",
		run:     runKey,
	}
}

func runKey(_ context.Context, env Env, g *Globals, args []string) error {
	fset := flag.NewFlagSet("key", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	if err := fset.Parse(args); err != nil {
		return usagef("%v (usage: %s)", err, keyUsage)
	}
	if fset.NArg() > 0 {
		return usagef("unexpected argument %q (usage: %s)", fset.Arg(0), keyUsage)
	}
	_, dir, err := g.dbPath(env)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, keyfile.Name)
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, fs.ErrNotExist)
	key, err := keyfile.Load(dir)
	if err != nil {
		return err
	}
	pub := key.Public().(ed25519.PublicKey)
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	fp := keyfile.Fingerprint(pub)
	w := env.Stdout
	if created {
		fmt.Fprintf(w, "No signing key was in %s: one was created now. Keep this file and back it up: exports are checked against it.\n", dir)
	}
	fmt.Fprintf(w, "Signing key: %s\n", path)
	fmt.Fprintf(w, "Fingerprint: %s\n", fp)
	fmt.Fprintf(w, "Public key (base64): %s\n", base64.StdEncoding.EncodeToString(pub))
	_ = pem.Encode(w, &pem.Block{Type: "PUBLIC KEY", Bytes: der})
	fmt.Fprintf(w, "Publish the fingerprint where those who check exports will find it; they run:\n  vigie verify FILE --key %s\n", fp)
	return nil
}
