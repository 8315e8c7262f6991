package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigie-sante/vigie/adapters/mattermost"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/internal/config"
)

func init() {
	platforms["mattermost"] = newMattermost
}

// mattermostPlatform is the Mattermost adapter as serve sees it.
type mattermostPlatform struct{ *mattermost.Adapter }

func (p mattermostPlatform) Mount(mux *http.ServeMux, h Handler) { p.Adapter.Mount(mux, h) }

func (p mattermostPlatform) Run(ctx context.Context, h Handler) error { return p.Adapter.Run(ctx, h) }

// actionKeyFile holds the key that signs button contexts and dialog states
// when mattermost.action_secret is not set, in the data directory.
const actionKeyFile = "mattermost-action.key"

func newMattermost(cfg *config.Config, dir string, log *slog.Logger, answered Answered) (Platform, error) {
	m := cfg.Mattermost
	secret, err := actionSecret(m.ActionSecret.Value(), dir)
	if err != nil {
		return nil, err
	}
	var tokens []string
	for _, t := range m.CommandTokens {
		tokens = append(tokens, t.Value())
	}
	lang := bot.Lang(cfg.Lang)
	if lang == "" {
		lang = "fr"
	}
	a, err := mattermost.New(mattermost.Options{
		URL: m.URL, BotToken: m.BotToken.Value(), CommandTokens: tokens, Secret: secret,
		PublicURL: cfg.PublicURL, Trigger: cfg.Trigger, Lang: lang, Log: log,
		// The bot's outbox keeps the edits owed, coalesces and retries them:
		// the adapter edits at once and says whether it did, so that an edit
		// is never counted shown while it only waits in memory.
		SyncUpdates: true,
		Answered:    answered,
	})
	if err != nil {
		return nil, err
	}
	return mattermostPlatform{a}, nil
}

// actionSecret is mattermost.action_secret, else a random key kept in the
// data directory so that buttons posted before a restart still work after.
func actionSecret(configured, dir string) ([]byte, error) {
	if configured != "" {
		if len(configured) < 16 {
			return nil, errors.New("config: mattermost.action_secret: too short (at least 16 characters; or leave it empty for a random key kept in the data directory)")
		}
		return []byte(configured), nil
	}
	path := filepath.Join(dir, actionKeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) < 16 {
			return nil, fmt.Errorf("%s: not a hex key of at least 16 bytes (delete it to make a new one; buttons already posted will be refused)", path)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("action key: %w", err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("action key: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("action key: %w", err)
	}
	return key, nil
}
