package cli

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/internal/keyfile"
)

// This file holds `vigie key`: the public half of the signing key, for the
// structure to publish (intranet, reflex sheet, a letter to the ARS), so
// that whoever checks an export can tell it was signed by this Vigie and
// not by anyone holding a key of their own.

func newKeyCmd(env Env, g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "key",
		Short: "print the public signing key and its fingerprint, to publish for vigie verify --key",
		Long: `Print the public half of the signing key kept in the data directory, and
its fingerprint, for the structure to publish (intranet, reflex sheet, a
letter to the ARS): whoever checks an export runs vigie verify FILE --key
with it. A missing key is created.`,
		Example: `  vigie key
  vigie --db /srv/vigie/vigie.db key`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return runKey(env, g) },
	}
}

func runKey(env Env, g *Globals) error {
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
