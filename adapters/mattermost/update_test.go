package mattermost

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// A lone edit goes at once; the renderings of a burst that follows it
// within EditGap make one more edit, the newest, once the gap is over.
func TestUpdatesGap(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	a.opt.EditGap = time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ref, err := a.Post(ctx, "chan1", card)
	if err != nil {
		t.Fatal(err)
	}
	render := func(i int) {
		m := card
		m.Title = "version " + strconv.Itoa(i)
		if err := a.Update(ctx, "chan1", ref, m); err != nil {
			t.Fatal(err)
		}
	}
	edits := func() int { return f.called("PUT /api/v4/posts/{id}/patch") }
	start := time.Now()
	render(0)
	if err := a.Flush(ctx); err != nil { // the sender's gap is not waited for
		t.Fatal(err)
	}
	if got := f.post(ref).Message; got != "**version 0**" || time.Since(start) > 900*time.Millisecond {
		t.Fatalf("first edit: %q after %v", got, time.Since(start))
	}
	for i := 1; i <= 10; i++ {
		render(i)
	}
	if n := edits(); n != 1 {
		t.Fatalf("%d edits sent within the gap, want 1", n)
	}
	if err := a.Flush(ctx); err != nil { // a rendering waiting is
		t.Fatal(err)
	}
	if got := f.post(ref).Message; got != "**version 10**" || edits() != 2 || time.Since(start) < time.Second {
		t.Fatalf("after the gap: %q, %d edits, %v", got, edits(), time.Since(start))
	}
}
