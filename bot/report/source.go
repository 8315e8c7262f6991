package report

import (
	"context"
	"errors"
	"fmt"

	"github.com/vigie-sante/vigie/bot/incident"
)

// Source gives the entries of a main courante to fn, in order from the
// first, stopping at fn's first error and returning it. Each call starts
// again from the first entry: an export reads its entries in several
// passes (check and sign, then write; the PDF report writes three sections
// from them) rather than holding them, so that a main courante of any
// length is exported in bounded memory. A store reads it a page at a
// time; Slice serves one already in memory.
type Source func(fn func(incident.Entry) error) error

// Slice is the Source of entries held in memory.
func Slice(es []incident.Entry) Source {
	return func(fn func(incident.Entry) error) error {
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
}

// errDone stops a Source once the entries an export covers are read.
var errDone = errors.New("done")

// each gives fn the entries d covers, times in UTC: those of its source up
// to its head, or those read from a file. A source whose entries differ
// from the first pass's (the head's hash is not the same) is refused: the
// file would not say what was signed.
func (d *exportDoc) each(fn func(incident.Entry) error) error {
	if d.src == nil {
		for _, e := range d.Entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	err := d.src(func(e incident.Entry) error {
		if e.Seq > d.Head.Seq {
			return errDone
		}
		if e.Seq == d.Head.Seq && e.Hash != d.Head.Hash {
			return fmt.Errorf("entry #%d changed while the export was written", e.Seq)
		}
		e.Time = e.Time.UTC()
		if err := fn(e); err != nil {
			return err
		}
		if e.Seq == d.Head.Seq {
			return errDone
		}
		return nil
	})
	if errors.Is(err, errDone) {
		return nil
	}
	if err == nil {
		return fmt.Errorf("the main courante ended before entry #%d while the export was written", d.Head.Seq)
	}
	return err
}

// count is the number of entries d covers.
func (d *exportDoc) count() int {
	if d.src == nil {
		return len(d.Entries)
	}
	return int(d.Head.Seq)
}

// EntryReader reads a main courante a page at a time: the entries of
// incident id after seq after, at most limit of them. Vigie's stores do.
type EntryReader interface {
	Entries(ctx context.Context, id string, after uint64, limit int) ([]incident.Entry, error)
}

// pageSize is how many entries a Source from a store reads at once: each
// page is one short read transaction, so that a long export never holds
// one open (a writer could not grow the file meanwhile).
const pageSize = 1000

// Pages is the Source of incident id's main courante in r, read a page at
// a time.
func Pages(ctx context.Context, r EntryReader, id string) Source {
	return func(fn func(incident.Entry) error) error {
		var after uint64
		for {
			es, err := r.Entries(ctx, id, after, pageSize)
			if err != nil {
				return err
			}
			for _, e := range es {
				if err := fn(e); err != nil {
					return err
				}
			}
			if len(es) < pageSize {
				return nil
			}
			after = es[len(es)-1].Seq
		}
	}
}
