package metrics

import (
	"net/http"
	"slices"
	"time"
)

// otherEndpoint is the label of every path the platform does not serve.
const otherEndpoint = "other"

// Endpoints sets the paths the platform serves (its adapter's Paths),
// each timed under its own label from now on, and listed at zero at once;
// any other path is timed as "other", so that a scanner cannot make one
// series per path it tries.
func (m *Metrics) Endpoints(paths ...string) {
	known := slices.Clone(paths)
	m.endpoints.Store(&known)
	for _, p := range known {
		m.ack.WithLabelValues(p)
	}
}

// Acks wraps the platform endpoints to time their acknowledgement: the
// time to the response's first byte, which is what Slack's 3-second rule
// and Mattermost's timeout measure.
func (m *Metrics) Acks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		tw := &timedWriter{ResponseWriter: w}
		next.ServeHTTP(tw, r)
		if tw.first.IsZero() {
			tw.first = time.Now()
		}
		m.ack.WithLabelValues(m.endpoint(r.URL.Path)).Observe(tw.first.Sub(start).Seconds())
	})
}

// endpoint keeps metric labels to the paths the platform serves.
func (m *Metrics) endpoint(path string) string {
	if known := m.endpoints.Load(); known != nil && slices.Contains(*known, path) {
		return path
	}
	return otherEndpoint
}

type timedWriter struct {
	http.ResponseWriter
	first time.Time
}

func (w *timedWriter) WriteHeader(code int) {
	if w.first.IsZero() {
		w.first = time.Now()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *timedWriter) Write(b []byte) (int, error) {
	if w.first.IsZero() {
		w.first = time.Now()
	}
	return w.ResponseWriter.Write(b)
}
