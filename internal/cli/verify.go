package cli

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// This file holds `vigie verify`: the offline proof that an exported main
// courante was not altered, truncated or reordered. It needs no database,
// so that anyone given the file (a lawyer, an auditor, the ARS) can run it.

// verifyAccepted says what verify reads, for usage errors.
const verifyAccepted = "accepted: a .json or .csv file written by vigie export, or - for stdin"

func newVerifyCmd(env Env, _ *Globals) *cobra.Command {
	var key string
	c := &cobra.Command{
		Use:   "verify FILE [--key BASE64|FILE|SHA256:…]",
		Short: "check offline that an exported main courante (json or csv) is intact and signed",
		Long: `Check offline that an exported main courante (json or csv) was not altered,
truncated or reordered, and that it is signed. It needs no database, so
that anyone given the file (a lawyer, an auditor, the ARS) can run it.
Without --key, the signature is checked with the key written in the file,
which anyone could replace: give the fingerprint the structure publishes
(vigie key) to know who signed.`,
		Example: `  vigie verify 2026-0001.json --key SHA256:3q2+7w…
  vigie verify 2026-0001.csv --key vigie-public.pem
  vigie export 2026-0001 --format json | vigie verify - --key SHA256:3q2+7w…`,
		RunE: func(c *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				return usagef("missing FILE (usage: %s; %s)", c.UseLine(), verifyAccepted)
			case 1:
				return runVerify(env, args[0], key)
			}
			return usagef("one FILE only, got also %q (usage: %s)", args[1], c.UseLine())
		},
	}
	c.Flags().StringVar(&key, "key", "", "the key the export must be signed with: `BASE64|FILE|SHA256:…` (base64, a key file, PEM public or private, or a fingerprint)")
	_ = c.MarkFlagFilename("key")
	return c
}

func runVerify(env Env, file, key string) error {
	keyArg := &key
	var opts report.VerifyOptions
	var pinned string // a fingerprint to compare after verifying
	switch k := *keyArg; {
	case k == "":
	case strings.HasPrefix(k, "SHA256:"):
		pinned = k
	default:
		pub, err := readPublicKey(k)
		if err != nil {
			return usagef("bad --key: %v", err)
		}
		opts.PublicKey = pub
	}

	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(env.Stdin)
	} else if fi, serr := os.Stat(file); serr == nil && !fi.Mode().IsRegular() {
		return usagef("%s is %s, not an export (%s)", file, kindOf(fi.Mode()), verifyAccepted)
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return usagef("cannot read %s: %v (%s)", file, err, verifyAccepted)
	}
	rep, err := report.Verify(bytes.NewReader(b), opts)
	if errors.Is(err, report.ErrNotExport) {
		return usagef("%s: %v", file, err)
	}
	if err != nil {
		return err // "entry 7: hash does not match its content (altered?)": exit 1
	}
	if pinned != "" && pinned != rep.Fingerprint {
		return fmt.Errorf("head: signed by %s, not by the expected key %s", rep.Fingerprint, pinned)
	}
	fmt.Fprintf(env.Stdout, "OK: incident %s, %s, head %s, signed by %s\n",
		rep.Incident, entries(int(rep.Entries)), rep.Head.Short(), rep.Fingerprint)
	if rep.Exercise {
		fmt.Fprintf(env.Stdout, "EXERCISE: the main courante of a crisis exercise, not of a real incident (signed, and said by its opening entry).\n")
	}
	if !rep.KeyTrusted && pinned == "" {
		fmt.Fprintf(env.Stdout, "Not checked: who signed. The signature was checked with the key written in the file, "+
			"which anyone can replace with their own. Compare %s with the fingerprint the structure publishes "+
			"(vigie key), or give it: vigie verify FILE --key %s\n", rep.Fingerprint, rep.Fingerprint)
	}
	if !rep.HeaderSigned {
		fmt.Fprintf(env.Stdout, "Version %d export: its signature covers the entries but not the header; "+
			"every header field the entries determine (title, T0, chain, opening, closing) was checked against them, "+
			"the export time was not.\n", rep.Version)
	}
	return nil
}

// readPublicKey reads --key: a file if one has that name, else the key
// itself in base64.
func readPublicKey(k string) (ed25519.PublicKey, error) {
	b, ferr := os.ReadFile(k)
	if ferr == nil {
		pub, err := keyfile.ParsePublic(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		return pub, nil
	}
	pub, err := keyfile.ParsePublic([]byte(k))
	if err != nil {
		return nil, fmt.Errorf("%q is neither a readable file (%v) nor a key: %w", k, ferr, err)
	}
	return pub, nil
}
