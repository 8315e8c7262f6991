package report

import (
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Record is an incident as its main courante tells it: what the reports
// people read show beside the entries (the obligations, the closing
// report) is computed from it, so that the paper says what the signed
// entries say, not what the database holds now.
type Record struct {
	// Incident is the incident with its T0, chain, answers, steps, facts
	// and closing as the entries set them. Its features (nis2), which no
	// entry records, are those of the incident the entries came with.
	Incident *incident.Incident
	// Settled is the entry that settled each step (done or not
	// applicable), by step id.
	Settled map[string]uint64
	// Answered is the entry of each question's current answer.
	Answered map[string]uint64
}

// Replay returns inc as the entries of src tell it (Record). It reads src
// once and keeps only the current state: a main courante of any length
// replays in bounded memory.
func Replay(inc *incident.Incident, src Source) (*Record, error) {
	r := newRecord(inc)
	err := src(func(e incident.Entry) error {
		r.apply(e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// replay is Replay over the entries an export covers.
func (d *exportDoc) replay(features map[string]bool) (*Record, error) {
	h := d.Incident
	inc := &incident.Incident{ID: h.ID, Title: h.Title, Exercise: h.Exercise, Chain: h.Chain, Version: h.Version, T0: h.T0,
		OpenedBy: h.OpenedBy, OpenedAt: h.OpenedAt, Status: h.Status, ClosedBy: h.ClosedBy, ClosedAt: h.ClosedAt,
		Features: features}
	r := newRecord(inc)
	if err := d.each(func(e incident.Entry) error { r.apply(e); return nil }); err != nil {
		return nil, err
	}
	return r, nil
}

func newRecord(inc *incident.Incident) *Record {
	c := &incident.Incident{
		ID: inc.ID, Title: inc.Title, Exercise: inc.Exercise, Chain: inc.Chain, Version: inc.Version, T0: inc.T0.UTC(),
		Features: inc.Features, OpenedBy: inc.OpenedBy, OpenedAt: inc.OpenedAt.UTC(),
		Status: incident.StatusOpen, Channel: inc.Channel,
	}
	return &Record{Incident: c, Settled: map[string]uint64{}, Answered: map[string]uint64{}}
}

// actorUser is the user an entry's actor names: "@name" as the chat
// shows people, else a platform id.
func actorUser(actor string) incident.User {
	if name, ok := strings.CutPrefix(actor, "@"); ok {
		return incident.User{Name: name}
	}
	return incident.User{ID: actor}
}

// entryTime reads a time an entry's data holds (RFC 3339); zero if it
// holds none.
func entryTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// apply changes the record as entry e does.
func (r *Record) apply(e incident.Entry) {
	inc := r.Incident
	by := actorUser(e.Actor)
	switch e.Kind {
	case incident.KindOpened:
		if t := entryTime(e.Data["t0"]); !t.IsZero() {
			inc.T0 = t
		}
		if v, ok := e.Data["title"]; ok {
			inc.Title = v
		}
		inc.Exercise = e.Data["exercise"] == "yes"
		if c := e.Data["chain"]; c != "" {
			inc.Chain, inc.Version = c, e.Data["version"]
		}
		inc.OpenedBy, inc.OpenedAt = by, e.Time.UTC()
	case incident.KindRole:
		deputy, key, u, held := e.RoleChange()
		m := &inc.Roles
		if deputy {
			m = &inc.Deputies
		}
		switch {
		case held && *m == nil:
			*m = map[string]incident.User{key: u}
		case held:
			(*m)[key] = u
		default:
			delete(*m, key)
		}
	case incident.KindChain:
		inc.Chain, inc.Version = e.Data["chain"], e.Data["version"]
	case incident.KindT0:
		if t := entryTime(e.Data["new"]); !t.IsZero() {
			inc.T0 = t
		}
	case incident.KindAnswer:
		key := e.Data["key"]
		if key == "" {
			return
		}
		if inc.Answers == nil {
			inc.Answers = map[string][]incident.AnswerRecord{}
		}
		inc.Answers[key] = []incident.AnswerRecord{{Value: flows.Value(e.Data["value"]), By: by, At: e.Time.UTC()}}
		r.Answered[key] = e.Seq
	case incident.KindDone:
		step := e.Data["step"]
		if step == "" {
			return
		}
		declared := entryTime(e.Data["declared_at"])
		if declared.IsZero() {
			declared = e.Time.UTC()
		}
		declaredBy := by // a confirmed declaration is its proposer's
		if p := e.Data["proposed_by"]; p != "" {
			declaredBy = actorUser(p)
		}
		*r.step(step) = incident.StepState{Status: incident.StepDone, By: by, At: e.Time.UTC(), Proof: &incident.Proof{
			By: declaredBy, DeclaredAt: declared, ServerAt: e.Time.UTC(), Means: e.Data["means"], Ref: e.Data["ref"], Note: e.Data["note"]}}
		r.Settled[step] = e.Seq
	case incident.KindProposed:
		if step := e.Data["step"]; step != "" {
			st := r.step(step)
			st.Proposed = &incident.Proof{By: by, DeclaredAt: entryTime(e.Data["declared_at"]), ServerAt: e.Time.UTC(),
				Means: e.Data["means"], Ref: e.Data["ref"], Note: e.Data["note"]}
		}
	case incident.KindNA:
		step := e.Data["step"]
		if step == "" {
			return
		}
		*r.step(step) = incident.StepState{Status: incident.StepNA, Reason: e.Data["reason"], By: by, At: e.Time.UTC()}
		r.Settled[step] = e.Seq
	case incident.KindFacts:
		if inc.Facts == nil {
			inc.Facts = map[string]string{}
		}
		for k, v := range e.Data {
			inc.Facts[k] = v
		}
	case incident.KindClosed:
		inc.Status, inc.ClosedBy, inc.ClosedAt = incident.StatusClosed, by, e.Time.UTC()
	}
}

func (r *Record) step(id string) *incident.StepState {
	inc := r.Incident
	if inc.Steps == nil {
		inc.Steps = map[string]*incident.StepState{}
	}
	st := inc.Steps[id]
	if st == nil {
		st = &incident.StepState{}
		inc.Steps[id] = st
	}
	return st
}
