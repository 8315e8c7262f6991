package mattermost

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
)

// maxRunes is Mattermost's limit on a post's message (16383 runes). Every
// text the adapter hands the server is kept within it.
const maxRunes = model.PostMessageMaxRunesV2

// renderer lays out the neutral message model as a Mattermost post: the
// title as the message, each block as an attachment whose buttons call
// Vigie back with a signed context.
type renderer struct {
	sign      *signer
	actionURL string    // public URL + PathAction
	channel   string    // where the post goes: signed into each button
	exp       time.Time // when its buttons expire
	// link renders a channel id as a ~name link; nil leaves "<#id>".
	link func(id string) string
}

// post returns the post of m, without its channel.
func (r *renderer) post(m bot.Message) *model.Post {
	p := &model.Post{}
	blocks := m.Blocks
	var msg []string
	if m.Title != "" {
		msg = append(msg, "**"+r.text(m.Title)+"**")
	}
	// A message that is only a line of text (a link to the incident's
	// channel) reads better as text than as an attachment.
	if len(blocks) == 1 && plainBlock(blocks[0]) {
		msg = append(msg, r.text(blocks[0].Text))
		blocks = nil
	}
	p.Message = fit(strings.Join(msg, "\n"), maxRunes)
	if len(blocks) > 0 {
		p.AddProp(model.PostPropsAttachments, r.attachments(blocks, true))
	}
	return p
}

func plainBlock(b bot.Block) bool {
	return b.Title == "" && len(b.Fields) == 0 && len(b.Buttons) == 0
}

// attachments lays out blocks, with their buttons when buttons is true.
func (r *renderer) attachments(blocks []bot.Block, buttons bool) []*model.MessageAttachment {
	out := make([]*model.MessageAttachment, 0, len(blocks))
	ids := map[string]bool{}
	for _, b := range blocks {
		at := &model.MessageAttachment{
			Title:    fit(r.text(b.Title), 1000),
			Text:     fit(r.text(b.Body()), maxRunes),
			Color:    color(b.Title),
			Fallback: fit(fallback(b), 300),
		}
		for _, f := range b.Fields {
			at.Fields = append(at.Fields, &model.MessageAttachmentField{Title: r.text(f.Label), Value: fit(r.text(f.Value), 2000), Short: true})
		}
		if buttons {
			for _, btn := range b.Buttons {
				at.Actions = append(at.Actions, &model.PostAction{
					Id:    actionID(btn.Action, ids),
					Type:  model.PostActionTypeButton,
					Name:  btn.Label,
					Style: btn.Style,
					Integration: &model.PostActionIntegration{
						URL:     r.actionURL,
						Context: r.sign.button(btn.Action, r.channel, r.exp),
					},
				})
			}
		}
		out = append(out, at)
	}
	return out
}

// actionID derives a button's id from its action: Mattermost looks the
// action up by id in the post as it is now, so a click on a stale screen
// must find the same action or none, never the button that took its place.
// Ids are alphanumeric (the route is /actions/{id:[A-Za-z0-9]+}) and
// unique in the post.
func actionID(action string, seen map[string]bool) string {
	sum := sha256.Sum256([]byte(action))
	id := "v" + hex.EncodeToString(sum[:8])
	for n := 2; seen[id]; n++ {
		id = "v" + hex.EncodeToString(sum[:8]) + "n" + strconv.Itoa(n)
	}
	seen[id] = true
	return id
}

// color marks a block by the state its title shows.
func color(title string) string {
	switch {
	case strings.HasPrefix(title, "🔴"):
		return "#d24b4e"
	case strings.HasPrefix(title, "✅"):
		return "#3db887"
	case strings.HasPrefix(title, "➖"):
		return "#8a8a8a"
	case strings.HasPrefix(title, "❓"):
		return "#f5a623"
	}
	return "#1d4f91"
}

func fallback(b bot.Block) string {
	if b.Title != "" {
		return b.Title
	}
	line, _, _ := strings.Cut(b.Text, "\n")
	return line
}

// markdown lays m out as text, for the replies Mattermost shows only to
// the person (ephemeral text has no attachments). Buttons are left out:
// an ephemeral post is not the bot's, and its clicks are refused; the
// card in the channel carries them.
func (r *renderer) markdown(m bot.Message, lang bot.Lang) string {
	var b strings.Builder
	if m.Title != "" {
		b.WriteString("**" + r.text(m.Title) + "**\n")
	}
	for _, blk := range m.Blocks {
		if blk.Title != "" {
			b.WriteString("\n**" + r.text(blk.Title) + "**\n")
		}
		for _, f := range blk.Fields {
			b.WriteString("- " + messages.T(lang, "field", r.text(f.Label), r.text(f.Value)) + "\n")
		}
		if body := blk.Body(); body != "" {
			b.WriteString(r.text(body) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

var mention = regexp.MustCompile(`<#([A-Za-z0-9]+)>`)

// text renders the bot's channel mentions ("<#id>") as ~channel links,
// and its user mentions as @username, which Mattermost notifies.
func (r *renderer) text(s string) string {
	s = bot.PlainMentions(s)
	if r.link == nil || !strings.Contains(s, "<#") {
		return s
	}
	return mention.ReplaceAllStringFunc(s, func(m string) string {
		return r.link(m[2 : len(m)-1])
	})
}

// fit trims s to n runes, marking the cut.
func fit(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// fitBytes trims s to n bytes on a rune boundary, marking the cut: some
// dialog fields are limited in bytes.
func fitBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// split cuts s into pieces of at most n runes, at line ends when it can:
// a long reply becomes several messages rather than a truncated one.
func split(s string, n int) []string {
	var out []string
	for utf8.RuneCountInString(s) > n {
		r := []rune(s)
		head := string(r[:n])
		if r[n] != '\n' {
			if i := strings.LastIndexByte(head, '\n'); i > 0 {
				head = head[:i]
			}
		}
		out = append(out, head)
		s = strings.TrimPrefix(s[len(head):], "\n")
	}
	return append(out, s)
}
