package slack

import (
	_ "embed"
	"fmt"

	"github.com/goccy/go-yaml"
)

// manifest is the Slack app's manifest, as people paste it to create the
// app: the one place that lists the scopes Vigie needs.
//
//go:embed manifest.yaml
var manifest []byte

// Scopes returns the bot scopes the manifest asks for, so that vigie
// doctor can compare them with those the token was granted (auth.test's
// X-OAuth-Scopes) without a second list to keep in step.
func Scopes() ([]string, error) {
	var m struct {
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	if err := yaml.Unmarshal(manifest, &m); err != nil {
		return nil, fmt.Errorf("slack manifest: %w", err)
	}
	return m.OAuth.Scopes.Bot, nil
}
