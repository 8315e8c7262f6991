package openloop

import (
	"encoding/binary"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BareBatchDelay is the bare handler's db.MaxBatchDelay. bbolt's default,
// 10 ms, would make a lone request wait for a timer rather than for the
// disk; at 2 ms the anchor is harder to match than bbolt out of the box.
const BareBatchDelay = 2 * time.Millisecond

// Bare serves the physical anchor of the adapters' benchmarks: a net/http
// handler that reads the request's body and writes it to bbolt under the
// next sequence number, one db.Batch per request, then answers 200 with a
// short JSON body. The file at path is opened as internal/boltstore opens
// its own (the map freelist, a lock timeout, and fsync on every commit:
// no NoSync), so that both pay the same disk.
func Bare(tb testing.TB, path string) *httptest.Server {
	tb.Helper()
	write := BareWriter(tb, path)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := write(body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// BareWriter is the bare handler's durable write, for the anchors that
// speak a platform's protocol around it (Slack's BenchmarkProtocolOpenLoop):
// v written to the bbolt file at path under the next sequence number, in
// a db.Batch, durable when it returns nil. The file is closed at the
// test's end.
func BareWriter(tb testing.TB, path string) func(v []byte) error {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		tb.Fatal(err)
	}
	db.MaxBatchDelay = BareBatchDelay
	bucket := []byte("bare")
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists(bucket); return err }); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return func(v []byte) error {
		return db.Batch(func(tx *bolt.Tx) error {
			bk := tx.Bucket(bucket)
			n, err := bk.NextSequence()
			if err != nil {
				return err
			}
			return bk.Put(binary.BigEndian.AppendUint64(nil, n), v)
		})
	}
}

// BareSend sends request i's body to the bare server at url with client,
// as the benchmark sends it to Vigie, and returns when its answer came.
func BareSend(client *http.Client, url string, body func(i int) (contentType string, b io.Reader)) Send {
	return func(i int) (time.Time, error) {
		ct, b := body(i)
		req, err := http.NewRequest(http.MethodPost, url, b)
		if err != nil {
			return time.Time{}, err
		}
		req.Header.Set("Content-Type", ct)
		resp, err := client.Do(req)
		if err != nil {
			return time.Time{}, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return time.Time{}, err
		}
		if resp.StatusCode != http.StatusOK {
			return time.Time{}, errStatus(resp.StatusCode)
		}
		return time.Now(), nil
	}
}

type errStatus int

func (e errStatus) Error() string { return "openloop: status " + http.StatusText(int(e)) }
