package cli

import (
	"fmt"
	"sort"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/config"
)

// remindConfig turns the configuration's reminder overrides into the bot's,
// checking each step id against the chains: a typo must not silently leave
// the CNIL on its default cadence.
func remindConfig(r config.Reminders, cat *flows.Catalog, chain string) (bot.RemindConfig, error) {
	rc := bot.DefaultRemind
	for _, d := range []struct {
		key string
		raw string
		dst *time.Duration
	}{{"reminders.point_every", r.PointEvery, &rc.PointEvery}, {"reminders.overdue_every", r.OverdueEvery, &rc.OverdueEvery}, {"reminders.reask", r.Reask, &rc.Reask}} {
		if d.raw == "" {
			continue
		}
		v, err := flows.ParseDuration(d.raw)
		if err != nil || v <= 0 {
			return rc, fmt.Errorf("config: %s: bad duration %q (accepted: 15m, 2h, 1d)", d.key, d.raw)
		}
		*d.dst = v
	}
	// The steps of the organisation's chain, else of every chain.
	known := map[string]bool{}
	ids := cat.IDs()
	if chain != "" {
		ids = []string{chain}
	}
	for _, id := range ids {
		for _, c := range cat.Versions(id) {
			for _, s := range c.Steps {
				known[s.ID] = true
			}
		}
	}
	steps := make([]string, 0, len(r.Steps))
	for id := range r.Steps {
		steps = append(steps, id)
	}
	sort.Strings(steps)
	for _, id := range steps {
		sr := r.Steps[id]
		key := "reminders.steps." + id
		if !known[id] && chain != "" {
			return rc, fmt.Errorf("config: %s: the chain %s has no step %q", key, chain, id)
		}
		if !known[id] {
			return rc, fmt.Errorf("config: %s: no chain has a step %q", key, id)
		}
		var rm flows.Remind
		var err error
		parse := func(field, raw string) time.Duration {
			if raw == "" || err != nil {
				return 0
			}
			v, e := flows.ParseDuration(raw)
			if e != nil || v <= 0 {
				err = fmt.Errorf("config: %s.%s: bad duration %q (accepted: 15m, 2h, 1d)", key, field, raw)
			}
			return v
		}
		rm.Every = parse("every", sr.Every)
		rm.EscalateAfter = parse("escalate_after", sr.EscalateAfter)
		for _, a := range sr.At {
			rm.At = append(rm.At, parse("at", a))
		}
		if err != nil {
			return rc, err
		}
		rm.Source = flows.Text{FR: "configuration", EN: "configuration"}
		if rc.Steps == nil {
			rc.Steps = map[string]flows.Remind{}
		}
		rc.Steps[id] = rm
	}
	return rc, nil
}
