package keyfile_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

func TestLoadCreatesThenKeeps(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "vigie")
	key, err := keyfile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != ed25519.PrivateKeySize {
		t.Fatalf("key has %d bytes", len(key))
	}
	path := filepath.Join(dir, keyfile.Name)
	if runtime.GOOS != "windows" {
		for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got&^want != 0 {
				t.Errorf("%s has mode %#o, want at most %#o", p, got, want)
			}
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if block, _ := pem.Decode(b); block == nil || block.Type != "PRIVATE KEY" {
		t.Fatalf("key file is not a PEM PRIVATE KEY:\n%s", b)
	}
	again, err := keyfile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !key.Equal(again) {
		t.Error("second Load returned another key")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data directory holds %d files, want only the key (temporary file left?)", len(entries))
	}
}

// TestOpenSSLReadsKey: the key can be inspected and backed up with the
// usual tools.
func TestOpenSSLReadsKey(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no openssl")
	}
	dir := t.TempDir()
	key, err := keyfile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openssl, "pkey", "-in", filepath.Join(dir, keyfile.Name), "-pubout").Output()
	if err != nil {
		t.Skipf("openssl without ed25519? %v", err)
	}
	pub, err := keyfile.ParsePublic(out)
	if err != nil {
		t.Fatalf("ParsePublic(openssl output): %v\n%s", err, out)
	}
	if !pub.Equal(key.Public()) {
		t.Error("openssl derives another public key")
	}
}

func TestLoadRefuses(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	tests := []struct {
		name    string
		content []byte
		mode    os.FileMode
		want    string
	}{
		{"readable by others", nil, 0o644, "group or others may read it; run chmod 600"},
		{"readable by group", nil, 0o640, "has mode 0640"},
		{"empty", []byte{}, 0o600, `not a PEM "PRIVATE KEY" block; restore it from a backup`},
		{"garbage", []byte("hello"), 0o600, "not a PEM"},
		{"another PEM", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), 0o600, "not a PEM"},
		{"not PKCS 8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2}}), 0o600, "not a PKCS #8 key"},
		{"ecdsa", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}), 0o600, "not an ed25519 key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.mode&0o077 != 0 && runtime.GOOS == "windows" {
				t.Skip("no unix modes")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, keyfile.Name)
			content := tt.content
			if content == nil { // a good key with bad permissions
				if _, err := keyfile.Load(dir); err != nil {
					t.Fatal(err)
				}
				content, _ = os.ReadFile(path)
			}
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			_, err := keyfile.Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Load error = %v, want it to name %s and say %q", err, path, tt.want)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, content) {
				t.Error("Load changed a key file it refused")
			}
		})
	}
}

// TestLoadConcurrent: processes starting together end up with one key.
func TestLoadConcurrent(t *testing.T) {
	dir := t.TempDir()
	keys := make([]ed25519.PrivateKey, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := keyfile.Load(dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !k.Equal(keys[0]) {
			t.Fatal("concurrent Loads returned different keys")
		}
	}
}

func TestFingerprint(t *testing.T) {
	pub := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	fp := keyfile.Fingerprint(pub)
	if !strings.HasPrefix(fp, "SHA256:") || len(fp) != len("SHA256:")+43 || strings.Contains(fp, "=") {
		t.Errorf("Fingerprint = %q, want SHA256: and 43 unpadded base64 characters", fp)
	}
	if fp != incident.KeyFingerprint(pub) {
		t.Error("keyfile and bot disagree on fingerprints")
	}
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	if keyfile.Fingerprint(other) == fp {
		t.Error("two keys share a fingerprint")
	}
}

func TestParsePublic(t *testing.T) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	pub := key.Public().(ed25519.PublicKey)
	pkix, _ := x509.MarshalPKIXPublicKey(pub)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecPKIX, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	good := map[string]string{
		"base64":        base64.StdEncoding.EncodeToString(pub) + "\n",
		"base64 raw":    base64.RawStdEncoding.EncodeToString(pub),
		"PEM public":    string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix})),
		"PEM private":   string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})),
		"spaces around": "  " + base64.StdEncoding.EncodeToString(pub) + "  ",
	}
	for name, in := range good {
		got, err := keyfile.ParsePublic([]byte(in))
		if err != nil || !got.Equal(pub) {
			t.Errorf("%s: ParsePublic = %v, %v", name, got, err)
		}
	}
	bad := map[string]string{
		"short":         base64.StdEncoding.EncodeToString(pub[:31]),
		"not base64":    "SHA256:abc",
		"ecdsa":         string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecPKIX})),
		"other PEM":     string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}})),
		"empty":         "",
		"broken PKIX":   string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}})),
		"broken PKCS 8": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})),
	}
	for name, in := range bad {
		if got, err := keyfile.ParsePublic([]byte(in)); err == nil {
			t.Errorf("%s: ParsePublic = %v, want an error", name, got)
		}
	}
}

// FuzzParse: a key file anyone may have edited is a key or an error,
// never a panic; a private key parsed signs what its public half verifies.
func FuzzParse(f *testing.F) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	pub, _ := x509.MarshalPKIXPublicKey(key.Public())
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))
	f.Add([]byte(base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte("SHA256:abc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if k, err := keyfile.Parse(b); err == nil {
			if len(k) != ed25519.PrivateKeySize || !ed25519.Verify(k.Public().(ed25519.PublicKey), []byte("m"), ed25519.Sign(k, []byte("m"))) {
				t.Fatal("Parse returned an unusable key")
			}
		}
		if p, err := keyfile.ParsePublic(b); err == nil && len(p) != ed25519.PublicKeySize {
			t.Fatalf("ParsePublic returned %d bytes", len(p))
		}
	})
}
