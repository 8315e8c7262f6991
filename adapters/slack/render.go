package slack

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
)

// Slack's limits on Block Kit (docs.slack.dev/reference/block-kit).
const (
	maxBlocks       = 50   // per message
	maxSectionText  = 3000 // section text
	maxFieldText    = 2000 // one field of a section
	maxFields       = 10   // fields per section
	maxHeaderText   = 150  // header block
	maxButtonText   = 75   // button label
	maxButtonValue  = 2000 // button value
	maxActions      = 25   // elements of an actions block
	maxFallbackText = 3000 // the notification text (Slack truncates at 40 000)
)

// word returns the adapter's message key in lang (locales/fr.toml and
// locales/en.toml), formatted with args.
func word(lang bot.Lang, key string, args ...any) string { return messages.T(lang, key, args...) }

// renderMessage lays a message out as Block Kit: the title as a header;
// each block as a section (title in bold, then its text, split at Slack's
// 3000 characters), its fields as section fields, and its buttons as an
// actions block whose values are the buttons' commands; dividers between
// blocks while the message stays within 50 blocks. A message that would
// not fit is cut with a line saying how to see the rest.
func renderMessage(m bot.Message, lang bot.Lang, trigger string) []slack.Block {
	var head []slack.Block
	if m.Title != "" {
		head = append(head, slack.NewHeaderBlock(plain(trimTo(m.Title, maxHeaderText))))
	}
	var groups [][]slack.Block
	total := len(head)
	for i, blk := range m.Blocks {
		g := renderBlock(i, blk)
		groups = append(groups, g)
		total += len(g)
	}
	dividers := total+len(groups)-1 <= maxBlocks
	out := head
	for i, g := range groups {
		if i > 0 && dividers {
			out = append(out, slack.NewDividerBlock())
		}
		out = append(out, g...)
	}
	if len(out) > maxBlocks {
		rest := len(out) - (maxBlocks - 1)
		out = append(out[:maxBlocks-1], slack.NewContextBlock("", mrkdwnText(word(lang, "truncated", rest, trigger))))
	}
	return out
}

// renderBlock renders one block of a message; i numbers the block so that
// every block_id of the message is unique.
func renderBlock(i int, blk bot.Block) []slack.Block {
	var out []slack.Block
	text := ""
	if blk.Title != "" {
		text = "*" + strings.Trim(mrkdwn(blk.Title), "*") + "*"
	}
	if body := blk.Body(); body != "" {
		if text != "" {
			text += "\n"
		}
		text += mrkdwn(body)
	}
	for _, chunk := range splitText(text, maxSectionText) {
		out = append(out, slack.NewSectionBlock(mrkdwnText(chunk), nil, nil))
	}
	for k := 0; k < len(blk.Fields); k += maxFields {
		var fields []*slack.TextBlockObject
		for _, f := range blk.Fields[k:min(k+maxFields, len(blk.Fields))] {
			fields = append(fields, mrkdwnText(trimTo("*"+mrkdwn(f.Label)+"*\n"+mrkdwn(f.Value), maxFieldText)))
		}
		out = append(out, slack.NewSectionBlock(nil, fields, nil))
	}
	for k := 0; k < len(blk.Buttons); k += maxActions {
		var els []slack.BlockElement
		for j, b := range blk.Buttons[k:min(k+maxActions, len(blk.Buttons))] {
			btn := slack.NewButtonBlockElement(fmt.Sprintf("vigie-%d", k+j), trimTo(b.Action, maxButtonValue), plain(trimTo(b.Label, maxButtonText)))
			switch b.Style {
			case bot.StylePrimary:
				btn = btn.WithStyle(slack.StylePrimary)
			case bot.StyleDanger:
				btn = btn.WithStyle(slack.StyleDanger)
			}
			els = append(els, btn)
		}
		out = append(out, slack.NewActionBlock(fmt.Sprintf("b%d-%d", i, k/maxActions), els...))
	}
	return out
}

// fallbackText is the message's plain text, for notifications and screen
// readers that do not read blocks.
func fallbackText(m bot.Message) string {
	if m.Title != "" {
		return mrkdwn(trimTo(m.Title, maxFallbackText))
	}
	for _, b := range m.Blocks {
		if s := strings.TrimSpace(b.Title + "\n" + b.Text); s != "" {
			return mrkdwn(trimTo(s, maxFallbackText))
		}
	}
	return "Vigie"
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

func mrkdwnText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

// splitText cuts s into pieces of at most n characters, at line breaks
// when it can.
func splitText(s string, n int) []string {
	var out []string
	for utf8.RuneCountInString(s) > n {
		cut := byteIndex(s, n)
		if nl := strings.LastIndexByte(s[:cut], '\n'); nl > 0 {
			cut = nl
		}
		out = append(out, s[:cut])
		s = strings.TrimPrefix(s[cut:], "\n")
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// byteIndex is the byte offset of the n-th character of s.
func byteIndex(s string, n int) int {
	i := 0
	for k := range s {
		if i == n {
			return k
		}
		i++
	}
	return len(s)
}

// trimTo cuts s to n characters, ending with "…" when cut.
func trimTo(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return s[:byteIndex(s, n-1)] + "…"
}

// kept are the Slack tokens the bot's text may carry on purpose: channel
// and user mentions (bot.ChannelMention), user groups.
var kept = regexp.MustCompile(`<#[A-Z0-9]+(?:\|[^<>]*)?>|<@[A-Z0-9]+(?:\|[^<>]*)?>|<!subteam\^[A-Z0-9]+(?:\|[^<>]*)?>|<!(?:channel|here|everyone)>`)

var (
	escaper  = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	mentions = regexp.MustCompile(`(^|[\s(])@(channel|here|everyone)\b`)
)

// mrkdwn escapes text for Slack's mrkdwn (&, < and > are control
// characters there) but keeps the mentions above, and turns the words
// @channel and @here into the mentions that notify (an escalation must
// ring). The bot's *emphasis* and `code` are Slack's own syntax.
func mrkdwn(s string) string {
	if !strings.ContainsAny(s, "<>&@") {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range kept.FindAllStringIndex(s, -1) {
		b.WriteString(escaper.Replace(s[last:m[0]]))
		tok := s[m[0]:m[1]]
		if strings.HasPrefix(tok, "<@") {
			tok, _, _ = strings.Cut(tok, "|") // bot.UserMention's <@ID|name>: Slack notifies <@ID>
			tok = strings.TrimSuffix(tok, ">") + ">"
		}
		b.WriteString(tok)
		last = m[1]
	}
	b.WriteString(escaper.Replace(s[last:]))
	return mentions.ReplaceAllString(b.String(), "$1<!$2>")
}
