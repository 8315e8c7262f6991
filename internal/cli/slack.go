package cli

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/vigie-sante/vigie/adapters/slack"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/config"
)

func init() {
	platforms["slack"] = buildSlack
}

// buildSlack makes the Slack adapter of the configuration's slack section.
func buildSlack(cfg *config.Config, dir string, log *slog.Logger, answered Answered) (Platform, error) {
	s := cfg.Slack
	lang := flows.FR
	if cfg.Lang == "en" {
		lang = flows.EN
	}
	a, err := slack.New(slack.Options{
		Mode: s.Mode, BotToken: s.BotToken.Value(), AppToken: s.AppToken.Value(), SigningSecret: s.SigningSecret.Value(),
		Dir: dir, Lang: lang, Trigger: cfg.Trigger, Log: log, APIURL: s.APIURL, Answered: answered,
	})
	if err != nil {
		return nil, err
	}
	return slackPlatform{a}, nil
}

// slackPlatform gives the adapter serve's Handler type; its other methods
// (Upload, IsMember, CreateChannel) are the adapter's, found by the bot.
type slackPlatform struct{ *slack.Adapter }

func (p slackPlatform) Mount(mux *http.ServeMux, h Handler) { p.Adapter.Mount(mux, h) }

func (p slackPlatform) Run(ctx context.Context, h Handler) error { return p.Adapter.Run(ctx, h) }
