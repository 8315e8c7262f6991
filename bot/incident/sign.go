package incident

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
)

// headContext opens every signed head message. It names what is signed and
// the version of the message, so that a signature over a head can never be
// mistaken for a signature over anything else the key might sign later.
const headContext = "vigie-head-v1"

// HeadMessage returns the message signed for the head of an incident's main
// courante: "vigie-head-v1\n" + incident + "\n" + seq + "\n" + hash + "\n".
// Signing the head is enough to vouch for every entry, since each entry's
// hash covers the one before it.
func HeadMessage(incident string, h Head) []byte {
	return []byte(headContext + "\n" + incident + "\n" + strconv.FormatUint(h.Seq, 10) + "\n" + h.Hash + "\n")
}

// SignHead signs the head of an incident's main courante with key, which
// must be a valid ed25519 private key.
func SignHead(key ed25519.PrivateKey, incident string, h Head) []byte {
	return ed25519.Sign(key, HeadMessage(incident, h))
}

// VerifyHead reports whether sig is pub's signature of the head. A key of
// the wrong size is reported as a bad signature rather than a panic, since
// keys come from files anyone may have edited.
func VerifyHead(pub ed25519.PublicKey, incident string, h Head, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, HeadMessage(incident, h), sig)
}

// KeyFingerprint returns the short form people compare to recognise a
// signing key: "SHA256:" and the unpadded base64 of the SHA-256 of the raw
// 32-byte public key. It looks like an ssh fingerprint but is not one (ssh
// hashes its own wire encoding of the key), so the two never match.
func KeyFingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}
