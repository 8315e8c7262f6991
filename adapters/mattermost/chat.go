package mattermost

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
)

// renderer returns the renderer of posts for channel, signing buttons
// valid for the button TTL from now.
func (a *Adapter) renderer(ctx context.Context, channel string) *renderer {
	return &renderer{
		sign: a.sign, actionURL: a.public + PathAction, channel: channel,
		exp:  a.now().Add(a.opt.ButtonTTL),
		link: func(id string) string { return a.channelLink(ctx, id) },
	}
}

// Post posts m in channel as the bot and returns the post's id. The post
// carries a pending post id, so that a retry after a lost answer finds the
// post already made instead of making it twice (Mattermost deduplicates
// on it for 30 s).
func (a *Adapter) Post(ctx context.Context, channel string, m bot.Message) (string, error) {
	p := a.renderer(ctx, channel).post(m)
	p.ChannelId = channel
	out, err := a.createPost(ctx, p)
	if err != nil {
		return "", fmt.Errorf("post in %s: %w", channel, err)
	}
	return out.Id, nil
}

func (a *Adapter) createPost(ctx context.Context, p *model.Post) (*model.Post, error) {
	p.PendingPostId = a.BotUserID() + ":" + rand.Text()
	var out *model.Post
	err := a.do(ctx, "create post", func() (*model.Response, error) {
		var resp *model.Response
		var err error
		out, resp, err = a.api.CreatePost(ctx, p)
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	if out != nil {
		a.rememberPost(out.Id, out.ChannelId)
	}
	return out, nil
}

// Upload hands a file to channel: uploaded, then posted by the bot. It
// returns the post's permalink.
func (a *Adapter) Upload(ctx context.Context, channel, name string, data []byte) (string, error) {
	var up *model.FileUploadResponse
	err := a.do(ctx, "upload file", func() (*model.Response, error) {
		var resp *model.Response
		var err error
		up, resp, err = a.api.UploadFile(ctx, data, channel, name)
		return resp, err
	})
	if err != nil {
		return "", fmt.Errorf("upload %s to %s: %w", name, channel, err)
	}
	if up == nil || len(up.FileInfos) == 0 {
		return "", fmt.Errorf("upload %s to %s: the server returned no file", name, channel)
	}
	p, err := a.createPost(ctx, &model.Post{ChannelId: channel, Message: "📎 " + name, FileIds: model.StringArray{up.FileInfos[0].Id}})
	if err != nil {
		return "", fmt.Errorf("post %s in %s: %w", name, channel, err)
	}
	if link := a.permalink(ctx, channel, p.Id); link != "" {
		return link, nil
	}
	return name, nil
}

// CreateChannel creates a public channel for an incident in the team of
// the channel from, adds opener, and returns its id. A name already taken
// gets a short suffix.
func (a *Adapter) CreateChannel(ctx context.Context, name, display, from, opener string) (string, error) {
	src, err := a.channel(ctx, from)
	if err != nil {
		return "", err
	}
	var ch *model.Channel
	base := fitBytes(name, model.ChannelNameMaxLength-6)
	for attempt := 0; ; attempt++ {
		want := &model.Channel{TeamId: src.team, Name: name, DisplayName: fit(display, model.ChannelDisplayNameMaxRunes), Type: model.ChannelTypeOpen}
		err = a.do(ctx, "create channel", func() (*model.Response, error) {
			var resp *model.Response
			var err error
			ch, resp, err = a.api.CreateChannel(ctx, want)
			return resp, err
		})
		var ae *apiError
		var appErr *model.AppError
		if err != nil && attempt < 3 && errors.As(err, &ae) && ae.status == http.StatusBadRequest &&
			errors.As(err, &appErr) && strings.Contains(appErr.Id, "exists") {
			name = strings.TrimRight(base, "-…") + "-" + strings.ToLower(rand.Text()[:4])
			continue
		}
		if err != nil {
			return "", fmt.Errorf("create channel %s: %w", name, err)
		}
		break
	}
	a.mu.Lock()
	a.names[ch.Id] = channelInfo{name: ch.Name, team: ch.TeamId}
	a.mu.Unlock()
	err = a.do(ctx, "add channel member", func() (*model.Response, error) {
		_, resp, err := a.api.AddChannelMember(ctx, ch.Id, opener)
		return resp, err
	})
	if err != nil {
		return "", fmt.Errorf("add %s to channel %s: %w", opener, ch.Name, err)
	}
	return ch.Id, nil
}

// channelInfo is what the adapter remembers of a channel: its name for
// ~links, its team for permalinks. Neither changes for an open incident
// often enough to matter.
type channelInfo struct{ name, team string }

func (a *Adapter) channel(ctx context.Context, id string) (channelInfo, error) {
	a.mu.Lock()
	ci, ok := a.names[id]
	a.mu.Unlock()
	if ok {
		return ci, nil
	}
	var ch *model.Channel
	err := a.do(ctx, "get channel", func() (*model.Response, error) {
		var resp *model.Response
		var err error
		ch, resp, err = a.api.GetChannel(ctx, id)
		return resp, err
	})
	if err != nil {
		return channelInfo{}, fmt.Errorf("channel %s: %w", id, err)
	}
	ci = channelInfo{name: ch.Name, team: ch.TeamId}
	a.mu.Lock()
	a.names[id] = ci
	a.mu.Unlock()
	return ci, nil
}

// channelLink renders a channel as a ~name link, or its id in code when
// the server does not say its name.
func (a *Adapter) channelLink(ctx context.Context, id string) string {
	ci, err := a.channel(ctx, id)
	if err != nil || ci.name == "" {
		a.log.Warn("mattermost: channel name", "channel", id, "err", err)
		return "`" + id + "`"
	}
	return "~" + ci.name
}

// permalink is the post's link, SiteURL/team/pl/postid; empty when the
// team is unknown (a direct message has none).
func (a *Adapter) permalink(ctx context.Context, channel, postID string) string {
	ci, err := a.channel(ctx, channel)
	if err != nil || ci.team == "" {
		return ""
	}
	a.mu.Lock()
	team, ok := a.teams[ci.team]
	a.mu.Unlock()
	if !ok {
		var t *model.Team
		err := a.do(ctx, "get team", func() (*model.Response, error) {
			var resp *model.Response
			var err error
			t, resp, err = a.api.GetTeam(ctx, ci.team, "")
			return resp, err
		})
		if err != nil {
			a.log.Warn("mattermost: team name", "team", ci.team, "err", err)
			return ""
		}
		team = t.Name
		a.mu.Lock()
		a.teams[ci.team] = team
		a.mu.Unlock()
	}
	return a.site + "/" + team + "/pl/" + postID
}
