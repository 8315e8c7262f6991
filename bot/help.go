package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
)

// status shows the person the incident's card and checklist as they are
// now.
// helpLines are the commands with their French and English words and an
// example; "aide" shows them.
var helpLines = []struct{ fr, en, example string }{
	{"ouvrir [titre] [flow=ID] [t0=HEURE]", "open [title] [flow=ID] [t0=TIME]", "ouvrir Rançongiciel sur le PACS t0=02:10"},
	{"statut [complet]", "status [full]", "statut"},
	{"detail ÉTAPE|Qn", "detail STEP|Qn", "detail 1"},
	{"repondre Qn|CLÉ VALEUR", "answer Qn|KEY VALUE", "repondre q3 oui"},
	{"fait ÉTAPE via=MOYEN [ref=RÉF] [at=HEURE] [note…]", "done STEP via=MEANS [ref=REF] [at=TIME] [note…]", "fait 1 via=portail ref=CS-1234 at=02:25"},
	{"sans-objet ÉTAPE raison…", "na STEP reason…", "sans-objet ror aucun lit fermé"},
	{"rappel ÉTAPE DURÉE", "snooze STEP DURATION", "rappel cnil 2h"},
	{"note TEXTE", "note TEXT", "note PACS isolé du réseau"},
	{"point conditions=… actions=… besoins=…", "point conditions=… actions=… needs=…", `point conditions="PACS arrêté" actions="bascule papier" besoins="renfort DSI"`},
	{"t0 HEURE", "t0 TIME", "t0 2026-11-23T02:10:00+01:00"},
	{"exporter [md|csv|json|pdf]", "export [md|csv|json|pdf]", "exporter pdf"},
	{"brouillon cnil|cert-sante|anssi [clé=\"valeur\"…]", "draft cnil|cert-sante|anssi [key=\"value\"…]", `brouillon cnil personnes="patients, environ 12 000"`},
	{"clore [confirmer]", "close [confirm]", "clore"},
	{"chaine ID", "chain ID", "chaine nouvelle-aquitaine/es-esms"},
	{"aide", "help", "aide"},
}

func (b *Bot) help(ctx context.Context, r *request) (Reply, error) {
	if r.cmd.incident != "" && r.cmd.word == "" {
		// "#ID" alone: show that incident.
		return b.status(ctx, r)
	}
	var lines []string
	for _, h := range helpLines {
		syntax := h.fr
		if r.lang == "en" {
			syntax = h.en
		}
		lines = append(lines, fmt.Sprintf("%s %s\n    %s %s %s", b.cfg.Trigger, syntax, tr(r.lang, "help.example"), b.cfg.Trigger, h.example))
	}
	m := Message{Title: tr(r.lang, "help.title"), Blocks: []Block{
		{Text: strings.Join(lines, "\n")},
		{Text: tr(r.lang, "help.footer", strings.Join(incident.Means, ", "))},
	}}
	return Reply{Message: &m}, nil
}
