package cli

import (
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/search"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// BenchmarkListe and BenchmarkCherche measure design.md §7's target for
// vigie liste and vigie cherche: ≤ 100 ms over 10 000 incidents, each with
// eight entries (opening, answers, a proof, a note, a situation point, a
// reminder, the closing). Each reports three figures: the command as a
// person runs it (process: the binary started, the file opened and its
// pages walked, the output written; with its CPU time, which a loaded
// machine does not inflate), the same in this process (run), and the
// store's own reading on a file already open (store). vigie liste lists
// all 10 000; vigie cherche looks for one proof's reference.
//
//	go test -run '^$' -bench 'Liste|Cherche' -benchtime 20x ./internal/cli/

// seedPast creates n closed incidents of 50 channels, one every six hours
// from 2020, as a structure's history would hold them after years.
func seedPast(b *testing.B, db string, n int) {
	b.Helper()
	start := time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC)
	who := incident.User{ID: "u", Name: "rssi"}
	createAll(b, db, n, func(i int) (*incident.Incident, []incident.Entry) {
		at := start.Add(time.Duration(i) * 6 * time.Hour)
		m := func(min int) time.Time { return at.Add(time.Duration(min) * time.Minute) }
		n := strconv.Itoa(i)
		inc := &incident.Incident{Title: "Rançongiciel sur le PACS " + n, Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1",
			T0: at, OpenedAt: at, OpenedBy: who, Channel: "crise-" + strconv.Itoa(i%50), Status: incident.StatusClosed,
			ClosedAt: m(48 * 60), ClosedBy: who,
			Answers: map[string][]incident.AnswerRecord{"malicious": {{Value: flows.Yes, By: who, At: m(2)}}, "capacity_impact": {{Value: flows.No, By: who, At: m(3)}}},
			Steps: map[string]*incident.StepState{"cert-sante": {Status: incident.StepDone, By: who, At: m(15),
				Proof: &incident.Proof{By: who, DeclaredAt: m(15), ServerAt: m(15), Means: "portail", Ref: "CS-" + n}}}}
		e := func(min int, kind, text string, data map[string]string) incident.Entry {
			return incident.Entry{Time: m(min), Actor: "@rssi", Kind: kind, Text: text, Data: data}
		}
		es := []incident.Entry{
			e(0, incident.KindOpened, "Ouverture de l'incident « "+inc.Title+" »", map[string]string{"title": inc.Title, "chain": inc.Chain, "version": inc.Version}),
			e(2, incident.KindAnswer, "Réponse : L'incident est-il d'origine malveillante ? → Oui", map[string]string{"key": "malicious", "value": "yes"}),
			e(3, incident.KindAnswer, "Réponse : impact sur le capacitaire → Non", map[string]string{"key": "capacity_impact", "value": "no"}),
			e(15, incident.KindDone, "Fait : Déclarer l'incident au CERT Santé, par portail, réf. CS-"+n,
				map[string]string{"step": "cert-sante", "means": "portail", "ref": "CS-" + n, "declared_at": m(15).Format(time.RFC3339)}),
			e(20, incident.KindNote, "Serveur "+n+" isolé du réseau, bascule sur les procédures dégradées", nil),
			e(60, incident.KindPoint, "Point de situation n° 1 — Conditions : messagerie coupée — Actions : bascule papier",
				map[string]string{"n": "1", "conditions": "messagerie coupée", "actions": "bascule papier"}),
			e(24*60, incident.KindReminder, "Rappel : notification à la CNIL dans 48 h", nil),
			e(48*60, incident.KindClosed, "Incident clos", nil),
		}
		inc.Shown = uint64(len(es))
		return inc, es
	})
}

// pastBench runs args three ways on a store of 10 000 incidents: the
// binary, Run in this process, and store (the store's own reading).
func pastBench(b *testing.B, args []string, store func(*boltstore.Store) int) {
	db := filepath.Join(b.TempDir(), "vigie.db")
	seedPast(b, db, 10_000)
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	all := append([]string{"--db", db}, args...)
	b.Run("process", func(b *testing.B) {
		bin := buildVigie(b)
		var cpu time.Duration
		for b.Loop() {
			cmd := exec.Command(bin, all...)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v\n%.500s", err, out)
			}
			cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		// On a shared machine the wall time counts the wait for a core;
		// the process's own CPU time does not.
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
	b.Run("run", func(b *testing.B) {
		for b.Loop() {
			if code := Run(context.Background(), env, all); code != ExitOK {
				b.Fatalf("exit %d", code)
			}
		}
	})
	b.Run("store", func(b *testing.B) {
		s, err := boltstore.Open(db, boltstore.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		n := 0
		for b.Loop() {
			n = store(s)
		}
		b.ReportMetric(float64(n), "results")
	})
}

func BenchmarkListe(b *testing.B) {
	pastBench(b, []string{"liste"}, func(s *boltstore.Store) int {
		past, err := s.Past(context.Background(), "")
		if err != nil {
			b.Fatal(err)
		}
		return len(past)
	})
}

func BenchmarkCherche(b *testing.B) {
	pastBench(b, []string{"cherche", "CS-4242"}, func(s *boltstore.Store) int {
		found, err := s.Search(context.Background(), search.NewMatcher("CS-4242").Match)
		if err != nil {
			b.Fatal(err)
		}
		return len(found)
	})
}
