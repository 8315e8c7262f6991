package slack

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
)

// Check reports a token Slack refuses by its configuration key.
func TestCheck(t *testing.T) {
	r := newRig(t, ModeHTTP)
	if err := r.a.Check(context.Background()); err != nil {
		t.Fatalf("good tokens: %v", err)
	}
	r.fake.snapshot(func() { r.fake.badAuth = true })
	err := r.a.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "slack.bot_token") || !strings.Contains(err.Error(), "invalid_auth") {
		t.Fatalf("bad bot token: %v", err)
	}
	// In Socket Mode the app-level token is checked too.
	sock := newRig(t, ModeSocket)
	if err := sock.a.Check(context.Background()); err != nil {
		t.Fatalf("socket mode: %v", err)
	}
	// Once accepted, the app-level token is not asked again (Slack allows
	// apps.connections.open about once a minute; /readyz checks often).
	f := &fakeAPI{slackAPI: sock.a.api, openErr: slack.SlackErrorResponse{Err: "invalid_auth"}}
	sock.a.api = f
	if err := sock.a.Check(context.Background()); err != nil {
		t.Fatalf("second check: %v", err)
	}
	fresh := newRig(t, ModeSocket)
	fresh.a.api = &fakeAPI{slackAPI: fresh.a.api, openErr: slack.SlackErrorResponse{Err: "invalid_auth"}}
	if err := fresh.a.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "slack.app_token") {
		t.Fatalf("bad app token: %v", err)
	}
}

// Exports are shared in the incident's channel through UploadFile.
func TestExportUploaded(t *testing.T) {
	r := newRig(t, ModeHTTP, func(o *Options) { o.ReplyWithin = -1 })
	r.openIncident()
	r.signed("/slack/commands", r.commandForm(rssi, "exporter json").Encode())
	r.fake.wait("the export shared", func() bool { return len(r.fake.shared) == 1 })
	r.fake.snapshot(func() {
		data := r.fake.uploads["main-courante-2026-0001-1.json"]
		if r.fake.shared[0] != crisis || !strings.Contains(string(data), `"head"`) {
			t.Fatalf("upload %q in %v: %.200s", "main-courante-2026-0001-1.json", r.fake.shared, data)
		}
	})
	r.fake.wait("the reply", func() bool {
		for _, s := range r.fake.responses {
			if strings.Contains(s.Text, "main-courante-2026-0001-1.json → <#C111>") {
				return true
			}
		}
		return false
	})
}

// canal=nouveau opens a private channel, invites the opener, and the card
// goes there.
func TestNewChannel(t *testing.T) {
	r := newRig(t, ModeHTTP)
	r.fake.snapshot(func() { r.fake.members["CNEW"] = []string{rssi, "UBOT"} })
	r.signed("/slack/commands", r.commandForm(rssi, "ouvrir Rançongiciel canal=nouveau").Encode())
	r.fake.wait("card posted in the new channel", func() bool {
		for _, p := range r.fake.posts {
			if p.Channel == "CNEW" {
				return true
			}
		}
		return false
	})
	r.fake.snapshot(func() {
		if len(r.fake.created) != 1 || r.fake.created[0].Get("is_private") != "true" || !strings.HasPrefix(r.fake.created[0].Get("name"), "crise-20261123-0210-rancongiciel") {
			t.Fatalf("created %v", r.fake.created)
		}
		if len(r.fake.invited) != 1 || r.fake.invited[0].Get("users") != rssi || r.fake.invited[0].Get("channel") != "CNEW" {
			t.Fatalf("invited %v", r.fake.invited)
		}
	})
	if inc := r.incident("2026-0001"); inc.Channel != "CNEW" {
		t.Fatalf("incident in %s", inc.Channel)
	}
}

// fakeAPI overrides a few calls of the Web API; the rest go to the
// embedded one.
type fakeAPI struct {
	slackAPI
	members   map[string][]string
	memberErr error
	listed    int
	openErr   error
}

func (f *fakeAPI) GetUsersInConversationContext(ctx context.Context, p *slack.GetUsersInConversationParameters) ([]string, string, error) {
	f.listed++
	if f.memberErr != nil {
		return nil, "", f.memberErr
	}
	return f.members[p.ChannelID], "", nil
}

func (f *fakeAPI) StartSocketModeContext(ctx context.Context) (*slack.SocketModeConnection, string, error) {
	if f.openErr != nil {
		return nil, "", f.openErr
	}
	return f.slackAPI.StartSocketModeContext(ctx)
}

// Members are read once a minute; a person just invited is seen within a
// few seconds; Slack's trouble is an error, a channel the bot cannot see
// is a message for the person.
func TestMembership(t *testing.T) {
	now := t0
	f := &fakeAPI{members: map[string][]string{crisis: {rssi}}}
	c := newMemberCache(f, time.Minute, func() time.Time { return now })
	ctx := context.Background()
	check := func(user string, want bool, listed int) {
		t.Helper()
		ok, err := c.isMember(ctx, crisis, user)
		if err != nil || ok != want || f.listed != listed {
			t.Fatalf("%s: member %v err %v after %d lists, want %v after %d", user, ok, err, f.listed, want, listed)
		}
	}
	check(rssi, true, 1)
	check(rssi, true, 1)    // cached
	check("W222", false, 1) // a miss on a fresh list: no re-read
	f.members[crisis] = append(f.members[crisis], "W222")
	now = now.Add(6 * time.Second)
	check("W222", true, 2) // a miss on an older list re-reads it
	now = now.Add(2 * time.Minute)
	check(rssi, true, 3) // expired

	a := &Adapter{opt: Options{Lang: "fr"}, members: newMemberCache(&fakeAPI{memberErr: slack.SlackErrorResponse{Err: "channel_not_found"}}, time.Minute, time.Now)}
	_, err := a.IsMember(ctx, "GPRIVATE", rssi)
	if msg, ok := bot.ErrorMessage(err); !ok || !strings.Contains(msg, "/invite @Vigie") {
		t.Fatalf("channel not visible: %v", err)
	}
	a.members = newMemberCache(&fakeAPI{memberErr: &slack.RateLimitedError{RetryAfter: 3 * time.Second}}, time.Minute, time.Now)
	_, err = a.IsMember(ctx, crisis, rssi)
	var ra bot.RetryAfter
	if !errors.Is(err, bot.ErrTemporary) || !errors.As(err, &ra) || ra.RetryAfter() != 3*time.Second {
		t.Fatalf("rate limited: %v", err)
	}
}

func TestClassify(t *testing.T) {
	temp := []error{
		&slack.RateLimitedError{RetryAfter: time.Second},
		slack.StatusCodeError{Code: 503, Status: "503 Service Unavailable"},
		slack.SlackErrorResponse{Err: "internal_error"},
	}
	for _, err := range temp {
		if !errors.Is(classify(err), bot.ErrTemporary) {
			t.Errorf("%v not temporary", err)
		}
	}
	for _, err := range []error{slack.SlackErrorResponse{Err: "channel_not_found"}, slack.StatusCodeError{Code: 404}, errors.New("x")} {
		if errors.Is(classify(err), bot.ErrTemporary) {
			t.Errorf("%v temporary", err)
		}
	}
}

// Replies go only to response_urls Slack would give.
func TestTrustedURL(t *testing.T) {
	a := &Adapter{opt: Options{APIURL: "http://127.0.0.1:4321/"}}
	for u, want := range map[string]bool{
		"https://hooks.slack.com/commands/T1/1/x":  true,
		"https://slack.com/api/x":                  true,
		"http://127.0.0.1:4321/response/1":         true,
		"http://hooks.slack.com/commands/T1/1/x":   false,
		"https://hooks.slack.com.evil.fr/commands": false,
		"https://evil.fr/?https://hooks.slack.com": false,
		"http://127.0.0.1:9999/response/1":         false,
		"::":                                       false,
	} {
		if got := a.trustedURL(u); got != want {
			t.Errorf("trustedURL(%q) = %v", u, got)
		}
	}
}
