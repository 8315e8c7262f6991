package console

import (
	"fmt"
	"strings"

	"github.com/vigie-sante/vigie/flows"
)

// words are what the terminal itself says, apart from the bot's messages:
// French first, English second.
var words = map[string][2]string{
	"banner":       {"Vigie — console. « aide » : les commandes · Tab : compléter · ↑ : commandes tapées · « quitter » ou Ctrl-D : sortir", "Vigie — console. \"help\": the commands · Tab: complete · ↑: commands typed · \"quit\" or Ctrl-D: leave"},
	"no_button":    {"⚠️ Aucun bouton [%s] affiché.", "⚠️ No button [%s] is shown."},
	"number":       {"⚠️ Aucun bouton [%s] : les boutons se tapent par leur lettre entre crochets, par exemple a pour [a].", "⚠️ No button [%s]: buttons are typed by their letter in brackets, for example a for [a]."},
	"stale":        {"⚠️ Le bouton [%s] « %s » n'est plus proposé : le message a changé depuis. Rien n'a été fait ; « statut » montre l'état à jour.", "⚠️ Button [%s] \"%s\" is no longer offered: the message changed since. Nothing was done; \"status\" shows the state now."},
	"folded":       {"(en entier : statut)", "(in full: status)"},
	"still":        {"Toujours proposé :", "Still offered:"},
	"form_how":     {"(Entrée vide : valeur entre crochets ; « annuler » ou Ctrl-C : abandonner le formulaire)", "(Empty line: the value in brackets; \"cancel\" or Ctrl-C: drop the form)"},
	"cancelled":    {"Formulaire abandonné : rien n'a été enregistré.", "Form dropped: nothing was recorded."},
	"required":     {"⚠️ « %s » est obligatoire.", "⚠️ \"%s\" is required."},
	"not_option":   {"⚠️ « %s » n'est pas un choix proposé (tapez son numéro ou son nom).", "⚠️ \"%s\" is not one of the choices (type its number or its name)."},
	"confirm":      {"« %s » ressemble à une commande : est-ce bien « %s » ? (o/n) : ", "\"%s\" looks like a command: is it really \"%s\"? (y/n): "},
	"confirm_no":   {"Pas pris. La commande se tape après le formulaire (ou « annuler » d'abord).", "Not taken. Type the command after the form (or \"cancel\" first)."},
	"interrupt":    {"(Ctrl-C encore, Ctrl-D ou « quitter » pour sortir de Vigie)", "(Ctrl-C again, Ctrl-D or \"quit\" to leave Vigie)"},
	"candidates":   {"Possibles : %s", "Possible: %s"},
	"history_warn": {"⚠️ Historique des commandes indisponible : %v", "⚠️ Command history unavailable: %v"},
}

// say returns the terminal's word key in the console's language.
func (c *Console) say(key string, args ...any) string {
	w, ok := words[key]
	if !ok {
		return key
	}
	s := w[0]
	if c.opt.Lang == flows.EN {
		s = w[1]
	}
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return s
}

// colon separates a label from its value: with a space before it in
// French, without in English.
func (c *Console) colon() string {
	if c.opt.Lang == flows.EN {
		return ": "
	}
	return " : "
}

// cancelWords drop a form; quitWords leave the console.
var (
	cancelWords = []string{"annuler", "cancel", "."}
	quitWords   = []string{"quitter", "quit"}
	yesWords    = []string{"o", "oui", "y", "yes"}
	noWords     = []string{"n", "non", "no"}
)

func isWord(list []string, s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, w := range list {
		if s == w {
			return true
		}
	}
	return false
}
