package report

import (
	"regexp"
	"strings"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds what the reflex sheet asks of the contacts: which ones
// a chain sees, which of their means are addresses, whether a step's words
// name one, and where each comes from.

// mentions reports whether words name value as a whole: "17" is not in
// "17/10/2022" nor in "17Cyber".
func mentions(words, value string) bool {
	re := regexp.MustCompile(`(^|[^\p{L}\p{N}/@.-])` + regexp.QuoteMeta(value) + `($|[^\p{L}\p{N}/@-])`)
	return re.MatchString(words)
}

// isURL reports whether m is an address a phone opens: a portal, a form,
// a site, a chat.
func isURL(m flows.Means) bool {
	switch m.Kind {
	case "portal", "form", "web", "chat":
		return strings.HasPrefix(m.Address(), "https://") || strings.HasPrefix(m.Address(), "http://")
	}
	return false
}

// contactSources says where the contacts on chain c's sheet come from
// and when they were last checked against it, one line for each source
// and day, naming its contacts: "CERT Santé (ANS), CNIL : schéma d'alerte
// source (06/12/2026)" under the heading "Sources des contacts (vérifiés
// le)". A number read off a sheet must say how old it is; the date is
// short because the sheet has one page. unchecked is true when no contact
// says when (a deployment's own contacts may not).
//
// A contact drawn on "the chart" (source: chart) was read on the charts
// the contacts files are built from: a regional chain's own chart, but on
// a national chain, which has none, the ARS Nouvelle-Aquitaine charts and
// article D1111-16-3 the national contacts file names.
func contactSources(c *flows.Chain, cts []*flows.Contact, lang flows.Lang) (lines []string, unchecked bool) {
	chart := tr(lang, "sheet.source_chart")
	if c.Region == "" {
		chart = tr(lang, "sheet.source_seeds")
	}
	unchecked = true
	var order []string
	names := map[string][]string{}
	for _, ct := range cts {
		// The addresses of the texts cited are left to Vigie: on paper,
		// the text's name is what one looks up.
		src := sourceURL.ReplaceAllString(ct.Source.In(lang), "")
		switch {
		case flows.IsChart(ct.Source) && !c.Charted() && !ct.Reference.IsZero():
			// No chart on a national chain: the contact's own page or text.
			src = sourceURL.ReplaceAllString(ct.Reference.In(lang), "")
		case flows.IsChart(ct.Source):
			src = chart
		}
		if !ct.Checked.IsZero() {
			src += tr(lang, "sheet.checked_on", formatDay(ct.Checked, lang))
			unchecked = false
		}
		if names[src] == nil {
			order = append(order, src)
		}
		names[src] = append(names[src], ct.Name.In(lang))
	}
	for _, src := range order {
		lines = append(lines, strings.Join(names[src], ", ")+i18n.T(lang, "sep.field")+src)
	}
	return lines, unchecked
}

// sourceURL is an address after the name of a source, in brackets or
// after a comma ("« Porter plainte », https://…").
var sourceURL = regexp.MustCompile(` \(https?://[^()\s]+\)|,? https?://[^()\s]*[^()\s.,;:]`)

// scopeContacts are the contacts a chain of region sees: the region's,
// then the national ones it does not override.
func scopeContacts(cat *flows.Catalog, region string) []*flows.Contact {
	var out []*flows.Contact
	seen := map[string]bool{}
	if region != "" {
		for _, ct := range cat.Contacts(region) {
			out = append(out, ct)
			seen[ct.ID] = true
		}
	}
	for _, ct := range cat.Contacts(flows.ScopeNational) {
		if !seen[ct.ID] {
			out = append(out, ct)
		}
	}
	return out
}

// reachable reports whether m is an address or a number, not a channel
// described in words.
func reachable(m flows.Means) bool {
	switch m.Kind {
	case "phone", "email", "portal", "form", "web", "chat":
		return true
	}
	return false
}
