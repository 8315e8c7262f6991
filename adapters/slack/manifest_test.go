package slack

import (
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// The manifest in the repository is the app the code needs: the slash
// command, every scope a call uses, interactivity, Socket Mode, the
// reaction event.
func TestManifest(t *testing.T) {
	data, err := os.ReadFile("manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Display struct {
			Name        string `yaml:"name"`
			Description string `yaml:"description"`
		} `yaml:"display_information"`
		Features struct {
			Bot struct {
				DisplayName string `yaml:"display_name"`
			} `yaml:"bot_user"`
			Commands []struct {
				Command, Description string
				UsageHint            string `yaml:"usage_hint"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				Bot []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool `yaml:"is_enabled"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Display.Name != "Vigie" || m.Features.Bot.DisplayName == "" || utf8.RuneCountInString(m.Display.Description) > 140 {
		t.Errorf("display: %+v", m.Display)
	}
	if len(m.Features.Commands) != 1 || m.Features.Commands[0].Command != "/incident" || m.Features.Commands[0].UsageHint == "" {
		t.Errorf("slash commands: %+v", m.Features.Commands)
	}
	for _, scope := range []string{"commands", "chat:write", "channels:read", "groups:read", "channels:manage", "groups:write",
		"channels:history", "groups:history", "reactions:read", "files:write", "users:read"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, scope) {
			t.Errorf("scope %s missing", scope)
		}
	}
	if !slices.Contains(m.Settings.Events.Bot, "reaction_added") || !m.Settings.Interactivity.Enabled || !m.Settings.SocketMode {
		t.Errorf("settings: %+v", m.Settings)
	}
}

// Scopes reads the embedded manifest: every scope, none of the comments.
func TestScopes(t *testing.T) {
	got, err := Scopes()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"commands", "chat:write", "users:read", "files:write"} {
		if !slices.Contains(got, want) {
			t.Errorf("Scopes() = %v lacks %q", got, want)
		}
	}
	for _, s := range got {
		if strings.ContainsAny(s, "# ") {
			t.Errorf("scope %q holds a comment", s)
		}
	}
}
