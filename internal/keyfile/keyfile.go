// Package keyfile keeps Vigie's signing key: the ed25519 key that signs the
// head of every exported main courante. It is created at first start in
// the data directory and never changes afterwards, since exports signed
// before a change would no longer match the key people know.
//
// The file is PEM ("PRIVATE KEY", PKCS #8), the form openssl reads:
//
//	openssl pkey -in vigie-signing.key -pubout
//
// It imports the domain (incident, for the key's fingerprint) and nothing
// else of ours.
package keyfile

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
)

// Name is the key file's name in the data directory.
const Name = "vigie-signing.key"

// maxSize bounds what Load reads: a PEM ed25519 key is about 120 bytes.
const maxSize = 64 << 10

// Load returns the signing key kept in dir, creating dir (mode 0700) and
// the key (mode 0600) if there is none yet. It refuses a key file that
// group or others may access, and never replaces a file it cannot read:
// a new key would silently disown every export signed before.
func Load(dir string) (ed25519.PrivateKey, error) {
	path := filepath.Join(dir, Name)
	key, err := read(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	if err := create(dir, path); err != nil {
		return nil, err
	}
	// Read back what is on disk: another process starting at the same time
	// may have created the key first, and theirs is the one that counts.
	return read(path)
}

func read(path string) (ed25519.PrivateKey, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err // how Load knows to create the key
	}
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("signing key %s has mode %#o: group or others may read it; run chmod 600 %s",
			path, fi.Mode().Perm(), path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSize))
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	key, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w; restore it from a backup, or remove it to create a new key "+
			"(exports signed before will then show a different fingerprint)", path, err)
	}
	return key, nil
}

// Parse decodes a PEM PKCS #8 ed25519 private key, as Load writes it.
func Parse(b []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("not a PEM \"PRIVATE KEY\" block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("not a PKCS #8 key: %w", err)
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an ed25519 key", k)
	}
	return key, nil
}

// create writes a new key to path atomically: a complete temporary file,
// synced, then linked to its name, which fails if the name exists, so that
// two processes starting together cannot overwrite each other's key. Where
// hard links are not supported, it falls back to a rename.
func create(dir, path string) error {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("signing key: generate: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("signing key: encode: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+Name+".*") // mode 0600
	if err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return fmt.Errorf("signing key: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("signing key: sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("signing key: close %s: %w", tmp.Name(), err)
	}
	switch err := os.Link(tmp.Name(), path); {
	case err == nil, errors.Is(err, fs.ErrExist):
	default:
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("signing key: %w", err)
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes the new directory entry durable. Not every system can
// sync a directory; the key file itself is already synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Fingerprint returns the short form people compare to recognise a key,
// "SHA256:" and unpadded base64; see bot.KeyFingerprint, which it is.
func Fingerprint(pub ed25519.PublicKey) string { return incident.KeyFingerprint(pub) }

// ParsePublic reads the public key people give to check exports against:
// base64 of the 32 raw bytes (as exports show it), a PEM "PUBLIC KEY"
// (openssl pkey -pubout), or the PEM private key file itself.
func ParsePublic(b []byte) (ed25519.PublicKey, error) {
	if block, _ := pem.Decode(b); block != nil {
		switch block.Type {
		case "PUBLIC KEY":
			k, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("not a PKIX public key: %w", err)
			}
			pub, ok := k.(ed25519.PublicKey)
			if !ok {
				return nil, fmt.Errorf("a %T, not an ed25519 key", k)
			}
			return pub, nil
		case "PRIVATE KEY":
			key, err := Parse(b)
			if err != nil {
				return nil, err
			}
			return key.Public().(ed25519.PublicKey), nil
		}
		return nil, fmt.Errorf("PEM block %q (accepted: PUBLIC KEY, PRIVATE KEY)", block.Type)
	}
	s := strings.TrimSpace(string(b))
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("not an ed25519 public key (accepted: base64 of %d bytes, PEM PUBLIC KEY, PEM PRIVATE KEY)", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}
