package mattermost

import (
	"fmt"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
)

// messages are the adapter's own words to people: refusals of what did
// not come from Vigie, and platform trouble. The bot's catalogue speaks
// for everything else.
var messages = map[string]struct{ fr, en string }{
	"forged": {
		"⚠️ Bouton refusé : il n'a pas été émis par Vigie pour ce canal, ou il a été modifié. Utilisez les boutons de la carte de l'incident, ou tapez la commande (%s aide).",
		"⚠️ Button refused: Vigie did not issue it for this channel, or it was altered. Use the buttons of the incident's card, or type the command (%s help).",
	},
	"expired": {
		"⚠️ Ce bouton a expiré. Tapez %s statut pour afficher l'incident à jour.",
		"⚠️ This button has expired. Type %s status to show the incident as it is now.",
	},
	"not_bot": {
		"⚠️ Bouton refusé : ce message n'a pas été posté par Vigie. Utilisez les boutons de la carte de l'incident.",
		"⚠️ Button refused: Vigie did not post this message. Use the buttons of the incident's card.",
	},
	"dialog_forged": {
		"Formulaire refusé : Vigie ne l'a pas ouvert pour vous dans ce canal, ou il a été modifié.",
		"Form refused: Vigie did not open it for you in this channel, or it was altered.",
	},
	"dialog_expired": {
		"Ce formulaire a expiré : rouvrez-le depuis la carte de l'incident.",
		"This form has expired: open it again from the incident's card.",
	},
	"dialog_failed": {
		"⚠️ Le formulaire n'a pas pu s'ouvrir. Tapez la commande à la place : %s %s …",
		"⚠️ The form could not open. Type the command instead: %s %s …",
	},
	"internal": {
		"⚠️ Erreur interne : rien n'a été enregistré. Réessayez ; si cela persiste, prévenez l'administrateur de Vigie.",
		"⚠️ Internal error: nothing was recorded. Try again; if it persists, tell Vigie's administrator.",
	},
}

// msg returns the message key in lang, the person's language (see
// people.go), or the adapter's when lang is empty.
func (a *Adapter) msg(lang bot.Lang, key string, args ...any) string {
	if lang == "" {
		lang = a.opt.Lang
	}
	m := messages[key]
	s := m.fr
	if lang == flows.EN {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
