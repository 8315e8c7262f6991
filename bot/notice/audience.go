package notice

import (
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Audience is whom a message is for: its key, recorded in the main
// courante, and the words that name it, French then English.
type Audience struct {
	ID    string
	words []string
}

// audiences are the stakeholders, in the order the help gives them.
var audiences = []*Audience{
	{ID: "direction", words: []string{"direction", "management", "dg"}},
	{ID: "ars", words: []string{"ars"}},
	{ID: "personnel", words: []string{"personnel", "staff", "personnels", "agents"}},
	{ID: "presse", words: []string{"presse", "press", "media", "medias", "médias"}},
}

// AudienceOf is the audience word names (any case), nil when none.
func AudienceOf(word string) *Audience {
	w := strings.ToLower(strings.TrimSpace(word))
	for _, a := range audiences {
		for _, x := range a.words {
			if x == w {
				return a
			}
		}
	}
	return nil
}

// Typed lists the audiences as a person of lang types them: "direction,
// ars, personnel, presse", "management, ars, staff, press".
func Typed(lang flows.Lang) []string {
	out := make([]string, len(audiences))
	for i, a := range audiences {
		out[i] = a.Typed(lang)
	}
	return out
}

// Typed is the word a person of lang types for a.
func (a *Audience) Typed(lang flows.Lang) string {
	if lang == flows.EN && len(a.words) > 1 {
		return a.words[1]
	}
	return a.words[0]
}

// Name is the audience as a sentence names it: "la direction", "the ARS".
func (a *Audience) Name(lang flows.Lang) string { return tr(lang, "notice.to."+a.ID) }

// Quotes says whether the message for a quotes the situation point (all
// but the press statement): the patient-identifier guard matters there.
func (a *Audience) Quotes() bool { return a.ID != "presse" }

// Point is a situation point as the main courante records it (an entry
// of kind point).
type Point struct {
	Seq        uint64 // its entry
	N          string // its number: "2"
	At         time.Time
	By         string // "@rssi"
	Conditions string
	Actions    string
	Needs      string
}

// PointOf reads the situation point of entry e.
func PointOf(e incident.Entry) Point {
	return Point{Seq: e.Seq, N: e.Data["n"], At: e.Time, By: e.Actor,
		Conditions: e.Data["conditions"], Actions: e.Data["actions"], Needs: e.Data["besoins"]}
}

// Blanks counts the blanks left in a message written in lang: what to
// complete and what to confirm before sending it.
func Blanks(s string, lang flows.Lang) int {
	return strings.Count(s, strings.TrimSuffix(tr(lang, "notice.blank"), "]")) + strings.Count(s, tr(lang, "notice.confirm"))
}
