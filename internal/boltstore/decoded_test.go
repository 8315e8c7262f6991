package boltstore

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// The incidents decoded last are handed out as copies: changing what a
// read returned changes nothing the next read sees; and bytes other than
// those decoded (a record edited in the file) are decoded again, never
// answered from memory.
func TestDecodedKeptApart(t *testing.T) {
	s, inc := laneStore(t)
	ctx := context.Background()
	for range 2 { // the first read decodes and keeps, the second hands out a copy
		got, err := s.Incident(ctx, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.Title = "changed in memory"
		got.Facts = map[string]string{"k": "v"}
	}
	if _, ok := s.decoded.m[inc.ID]; !ok {
		t.Fatal("the incident read was not kept")
	}
	again, err := s.Incident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Title != "lane" || again.Facts != nil {
		t.Fatalf("a read sees another read's changes: %q %v", again.Title, again.Facts)
	}

	// A tool rewrites the record in the file, under the store.
	edited := *again
	edited.Title = "edited in the file"
	raw, err := encodeIncident(&edited)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketIncidents).Put([]byte(inc.ID), raw) }); err != nil {
		t.Fatal(err)
	}
	for _, read := range []func() (*incident.Incident, error){
		func() (*incident.Incident, error) { return s.Incident(ctx, inc.ID) },
		func() (*incident.Incident, error) {
			open, err := s.Open(ctx, inc.Channel)
			if err != nil || len(open) != 1 {
				t.Fatalf("open: %v %v", open, err)
			}
			return open[0], nil
		},
	} {
		got, err := read()
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "edited in the file" {
			t.Fatalf("read %q from memory, the file holds %q", got.Title, edited.Title)
		}
	}
}

// What a change made is kept as it was encoded: an incident handed out
// from memory encodes to the very bytes stored, whether the change set
// times read from the clock (with their monotonic reading) or left maps
// empty (which the record omits).
func TestDecodedMadeAsStored(t *testing.T) {
	s, inc := laneStore(t)
	ctx := context.Background()
	for i := range 3 {
		_, err := s.Change(ctx, inc.ID, incident.Change{}, func(inc *incident.Incident) ([]incident.Entry, error) {
			inc.LastPointAt = time.Now()
			inc.Facts = map[string]string{}
			inc.Points = i
			return nil, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Incident(ctx, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		var stored []byte
		s.db.View(func(tx *bolt.Tx) error {
			stored = bytes.Clone(tx.Bucket(bucketIncidents).Get([]byte(inc.ID)))
			return nil
		})
		raw, err := encodeIncident(got)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(raw, stored) || got.Points != i {
			t.Fatalf("change %d: read %s\nstored %s", i, raw, stored)
		}
	}
}
