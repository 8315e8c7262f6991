package cli

import (
	"regexp"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/config"
)

// This file reads the organisation's identity for the commands that write
// regulator outputs without a full configuration: the console (drafts and
// the identifier guard) and the reflex sheet.

// localConfig is the configuration of the commands that run without a chat
// platform: --config when given, else the VIGIE_ORG_*, VIGIE_REGION and
// VIGIE_CONTACTS_* variables alone, so that the terminal never trips on
// platform settings it does not use.
func localConfig(env Env, g *Globals) (*config.Config, error) {
	getenv := env.Getenv
	if g.Config == "" {
		getenv = func(k string) string {
			if (strings.HasPrefix(k, "VIGIE_ORG_") || k == "VIGIE_REGION" || strings.HasPrefix(k, "VIGIE_CONTACTS_")) && env.Getenv != nil {
				return env.Getenv(k)
			}
			return ""
		}
	}
	return config.Load(g.Config, getenv)
}

// orgOf is the configured organisation as the bot sees it. The IPP
// pattern was compiled once by config.Validate.
func orgOf(cfg *config.Config) (incident.Organisation, *regexp.Regexp) {
	o := cfg.Organisation
	var ipp *regexp.Regexp
	if o.IPP != "" {
		ipp = regexp.MustCompile(o.IPP)
	}
	return incident.Organisation{Name: o.Name, FINESS: o.FINESS, SIREN: o.SIREN, DPO: o.DPO, Region: cfg.Region}, ipp
}
