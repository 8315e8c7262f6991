package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
)

// This file looks at a database file before bbolt maps it. bbolt trusts
// the file's own header: a file cut short (a full disk, a copy stopped
// half-way) is mapped past its end, and the first read there kills the
// process with SIGBUS, which no recover catches. So the header is read
// here, with ordinary reads, and a file that cannot be what it claims is
// refused with a sentence.

// ErrDamaged is matched (errors.Is) by the error of a store whose file is
// not a usable database: empty, truncated, not bbolt, damaged pages.
var ErrDamaged = errors.New("database file damaged")

// DamagedError says what is wrong with a database file, that nothing was
// changed, and what to do.
type DamagedError struct {
	Path   string
	Reason string // what is wrong, as a clause: "it is empty (0 bytes)"
}

func (e *DamagedError) Error() string {
	return e.Path + " is not a usable Vigie database: " + e.Reason +
		". Nothing was changed. Restore the last backup made before the damage (vigie --db BACKUP check says whether it is sound)"
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// Damaged says the error is a damaged store, for code that cannot import
// this package (the conversation answers it with what to do).
func (e *DamagedError) Damaged() bool { return true }

// The layout of bbolt's meta pages (go.etcd.io/bbolt internal/common),
// which are the first two pages of the file: a 16-byte page header, then
// magic, version, page size, flags (4 bytes each), the root bucket (16),
// the freelist page, the high-water page id and the transaction id (8
// each), and an FNV-64a checksum of the 56 bytes before it. bbolt writes
// them in the machine's byte order; Vigie runs on little-endian machines.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaSize       = 64
	metaSumOffset  = 56
)

type meta struct {
	pageSize uint32
	root     uint64 // the root bucket's page
	freelist uint64 // the freelist's page; noFreelist when not kept
	hwm      uint64 // pages in use: the file holds at least hwm pages
	txid     uint64
}

const noFreelist = 1<<64 - 1

// readMeta decodes the meta page at off, or says why it is not one.
func readMeta(f *os.File, off int64) (meta, error) {
	var b [pageHeaderSize + metaSize]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		return meta{}, err
	}
	m := b[pageHeaderSize:]
	le := binary.LittleEndian
	switch {
	case le.Uint32(m[0:]) != boltMagic:
		return meta{}, errors.New("no bbolt signature")
	case le.Uint32(m[4:]) != boltVersion:
		return meta{}, fmt.Errorf("bbolt format version %d (this Vigie reads %d)", le.Uint32(m[4:]), boltVersion)
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:metaSumOffset])
	if h.Sum64() != le.Uint64(m[metaSumOffset:]) {
		return meta{}, errors.New("header checksum does not match")
	}
	return meta{pageSize: le.Uint32(m[8:]), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]),
		hwm: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, nil
}

// inspect refuses, before bbolt maps it, a file at path that cannot be a
// whole database. A missing file is fine: Open creates it (or refuses it,
// read-only).
func inspect(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	defer f.Close()
	_, err = header(f, path)
	return err
}

// header reads and checks the header of the database file f, as bbolt
// will use it: the valid meta page with the latest transaction.
func header(f *os.File, path string) (meta, error) {
	fi, err := f.Stat()
	if err != nil {
		return meta{}, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	damaged := func(format string, args ...any) (meta, error) {
		return meta{}, &DamagedError{Path: path, Reason: fmt.Sprintf(format, args...)}
	}
	switch size := fi.Size(); {
	case fi.IsDir():
		return damaged("it is a directory")
	case !fi.Mode().IsRegular():
		return damaged("it is not a regular file")
	case size == 0:
		return damaged("it is empty (0 bytes)")
	case size < pageHeaderSize+metaSize:
		return damaged("it is %d bytes long, shorter than a database header", size)
	}
	m0, err0 := readMeta(f, 0)
	if err0 != nil && err0.Error() == "no bbolt signature" {
		return damaged("it is not a database file (no bbolt signature at its start)")
	}
	// The second meta page follows the first; its offset is the page size
	// the first one gives, or the system's when the first is damaged, as
	// bbolt reads it.
	ps := int64(os.Getpagesize())
	if err0 == nil {
		ps = int64(m0.pageSize)
	}
	m1, err1 := readMeta(f, ps)
	var m meta
	switch {
	case err0 != nil && err1 != nil:
		if errors.Is(err1, io.EOF) {
			return damaged("its header is damaged (%v) and the file ends before the copy of it", err0)
		}
		return damaged("both copies of its header are damaged (%v; %v)", err0, err1)
	case err1 != nil || err0 == nil && m0.txid >= m1.txid:
		m = m0
	default:
		m = m1
	}
	if m.pageSize < 512 || m.pageSize > 1<<20 || m.pageSize&(m.pageSize-1) != 0 {
		return damaged("its header gives an impossible page size (%d)", m.pageSize)
	}
	if want := int64(m.hwm) * int64(m.pageSize); m.hwm > 1<<40 || fi.Size() < want {
		return damaged("it is truncated (%d bytes, where its header says at least %d)", fi.Size(), want)
	}
	return m, nil
}
