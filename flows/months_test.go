package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// TestAddMonths: "one month after" is the same day of the next month in
// Paris, at the same time of day, clamped to the last day of a shorter
// month.
func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		name, from string
		n          int
		want       string // in Paris
	}{
		{"same day", "2026-03-10T14:30:00+01:00", 1, "2026-04-10T14:30:00+02:00"},
		{"31 Jan to 28 Feb", "2026-01-31T10:00:00+01:00", 1, "2026-02-28T10:00:00+01:00"},
		{"31 Jan to 29 Feb in a leap year", "2028-01-31T10:00:00+01:00", 1, "2028-02-29T10:00:00+01:00"},
		{"30 Jan to 28 Feb", "2027-01-30T23:59:00+01:00", 1, "2027-02-28T23:59:00+01:00"},
		{"29 Feb to 29 Mar", "2028-02-29T08:00:00+01:00", 1, "2028-03-29T08:00:00+02:00"},
		{"31 Mar to 30 Apr", "2026-03-31T09:15:00+02:00", 1, "2026-04-30T09:15:00+02:00"},
		{"31 May to 30 Jun", "2026-05-31T00:30:00+02:00", 1, "2026-06-30T00:30:00+02:00"},
		{"31 Aug to 30 Sep", "2026-08-31T18:00:00+02:00", 1, "2026-09-30T18:00:00+02:00"},
		{"31 Oct to 30 Nov, across the end of summer time", "2026-10-31T12:00:00+01:00", 1, "2026-11-30T12:00:00+01:00"},
		{"28 Sep to 28 Oct, across the end of summer time", "2026-09-28T12:00:00+02:00", 1, "2026-10-28T12:00:00+01:00"},
		{"December to January, next year", "2026-12-31T22:00:00+01:00", 1, "2027-01-31T22:00:00+01:00"},
		{"31 Dec + 2 months", "2026-12-31T22:00:00+01:00", 2, "2027-02-28T22:00:00+01:00"},
		{"twelve months", "2026-02-15T10:00:00+01:00", 12, "2027-02-15T10:00:00+01:00"},
		// An instant given in UTC is read as the Paris date it is: 23:30Z on
		// 31 January is already 1 February in Paris.
		{"UTC late evening is the next Paris day", "2026-01-31T23:30:00Z", 1, "2026-03-01T00:30:00+01:00"},
		{"zero months", "2026-01-31T10:00:00+01:00", 0, "2026-01-31T10:00:00+01:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := flows.AddMonths(mustTime(t, tc.from), tc.n)
			if got.Location() != time.UTC {
				t.Errorf("AddMonths returned %v, want UTC", got.Location())
			}
			paris, _ := time.LoadLocation("Europe/Paris")
			if s := got.In(paris).Format(time.RFC3339); s != tc.want {
				t.Errorf("AddMonths(%s, %d) = %s, want %s", tc.from, tc.n, s, tc.want)
			}
			if !got.After(mustTime(t, tc.from)) && tc.n > 0 {
				t.Errorf("AddMonths(%s, %d) = %s is not later", tc.from, tc.n, got)
			}
		})
	}
}

// TestMonthDeadline: a deadline "STEP+1mo" falls one calendar month after
// the anchor step was done, and never before 28 days of elapsed time (the
// shortest month), so that reminders at 27 days stay before it.
func TestMonthDeadline(t *testing.T) {
	cat := mustCompile(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("month.yaml", `
questions:
  - id: significant
    text: {fr: "Important ?", en: "Significant?"}
    source: chart
steps:
  - id: notification
    order: 1
    title: {fr: "Notifier", en: "Notify"}
    recipients:
      - contact: alpha
    when: {significant: yes}
    deadline: t0+72h
    basis: {fr: "Base", en: "Basis"}
    source: chart
  - id: final
    order: 2
    title: {fr: "Rapport final", en: "Final report"}
    recipients:
      - contact: alpha
    when: {significant: yes}
    deadline: notification+1mo
    remind: {at: [14d, 21d, 27d]}
    basis: {fr: "Base", en: "Basis"}
    source: chart
`))
	c := mustChain(t, cat, "test/inline")
	final := c.Step("final")
	if got := final.Deadline.String(); got != "notification+1mo" {
		t.Errorf("Deadline.String() = %q, want notification+1mo", got)
	}
	if final.Deadline.Months != 1 || final.Deadline.Offset != 0 {
		t.Errorf("deadline = %+v, want 1 month and no elapsed offset", final.Deadline)
	}
	t0 := mustTime(t, "2026-01-28T09:00:00+01:00")
	in := flows.Input{T0: t0, Answers: answers(t0, "significant", "yes")}
	p := flows.Evaluate(c, in)
	if got := planned(t, p, "final"); !got.Due.IsZero() || got.After != "notification" || !got.Since.IsZero() {
		t.Errorf("before the notification: due %v, after %q, since %v; want no instant yet, after notification", got.Due, got.After, got.Since)
	}
	for _, tc := range []struct{ done, want string }{
		{"2026-01-31T10:00:00+01:00", "2026-02-28T09:00:00Z"},
		{"2028-01-31T10:00:00+01:00", "2028-02-29T09:00:00Z"},
		{"2026-03-31T10:00:00+02:00", "2026-04-30T08:00:00Z"},
		{"2026-02-28T10:00:00+01:00", "2026-03-28T09:00:00Z"},
	} {
		done := mustTime(t, tc.done)
		in.Done = map[string]time.Time{"notification": done}
		got := planned(t, flows.Evaluate(c, in), "final")
		if s := got.Due.Format(time.RFC3339); s != tc.want {
			t.Errorf("notification done %s: final report due %s, want %s", tc.done, s, tc.want)
		}
		if !got.Since.Equal(done) {
			t.Errorf("notification done %s: Since = %v, want the done time", tc.done, got.Since)
		}
		if got.Due.Sub(done) < 28*24*time.Hour-time.Hour {
			t.Errorf("notification done %s: due after %v, less than the shortest month", tc.done, got.Due.Sub(done))
		}
	}
	// A deadline counted from T0 reports T0 as its anchor instant.
	if got := planned(t, p, "notification"); !got.Since.Equal(t0) || !got.Due.Equal(t0.Add(72*time.Hour)) {
		t.Errorf("notification: since %v due %v, want T0 and T0+72h", got.Since, got.Due)
	}
}

func TestMonthOffsetBad(t *testing.T) {
	for offset, want := range map[string]string{
		"1mo12h": "calendar months stand alone",
		"mo":     "bad",
		"121mo":  "too large",
	} {
		errs := compileErrors(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("bad.yaml", `
steps:
  - id: declare
    order: 1
    title: {fr: "Déclarer", en: "Report"}
    recipients:
      - contact: alpha
    deadline: t0+`+offset+`
    basis: {fr: "Base", en: "Basis"}
    source: chart
`))
		if len(errs) != 1 || !strings.Contains(errs[0].Msg, want) {
			t.Errorf("t0+%s: errors %v, want one containing %q", offset, errs, want)
		}
	}
	// Elapsed durations (reminders, snoozes) have no calendar months.
	if _, err := flows.ParseDuration("1mo"); err == nil || !strings.Contains(err.Error(), "only as a deadline's offset") {
		t.Errorf("ParseDuration(1mo) error %v, want one saying months are for deadlines", err)
	}
}
