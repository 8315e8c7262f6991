package mattermost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
)

// SetupOptions say where to install the slash command.
type SetupOptions struct {
	URL        string   // the Mattermost site URL
	AdminToken string   // a token allowed to manage slash commands (a system admin's)
	Team       string   // the team's name or id
	PublicURL  string   // how Mattermost reaches Vigie
	Trigger    string   // "incident" (a leading slash is dropped)
	Lang       bot.Lang // the command's description and hint: fr (default) or en
	HTTPClient *http.Client
}

// SetupResult is the slash command as installed.
type SetupResult struct {
	Command *model.Command // with its token, for mattermost.command_tokens
	Team    *model.Team
	Created bool // false: an existing command with that trigger was updated
}

// Setup creates the slash command on the team, or updates the one with
// the same trigger so that it points at Vigie: POST to PublicURL +
// PathCommand, with autocomplete in French. Running it again is harmless;
// the command keeps its token.
func Setup(ctx context.Context, opt SetupOptions) (*SetupResult, error) {
	trigger := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(opt.Trigger), "/"))
	if trigger == "" {
		trigger = "incident"
	}
	if opt.AdminToken == "" {
		return nil, errors.New("no admin token (--admin-token or VIGIE_MATTERMOST_ADMIN_TOKEN)")
	}
	if opt.Team == "" {
		return nil, errors.New("no team (--team NAME)")
	}
	if !strings.HasPrefix(opt.PublicURL, "http://") && !strings.HasPrefix(opt.PublicURL, "https://") {
		return nil, fmt.Errorf("public URL %q is not an http(s) URL (how Mattermost reaches Vigie)", opt.PublicURL)
	}
	c := model.NewAPIv4Client(opt.URL)
	c.SetToken(opt.AdminToken)
	c.HTTPClient = opt.HTTPClient
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 20 * time.Second}
	}
	if _, resp, err := c.GetMe(ctx, ""); err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			return nil, fmt.Errorf("admin token rejected by %s: %v", opt.URL, err)
		}
		return nil, fmt.Errorf("reach %s: %w", opt.URL, err)
	}
	team, resp, err := c.GetTeamByName(ctx, opt.Team, "")
	if err != nil && resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusBadRequest) && model.IsValidId(opt.Team) {
		team, _, err = c.GetTeam(ctx, opt.Team, "")
	}
	if err != nil {
		return nil, fmt.Errorf("team %q: %w", opt.Team, err)
	}
	want := &model.Command{
		TeamId:           team.Id,
		Trigger:          trigger,
		Method:           model.CommandMethodPost,
		URL:              strings.TrimRight(opt.PublicURL, "/") + PathCommand,
		DisplayName:      "Vigie",
		Description:      messages.T(opt.Lang, "setup.description"),
		AutoComplete:     true,
		AutoCompleteDesc: messages.T(opt.Lang, "setup.autocomplete"),
		AutoCompleteHint: messages.T(opt.Lang, "setup.hint"),
	}
	cmds, _, err := c.ListCommands(ctx, team.Id, true)
	if err != nil {
		return nil, fmt.Errorf("list the slash commands of %s: %w", team.Name, err)
	}
	for _, old := range cmds {
		if old.Trigger != trigger || old.TeamId != team.Id || old.DeleteAt != 0 {
			continue
		}
		want.Id, want.Token, want.CreatorId, want.CreateAt = old.Id, old.Token, old.CreatorId, old.CreateAt
		got, _, err := c.UpdateCommand(ctx, want)
		if err != nil {
			return nil, fmt.Errorf("update /%s on %s: %w", trigger, team.Name, err)
		}
		if got.Token == "" {
			got.Token = old.Token
		}
		return &SetupResult{Command: got, Team: team}, nil
	}
	got, _, err := c.CreateCommand(ctx, want)
	if err != nil {
		return nil, fmt.Errorf("create /%s on %s (EnableCommands on? manage_slash_commands?): %w", trigger, team.Name, err)
	}
	return &SetupResult{Command: got, Team: team, Created: true}, nil
}
