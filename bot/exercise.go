package bot

import (
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
)

// This file holds what makes an exercise (ouvrir … exercice) read as one
// wherever Vigie shows it. The programme CaRE asks health establishments
// to rehearse cyber crises; a rehearsal must never be taken for a real
// incident, in the channel, in a notification's preview or in a draft
// pasted into a regulator's form. The exercise has its own numbers
// (EX-2026-0001, the store's) and the statistics leave it out (report);
// here, every card, checklist, reminder, closing report and reply about
// it opens with the mark.

// exerciseWords are the words that, last on an opening line, open an
// exercise: "ouvrir Exercice rançongiciel exercice".
var exerciseWords = []string{"exercice", "exercise"}

// exerciseOption reads whether an opening asks for an exercise: the
// option exercice=oui|non (exercise=yes|no), or the word exercice last
// among the free words, which it then removes from them (it is not part
// of the title). A value it does not understand, or an option that says
// non with the word, is refused.
func exerciseOption(r *request) (bool, error) {
	word := false
	if n := len(r.cmd.args); n > 0 && contains(exerciseWords, strings.ToLower(r.cmd.args[n-1])) {
		word = true
		r.cmd.args = r.cmd.args[:n-1]
	}
	v, ok := r.cmd.opts["exercice"]
	if w, okEN := r.cmd.opts["exercise"]; okEN {
		v, ok = w, true
	}
	if !ok {
		return word, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "oui", "yes", "o", "y":
		return true, nil
	case "non", "no", "n":
		if word {
			return false, uerr(EInvalid, r.lang, "err.exercise_both", echo(v))
		}
		return false, nil
	}
	return false, uerr(EInvalid, r.lang, "err.exercise_value", echo(v))
}

// exerciseTitle is title with the exercise mark before it, when inc is an
// exercise: "🧪 EXERCICE — ⏰ Rappel — incident #EX-2026-0001". A title
// already marked is left as it is.
func exerciseTitle(inc *incident.Incident, lang Lang, title string) string {
	if inc == nil || !inc.Exercise {
		return title
	}
	return markTitle(lang, title)
}

func markTitle(lang Lang, title string) string {
	tag := tr(lang, "exercise.tag")
	switch {
	case strings.HasPrefix(title, tag):
		return title
	case title == "":
		return tag
	}
	return tag + " — " + title
}

// markReply marks the reply to a command about an exercise (r.exercise):
// its text and the title of its message. Messages drawn by the card,
// checklist or draft are marked already.
func markReply(r *request, rep Reply) Reply {
	if !r.exercise {
		return rep
	}
	if rep.Text != "" {
		rep.Text = markTitle(r.lang, rep.Text)
	}
	if rep.Message != nil {
		m := *rep.Message
		m.Title = markTitle(r.lang, m.Title)
		rep.Message = &m
	}
	return rep
}
