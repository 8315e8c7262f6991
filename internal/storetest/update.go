package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// The tests of Update: appends, rollbacks and concurrent callers.

func testUpdateAppends(t *testing.T, s bot.Store) {
	ctx := context.Background()
	inc := mustCreate(t, s, NewIncident("C1", base), Entry(incident.KindOpened, "ouverture", base))
	got, err := s.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Title = "Rançongiciel"
		inc.Points++
		inc.Head = incident.Head{Seq: 99, Hash: "forged"} // the store keeps the head
		return []incident.Entry{Entry(incident.KindNote, "n1", base), Entry(incident.KindNote, "n2", base)}, nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	es := VerifyChain(t, s, inc.ID)
	if len(es) != 3 || got.Head != (incident.Head{Seq: 3, Hash: es[2].Hash}) || es[1].Prev != inc.Head.Hash {
		t.Fatalf("after Update: %d entries, head %+v", len(es), got.Head)
	}
	stored, _ := s.Incident(ctx, inc.ID)
	if stored.Title != "Rançongiciel" || stored.Points != 1 || mustJSON(t, stored) != mustJSON(t, got) {
		t.Errorf("stored %s\nreturned %s", mustJSON(t, stored), mustJSON(t, got))
	}
	// An update without entries stores the change and keeps the head.
	got, err = s.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) { inc.Points++; return nil, nil })
	if err != nil || got.Points != 2 || got.Head.Seq != 3 {
		t.Errorf("Update without entries: %v, points %d head %+v", err, got.Points, got.Head)
	}
}

// fnErr is an error type an Update fn returns, to check errors.As.
type fnErr struct{ step string }

func (e *fnErr) Error() string { return "step " + e.step + " is not pending" }

func testUpdateErrorChangesNothing(t *testing.T, s bot.Store) {
	ctx := context.Background()
	inc := mustCreate(t, s, NewIncident("C1", base), Entry(incident.KindOpened, "ouverture", base))
	before := mustJSON(t, inc)
	want := &fnErr{step: "cert"}
	for _, ret := range []error{want, fmt.Errorf("done: %w", want)} {
		_, err := s.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
			inc.Title = "changed"
			inc.Status = incident.StatusClosed
			inc.Steps = map[string]*incident.StepState{"cert": {Status: incident.StepDone}}
			return []incident.Entry{Entry(incident.KindDone, "fait", base)}, ret
		})
		if err != ret { //nolint:errorlint // the contract is "as is"
			t.Errorf("Update returned %v, want the fn's error as is", err)
		}
		if got, ok := errors.AsType[*fnErr](err); !ok || got != want {
			t.Errorf("errors.As(%v) = %v, %v", err, got, ok)
		}
	}
	stored, err := s.Incident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, stored); got != before {
		t.Errorf("a failed Update changed the incident:\n%s\nwant %s", got, before)
	}
	if es := VerifyChain(t, s, inc.ID); len(es) != 1 {
		t.Errorf("a failed Update appended: %v", texts(es))
	}
	if open, _ := s.Open(ctx, "C1"); len(open) != 1 {
		t.Errorf("a failed Update changed the open index: %v", ids(open))
	}
}

func testUpdateRejectsIDChange(t *testing.T, s bot.Store) {
	ctx := context.Background()
	inc := mustCreate(t, s, NewIncident("C1", base))
	_, err := s.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.ID = "2026-0042"
		return []incident.Entry{Entry(incident.KindNote, "n", base)}, nil
	})
	if err == nil {
		t.Fatal("Update changing the ID: no error")
	}
	if es := VerifyChain(t, s, inc.ID); len(es) != 0 {
		t.Errorf("rejected Update appended %v", texts(es))
	}
	if _, err := s.Incident(ctx, "2026-0042"); !errors.Is(err, incident.ErrNotFound) {
		t.Errorf("Incident(2026-0042) = %v, want ErrNotFound", err)
	}
}

func testCanceledContext(t *testing.T, s bot.Store) {
	inc := mustCreate(t, s, NewIncident("C1", base))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Update(ctx, inc.ID, appendFn(Entry(incident.KindNote, "n", base))); !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a canceled context: %v", err)
	}
	if _, err := s.Create(ctx, NewIncident("C1", base), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Create with a canceled context: %v", err)
	}
	if es := VerifyChain(t, s, inc.ID); len(es) != 0 {
		t.Errorf("canceled Update appended %v", texts(es))
	}
}

func testConcurrentUpdates(t *testing.T, s bot.Store) {
	ctx := context.Background()
	inc := mustCreate(t, s, NewIncident("C1", base), Entry(incident.KindOpened, "ouverture", base))
	const n = 20
	var wg sync.WaitGroup
	heads := make([]incident.Head, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			got, err := s.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
				inc.Points++
				return []incident.Entry{Entry(incident.KindNote, "g"+strconv.Itoa(i), base)}, nil
			})
			errs[i] = err
			if err == nil {
				heads[i] = got.Head
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Update %d: %v", i, err)
		}
	}
	es := VerifyChain(t, s, inc.ID)
	if len(es) != n+1 {
		t.Fatalf("%d entries, want %d", len(es), n+1)
	}
	seen := map[string]bool{}
	for _, e := range es[1:] {
		seen[e.Text] = true
	}
	for i := range n {
		if !seen["g"+strconv.Itoa(i)] {
			t.Errorf("entry g%d missing", i)
		}
		// Each caller's result carries the head its own entry made.
		if h := heads[i]; es[h.Seq-1].Hash != h.Hash || es[h.Seq-1].Text != "g"+strconv.Itoa(i) {
			t.Errorf("Update %d returned head %+v, not its own entry", i, h)
		}
	}
	if stored, _ := s.Incident(ctx, inc.ID); stored.Points != n {
		t.Errorf("Points = %d, want %d: an update was lost", stored.Points, n)
	}
}

func testConcurrentUpdatesSomeFail(t *testing.T, s bot.Store) {
	ctx := context.Background()
	inc := mustCreate(t, s, NewIncident("C1", base))
	const n = 20
	var wg sync.WaitGroup
	want := make([]error, n)
	got := make([]error, n)
	for i := range n {
		if i%3 == 0 {
			want[i] = &fnErr{step: strconv.Itoa(i)}
		}
		wg.Go(func() {
			_, got[i] = s.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
				inc.Points++
				return []incident.Entry{Entry(incident.KindNote, "g"+strconv.Itoa(i), base)}, want[i]
			})
		})
	}
	wg.Wait()
	var ok []string
	for i := range n {
		if got[i] != want[i] { //nolint:errorlint // the contract is "as is"
			t.Errorf("Update %d returned %v, want %v", i, got[i], want[i])
		}
		if want[i] == nil {
			ok = append(ok, "g"+strconv.Itoa(i))
		}
	}
	es := VerifyChain(t, s, inc.ID)
	gotTexts := texts(es)
	slices.Sort(gotTexts)
	slices.Sort(ok)
	if !slices.Equal(gotTexts, ok) {
		t.Errorf("entries %v, want exactly those of the updates that succeeded %v", gotTexts, ok)
	}
	if stored, _ := s.Incident(ctx, inc.ID); stored.Points != len(ok) {
		t.Errorf("Points = %d, want %d", stored.Points, len(ok))
	}
}
