package cli

import (
	"path/filepath"
	"testing"
)

// TestDBPath: --db wins, then $VIGIE_DB (what the Docker image sets), then
// the state directory.
func TestDBPath(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		flag string
		env  map[string]string
		want string
	}{
		{filepath.Join(dir, "flag.db"), map[string]string{"VIGIE_DB": filepath.Join(dir, "env.db")}, filepath.Join(dir, "flag.db")},
		{"", map[string]string{"VIGIE_DB": filepath.Join(dir, "env.db")}, filepath.Join(dir, "env.db")},
		{"", map[string]string{"XDG_STATE_HOME": filepath.Join(dir, "state")}, filepath.Join(dir, "state", "vigie", "vigie.db")},
	} {
		g := &Globals{DB: tc.flag}
		db, data, err := g.dbPath(Env{Getenv: func(k string) string { return tc.env[k] }})
		if err != nil || db != tc.want || data != filepath.Dir(tc.want) {
			t.Errorf("flag %q env %v: %q %q %v, want %q", tc.flag, tc.env, db, data, err, tc.want)
		}
	}
}
