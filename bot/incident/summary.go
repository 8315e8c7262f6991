package incident

import "time"

// Summary is what a listing of past incidents shows of one (vigie liste,
// liste in the chat): stores keep it beside the incident, in the
// transaction that writes it, so that listing ten thousand incidents reads
// ten thousand small records rather than every answer, step and reminder.
type Summary struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Chain    string    `json:"chain,omitempty"`
	Version  string    `json:"version,omitempty"`
	T0       time.Time `json:"t0"`
	OpenedAt time.Time `json:"opened_at"`
	Channel  string    `json:"channel"`
	Status   Status    `json:"status"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
	Exercise bool      `json:"exercise,omitempty"` // a crisis exercise, marked wherever it is listed
}

// Summary returns the incident's summary.
func (inc *Incident) Summary() Summary {
	return Summary{ID: inc.ID, Title: inc.Title, Chain: inc.Chain, Version: inc.Version, T0: inc.T0, OpenedAt: inc.OpenedAt,
		Channel: inc.Channel, Status: inc.Status, ClosedAt: inc.ClosedAt, Exercise: inc.Exercise}
}

// pointParts are the parts of a situation point people write, in order.
var pointParts = []string{"conditions", "actions", "besoins"}

// Searchable returns the texts of the entry a search of past incidents
// looks at (vigie cherche): what people wrote, in their words. A note's
// text; a situation point's parts (its text also says "Point de situation
// n° 2", in Vigie's words); a proof's reference and note (its text also
// says the step's title, which every incident's proofs share). Other
// kinds say what Vigie derived, and are not searched.
func (e *Entry) Searchable() []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	switch e.Kind {
	case KindNote:
		add(e.Text)
	case KindPoint:
		for _, k := range pointParts {
			add(e.Data[k])
		}
		if len(out) == 0 {
			add(e.Text) // a point recorded without its parts in data
		}
	case KindDone:
		add(e.Data["ref"])
		add(e.Data["note"])
	}
	return out
}
