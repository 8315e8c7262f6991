package gcpace

import (
	"runtime/debug"
	"testing"
)

// TestServe: serve's pacing applies unless the operator set GOGC or
// GOMEMLIMIT, which are left as Go read them.
func TestServe(t *testing.T) {
	restore := func(percent int, limit int64) func() {
		return func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) }
	}
	t.Cleanup(restore(debug.SetGCPercent(100), debug.SetMemoryLimit(-1)))

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	debug.SetGCPercent(100)
	Serve()
	if got := debug.SetGCPercent(100); got != Percent {
		t.Errorf("GOGC %d, want %d", got, Percent)
	}
	if got := debug.SetMemoryLimit(-1); got != Limit {
		t.Errorf("memory limit %d, want %d", got, Limit)
	}

	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetGCPercent(150)
	debug.SetMemoryLimit(1 << 30)
	Serve()
	if got := debug.SetGCPercent(100); got != 150 {
		t.Errorf("the operator's GOGC 150 became %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("the operator's GOMEMLIMIT became %d", got)
	}
}
