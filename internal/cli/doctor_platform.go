package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/vigie-sante/vigie/adapters/slack"
	"github.com/vigie-sante/vigie/internal/config"
)

// This file holds vigie doctor's checks of the chat platform: the token,
// the bot's permissions, the WebSocket or Socket Mode, the callback URL,
// and the clock against the server's Date header. It speaks plain HTTP to
// the platform's API rather than through the adapters, so that it reads
// exactly what it reports (a status, a header) and posts nothing.

// maxSkew is how far this machine's clock may be from the chat server's:
// T0, deadlines and the main courante are stamped with it, to the minute.
const maxSkew = time.Minute

// call sends an API request with a bearer token and decodes a JSON answer
// into v when the status is 2xx. It returns the response (its body read)
// and when it was sent and received, for the clock.
func (d *doctor) call(ctx context.Context, method, url, token string, body, v any) (*http.Response, time.Time, time.Time, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, time.Time{}, time.Time{}, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sent := d.now()
	resp, err := d.client.Do(req)
	received := d.now()
	if err != nil {
		return nil, sent, received, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp, sent, received, err
	}
	if resp.StatusCode/100 == 2 && v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			return resp, sent, received, fmt.Errorf("%s %s: not the JSON expected: %w", method, url, err)
		}
	}
	if resp.StatusCode/100 != 2 {
		var apiErr struct{ Message string }
		msg := strings.TrimSpace(string(data))
		if json.Unmarshal(data, &apiErr) == nil && apiErr.Message != "" {
			msg = apiErr.Message
		}
		return resp, sent, received, fmt.Errorf("%s: %s", resp.Status, msg)
	}
	return resp, sent, received, nil
}

// clock compares this machine's clock with the Date of the server's
// answer, taken half-way between sending and receiving.
func (d *doctor) clock(server string, resp *http.Response, sent, received time.Time) {
	const name = "clock"
	if resp == nil {
		d.skip(name, fmt.Sprintf("not checked: %s did not answer", server))
		return
	}
	theirs, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		d.skip(name, fmt.Sprintf("not checked: %s sent no Date header", server))
		return
	}
	// The header has whole seconds: ours is cut to the second as well,
	// and a difference is said to 10 s, all the precision there is.
	ours := sent.Add(received.Sub(sent) / 2).Truncate(time.Second)
	skew := theirs.Sub(ours) // > 0: we are behind
	const todo = "T0 and deadlines are stamped with this clock: turn on NTP (timedatectl set-ntp true, or chrony)"
	switch {
	case skew > maxSkew:
		d.fail(name, fmt.Sprintf("this machine is about %s behind %s", skew.Round(10*time.Second), server), todo)
	case skew < -maxSkew:
		d.fail(name, fmt.Sprintf("this machine is about %s ahead of %s", (-skew).Round(10*time.Second), server), todo)
	default:
		d.ok(name, "within %s of %s (the Date header has whole seconds)", maxSkew, server)
	}
}

// callback checks that public_url reaches vigie serve's /healthz from
// here. The chat server's view may differ (firewall, its own proxy): tip
// says what to look at on its side.
func (d *doctor) callback(ctx context.Context, public, tip string) {
	const name = "callback URL"
	u := strings.TrimRight(public, "/") + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		d.fail(name, err.Error(), "set public_url to the URL the chat server calls Vigie at")
		return
	}
	resp, err := d.client.Do(req)
	if err != nil {
		d.fail(name, fmt.Sprintf("nothing answers at %s from here (%v)", u, err), "start vigie serve, or check the proxy in front of it; "+tip)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		d.fail(name, fmt.Sprintf("%s answers %s, not vigie serve's health check", u, resp.Status), "the proxy must forward public_url to vigie serve's listen address")
		return
	}
	d.ok(name, "%s answers from this machine; it should answer only the chat server (firewall or proxy rule), and must answer it: %s", u, tip)
}

// mattermost checks the Mattermost side: the token (users/me), the clock,
// the bot's permissions, the WebSocket and the callback URL.
func (d *doctor) mattermost(ctx context.Context, cfg *config.Config) {
	site := strings.TrimRight(cfg.Mattermost.URL, "/")
	token := cfg.Mattermost.BotToken.Value()
	var me struct {
		ID, Username, Roles string
		IsBot               bool `json:"is_bot"`
	}
	resp, sent, received, err := d.call(ctx, http.MethodGet, site+"/api/v4/users/me", token, nil, &me)
	switch {
	case resp == nil:
		d.fail("token", fmt.Sprintf("cannot reach %s (%v)", site, err), "check mattermost.url, the network, and HTTPS_PROXY/NO_PROXY")
	case resp.StatusCode == http.StatusUnauthorized:
		d.fail("token", fmt.Sprintf("mattermost.bot_token refused by %s (%v)", site, err),
			"make a new token (System Console → Integrations → Bot Accounts → Create New Token) and set mattermost.bot_token")
	case err != nil:
		d.fail("token", fmt.Sprintf("%s/api/v4/users/me: %v", site, err), "check that mattermost.url is the site URL, as people open it in a browser")
	case !me.IsBot:
		d.ok("token", "@%s, a person's account and not a bot account: posts and the main courante will bear that name", me.Username)
	default:
		d.ok("token", "@%s (bot account), accepted by %s", me.Username, site)
	}
	d.clock("the Mattermost server", resp, sent, received)
	if err != nil {
		d.skip("permissions", "not checked: the token does not work")
		d.skip("websocket", "not checked: the token does not work")
	} else {
		d.mattermostPermissions(ctx, site, token, me.Roles)
		d.mattermostWebSocket(ctx, site, token)
	}
	d.callback(ctx, cfg.PublicURL, "on Mattermost, a private address must be listed in AllowedUntrustedInternalConnections")
}

// mattermostPermissions checks that the bot may create ephemeral posts
// (the confirmations after a form) and public channels (canal=nouveau),
// from the permissions of its system roles and of its teams' roles. A
// team member's scheme_user and scheme_admin stand for team_user and
// team_admin, as they do on a team without a scheme of its own.
func (d *doctor) mattermostPermissions(ctx context.Context, site, token, systemRoles string) {
	const name = "permissions"
	var members []struct {
		TeamID      string `json:"team_id"`
		Roles       string
		SchemeUser  bool `json:"scheme_user"`
		SchemeAdmin bool `json:"scheme_admin"`
	}
	if _, _, _, err := d.call(ctx, http.MethodGet, site+"/api/v4/users/me/teams/members", token, nil, &members); err != nil {
		d.fail(name, fmt.Sprintf("the bot's teams: %v", err), "check that the token is the bot account's")
		return
	}
	system := strings.Fields(systemRoles)
	var team []string
	for _, m := range members {
		team = append(team, strings.Fields(m.Roles)...)
		if m.SchemeUser {
			team = append(team, "team_user")
		}
		if m.SchemeAdmin {
			team = append(team, "team_admin")
		}
	}
	var roles []struct {
		Name        string
		Permissions []string
	}
	names := append(slices.Clone(system), team...)
	slices.Sort(names)
	if _, _, _, err := d.call(ctx, http.MethodPost, site+"/api/v4/roles/names", token, slices.Compact(names), &roles); err != nil {
		d.fail(name, fmt.Sprintf("the permissions of the bot's roles: %v", err), "check that the token is the bot account's")
		return
	}
	perms := map[string]bool{} // the bot's in at least one team
	ephemeral := false         // a system permission
	for _, r := range roles {
		for _, p := range r.Permissions {
			perms[p] = true
			if p == "create_post_ephemeral" && slices.Contains(system, r.Name) {
				ephemeral = true
			}
		}
	}
	var problems, todo []string
	if !ephemeral {
		problems = append(problems, "the bot lacks create_post_ephemeral")
		todo = append(todo, "without it the confirmations after a form vanish: give the bot account the System Admin role (System Console → Integrations → Bot Accounts → Edit)")
	}
	if len(members) == 0 {
		problems = append(problems, "the bot is in no team")
		todo = append(todo, "add the bot to the crisis cell's team, and to its channels (/invite @vigie)")
	} else if !perms["create_public_channel"] {
		problems = append(problems, "the bot lacks create_public_channel")
		todo = append(todo, "without it canal=nouveau cannot open an incident's channel: let team members (or the bot) create public channels")
	}
	if len(problems) > 0 {
		d.fail(name, strings.Join(problems, "; "), strings.Join(todo, "; "))
		return
	}
	d.ok(name, "create_post_ephemeral, create_public_channel (roles %s; member of %d team(s))", strings.Join(slices.Compact(names), " "), len(members))
}

// mattermostWebSocket opens the WebSocket the 📌 reactions come by and
// waits for the server's hello.
func (d *doctor) mattermostWebSocket(ctx context.Context, site, token string) {
	const name = "websocket"
	u := "ws://" + strings.TrimPrefix(site, "http://") + "/api/v4/websocket"
	if rest, ok := strings.CutPrefix(site, "https://"); ok {
		u = "wss://" + rest + "/api/v4/websocket"
	}
	const todo = "a proxy in front of Mattermost must pass WebSocket upgrades (Upgrade and Connection headers): without them the 📌 reactions are not logged"
	dialer := &websocket.Dialer{HandshakeTimeout: 10 * time.Second, Proxy: http.ProxyFromEnvironment}
	ws, resp, err := dialer.DialContext(ctx, u, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		if resp != nil {
			d.fail(name, fmt.Sprintf("%s refused the upgrade (%s)", u, resp.Status), todo)
		} else {
			d.fail(name, fmt.Sprintf("%s: %v", u, err), todo)
		}
		return
	}
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var hello struct{ Event string }
	if err := ws.ReadJSON(&hello); err != nil || hello.Event != "hello" {
		d.fail(name, fmt.Sprintf("%s connected, but the server said no hello (%v)", u, err), "check the token, and that nothing between Vigie and Mattermost alters WebSocket frames")
		return
	}
	d.ok(name, "%s connected; the server said hello", u)
}

// slack checks the Slack side: the token (auth.test), the clock, the
// scopes against the manifest's, Socket Mode or the callback URL.
func (d *doctor) slack(ctx context.Context, cfg *config.Config) {
	s := cfg.Slack
	api := s.APIURL
	if api == "" {
		api = "https://slack.com/api/"
	}
	var auth struct {
		OK                     bool
		Error, Team, User, URL string
	}
	resp, sent, received, err := d.call(ctx, http.MethodPost, api+"auth.test", s.BotToken.Value(), nil, &auth)
	switch {
	case err != nil:
		d.fail("token", fmt.Sprintf("%sauth.test: %v", api, err), "check the network, HTTPS_PROXY/NO_PROXY, and slack.api_url if set")
	case !auth.OK:
		d.fail("token", fmt.Sprintf("Slack refuses slack.bot_token (%s)", auth.Error), "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions")
	default:
		d.ok("token", "@%s in the workspace %s (%s)", auth.User, auth.Team, auth.URL)
	}
	d.clock("Slack", resp, sent, received)
	if err != nil || !auth.OK {
		d.skip("permissions", "not checked: the token does not work")
	} else {
		d.slackScopes(resp.Header.Get("X-OAuth-Scopes"))
	}
	if s.Mode == "http" {
		d.skip("socket mode", "HTTP mode: Slack calls public_url")
		if cfg.PublicURL == "" {
			d.skip("callback URL", "not checked: set public_url to the URL of Slack's request URLs (https://…, without /slack/…)")
		} else {
			d.callback(ctx, cfg.PublicURL, "Slack calls it from the internet, over HTTPS, at the three request URLs of the app")
		}
		return
	}
	var open struct {
		OK    bool
		Error string
	}
	_, _, _, err = d.call(ctx, http.MethodPost, api+"apps.connections.open", s.AppToken.Value(), nil, &open)
	switch {
	case err != nil:
		d.fail("socket mode", fmt.Sprintf("%sapps.connections.open: %v", api, err), "check the network, HTTPS_PROXY/NO_PROXY, and slack.api_url if set")
	case !open.OK:
		d.fail("socket mode", fmt.Sprintf("Slack refuses slack.app_token (%s)", open.Error),
			"create an app-level token with the connections:write scope (Basic Information → App-Level Tokens) and turn Socket Mode on")
	default:
		d.ok("socket mode", "Slack opens a connection for slack.app_token")
	}
	d.skip("callback URL", "Socket Mode needs none: Vigie connects out to Slack")
}

// slackScopes compares the scopes granted to the bot token with the
// manifest's.
func (d *doctor) slackScopes(header string) {
	const name = "permissions"
	want, err := slack.Scopes()
	if err != nil {
		d.fail(name, err.Error(), "this build's Slack manifest is broken: rebuild vigie from a released version")
		return
	}
	if header == "" {
		d.skip(name, "not checked: Slack did not say the token's scopes (X-OAuth-Scopes)")
		return
	}
	granted := map[string]bool{}
	for _, s := range strings.Split(header, ",") {
		granted[strings.TrimSpace(s)] = true
	}
	var missing []string
	for _, s := range want {
		if !granted[s] {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		d.fail(name, "the bot token lacks the scopes "+strings.Join(missing, ", "),
			"add them (OAuth & Permissions → Scopes, or paste adapters/slack/manifest.yaml as the App Manifest), then reinstall the app to the workspace")
		return
	}
	d.ok(name, "every scope of the manifest (%d)", len(want))
}
