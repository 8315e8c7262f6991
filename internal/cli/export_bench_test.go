package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// BenchmarkExportRSS100k measures what an export of a long main courante
// costs in memory, as a person running it would see it: the peak RSS of
// `vigie export` of an incident of 100 000 entries, less that of the same
// export of a 10-entry incident, in each format (issue 13: ≤ 64 MB
// growth). It reports figures and asserts nothing.
//
//	go test -run '^$' -bench ExportRSS -benchtime 1x ./internal/cli/
func BenchmarkExportRSS100k(b *testing.B) {
	bin := buildVigie(b)
	dir := b.TempDir()
	db := filepath.Join(dir, "vigie.db")
	small, big := seedLong(b, db, 10), seedLong(b, db, 100_000)
	if _, err := keyfile.Load(dir); err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"json", "csv", "md", "pdf"} {
		b.Run(format, func(b *testing.B) {
			var growth, secs float64
			for range b.N {
				base, _ := exportRSS(b, bin, db, small, format)
				start := time.Now()
				peak, size := exportRSS(b, bin, db, big, format)
				secs += time.Since(start).Seconds()
				growth += float64(peak-base) / 1024
				b.ReportMetric(float64(size)/(1<<20), "MB_file")
			}
			b.ReportMetric(growth/float64(b.N), "MB_rss_growth")
			b.ReportMetric(secs/float64(b.N), "s/export")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// exportRSS runs `vigie export` of id to a file and returns its peak RSS
// in KiB and the file's size.
func exportRSS(b *testing.B, bin, db, id, format string) (int64, int64) {
	out := filepath.Join(b.TempDir(), "export."+format)
	cmd := exec.Command(bin, "--db", db, "export", id, "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("export %s: %v\n%s", format, err, msg)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Skip("no rusage on this system")
	}
	fi, err := statSize(out)
	if err != nil {
		b.Fatal(err)
	}
	return ru.Maxrss, fi
}

// seedLong creates an incident whose main courante has n entries, as a
// long crisis would write them (notes of a sentence or two).
func seedLong(b *testing.B, db string, n int) string {
	b.Helper()
	st, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	at := time.Date(2026, 3, 28, 1, 0, 0, 0, time.UTC)
	inc := &incident.Incident{Title: "Rançongiciel", Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1",
		T0: at, OpenedAt: at, OpenedBy: incident.User{ID: "u", Name: "rssi"}, Channel: "c", Status: incident.StatusOpen}
	inc, err = st.Create(ctx, inc, []incident.Entry{{Time: at, Actor: "@rssi", Kind: incident.KindOpened, Text: "Incident ouvert : Rançongiciel",
		Data: map[string]string{"title": inc.Title, "t0": at.Format(time.RFC3339)}}})
	if err != nil {
		b.Fatal(err)
	}
	for done := 1; done < n; {
		batch := min(1000, n-done)
		_, err := st.Update(ctx, inc.ID, func(*incident.Incident) ([]incident.Entry, error) {
			es := make([]incident.Entry, batch)
			for i := range es {
				k := done + i
				es[i] = incident.Entry{Time: at.Add(time.Duration(k) * time.Second), Actor: "@cellule", Kind: incident.KindNote,
					Text: fmt.Sprintf("Point %d : le standard signale des appels sur la messagerie coupée du bâtiment B ; l'équipe informatique isole le serveur %d.", k, k%40)}
			}
			return es, nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += batch
	}
	return inc.ID
}

func statSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
