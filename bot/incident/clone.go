package incident

import "maps"

// Clone returns a copy of inc that shares no map, slice or pointer with
// it, so that either may be changed without the other seeing it. The
// store keeps the incidents it decoded last and hands out clones: a
// clone costs a tenth of decoding the record again. TestCloneIsDeep
// fails when a field is added that Clone does not copy.
func (inc *Incident) Clone() *Incident {
	if inc == nil {
		return nil
	}
	c := *inc
	c.Features = maps.Clone(inc.Features)
	if inc.Answers != nil {
		c.Answers = make(map[string][]AnswerRecord, len(inc.Answers))
		for k, rs := range inc.Answers {
			c.Answers[k] = append([]AnswerRecord(nil), rs...)
		}
	}
	if inc.Steps != nil {
		c.Steps = make(map[string]*StepState, len(inc.Steps))
		for k, st := range inc.Steps {
			c.Steps[k] = st.clone()
		}
	}
	c.Reminded = maps.Clone(inc.Reminded)
	c.Pinned = maps.Clone(inc.Pinned)
	c.Messages = maps.Clone(inc.Messages)
	c.Facts = maps.Clone(inc.Facts)
	c.Roles = maps.Clone(inc.Roles)
	c.Deputies = maps.Clone(inc.Deputies)
	return &c
}

func (st *StepState) clone() *StepState {
	if st == nil {
		return nil
	}
	c := *st
	if st.Proof != nil {
		p := *st.Proof
		c.Proof = &p
	}
	if st.Proposed != nil {
		p := *st.Proposed
		c.Proposed = &p
	}
	return &c
}
