package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/config"
	"github.com/vigie-sante/vigie/internal/remind"
)

// This file holds the one validation of a configuration that console,
// serve and config check share: what config.Validate checks alone (keys,
// values, secrets present and readable), then what needs the chains (the
// organisation's chain exists, reminder cadences name its steps, the
// region and the regional contacts bind the national chains), so that a
// mistake fails at start, the same way everywhere, and not during an
// incident.

// settings is a configuration checked against the chains.
type settings struct {
	cfg    *config.Config
	remind bot.RemindConfig
	// cat is the catalog as this deployment sees it: the national chains'
	// regional contacts bound to its region and configuration (region.go).
	cat *flows.Catalog
}

// checkSettings checks cfg against the chains of cat.
func checkSettings(cfg *config.Config, cat *flows.Catalog) (*settings, error) {
	if id := cfg.Organisation.Chain; id != "" {
		if _, err := cat.Current(id, now()); err != nil {
			return nil, fmt.Errorf("config: organisation.chain: unknown chain %q (accepted: %s)", id, strings.Join(cat.IDs(), ", "))
		}
	}
	rc, err := remindConfig(cfg.Reminders, cat, cfg.Organisation.Chain)
	if err != nil {
		return nil, err
	}
	dc, err := deploy(cfg, cat)
	if err != nil {
		return nil, err
	}
	return &settings{cfg: cfg, remind: rc, cat: dc}, nil
}

// settleLang makes --lang and the configuration's lang: agree on the
// language a command runs in: --lang when given, else lang:, so that
// serve's adapters, doctor's chain texts and the effective configuration
// printed all say the one language the bot speaks.
func settleLang(g *Globals, cfg *config.Config) {
	if g.Lang != "" {
		cfg.Lang = g.Lang
		return
	}
	g.Lang = cfg.Lang
}

// withDefaults fills what the configuration leaves out with the values
// Vigie uses, so that config check shows what will run.
func withDefaults(cfg *config.Config, db string) *config.Config {
	c := *cfg
	if c.Lang == "" {
		c.Lang = "fr"
	}
	if c.Trigger == "" {
		c.Trigger = "/incident"
	}
	if c.Sweep == 0 {
		c.Sweep = config.Duration(remind.DefaultInterval)
	}
	if c.Listen == "" {
		c.Listen = ":8080"
	}
	c.DB = db
	r := bot.DefaultRemind
	for _, d := range []struct {
		dst *string
		v   time.Duration
	}{{&c.Reminders.PointEvery, r.PointEvery}, {&c.Reminders.OverdueEvery, r.OverdueEvery}, {&c.Reminders.Reask, r.Reask}} {
		if *d.dst == "" {
			*d.dst = flows.FormatDuration(d.v)
		}
	}
	if c.Backups.Every != 0 && c.Backups.Keep == 0 {
		c.Backups.Keep = 7
	}
	if c.Backups.Every != 0 && c.Backups.Dir == "" {
		c.Backups.Dir = filepath.Join(filepath.Dir(db), "backups")
	}
	return &c
}
