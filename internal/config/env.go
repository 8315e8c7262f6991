package config

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
)

// applyEnv sets the fields of v from the environment: each field's name is
// prefix + "_" + its env tag (VIGIE_MATTERMOST_BOT_TOKEN). Lists are
// comma-separated. A platform section is created when one of its variables
// is set.
func applyEnv(v reflect.Value, prefix string, getenv func(string) string) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("env")
		if tag == "" {
			continue
		}
		name := prefix + "_" + tag
		fv := v.Field(i)
		switch f.Type.Kind() {
		case reflect.Pointer:
			if !anySet(name+"_", getenv, f.Type.Elem()) {
				continue
			}
			if fv.IsNil() {
				fv.Set(reflect.New(f.Type.Elem()))
			}
			if err := applyEnv(fv.Elem(), name, getenv); err != nil {
				return err
			}
			continue
		case reflect.Struct:
			if err := applyEnv(fv, name, getenv); err != nil {
				return err
			}
			continue
		}
		raw := getenv(name)
		if raw == "" {
			continue
		}
		switch fv.Interface().(type) {
		case map[string]StepReminder:
			continue // per-step cadences come from the file only
		case string, Secret:
			fv.SetString(raw)
		case int:
			n, err := strconv.Atoi(raw)
			if err != nil {
				return fmt.Errorf("%s: %q is not a whole number", name, raw)
			}
			fv.SetInt(int64(n))
		case Duration:
			d, err := parseDuration(raw)
			if err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
			fv.SetInt(int64(d))
		case []string, []Secret:
			parts := strings.Split(raw, ",")
			list := reflect.MakeSlice(f.Type, 0, len(parts))
			for _, p := range parts {
				if p = strings.TrimSpace(p); p != "" {
					list = reflect.Append(list, reflect.ValueOf(p).Convert(f.Type.Elem()))
				}
			}
			fv.Set(list)
		default:
			return fmt.Errorf("%s: unsupported field type %s", name, f.Type)
		}
	}
	return nil
}

// anySet reports whether a variable of a section is set.
func anySet(prefix string, getenv func(string) string, t reflect.Type) bool {
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("env"); tag != "" && getenv(prefix+tag) != "" {
			return true
		}
	}
	return false
}

// readSecretFiles reads the secrets given as files (Docker and systemd
// secrets). A secret set both directly and as a file is ambiguous.
func (c *Config) readSecretFiles() error {
	one := func(key string, dst *Secret, file string) error {
		if file == "" {
			return nil
		}
		if *dst != "" {
			return fmt.Errorf("%s and %s_file are both set: keep one", key, key)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("%s_file: %w", key, err)
		}
		*dst = Secret(strings.TrimSpace(string(b)))
		if *dst == "" {
			return fmt.Errorf("%s_file: %s is empty", key, file)
		}
		return nil
	}
	if m := c.Mattermost; m != nil {
		if err := one("mattermost.bot_token", &m.BotToken, m.BotTokenFile); err != nil {
			return err
		}
		if err := one("mattermost.action_secret", &m.ActionSecret, m.ActionSecretFile); err != nil {
			return err
		}
		if m.CommandTokensFile != "" {
			if len(m.CommandTokens) > 0 {
				return fmt.Errorf("mattermost.command_tokens and mattermost.command_tokens_file are both set: keep one")
			}
			b, err := os.ReadFile(m.CommandTokensFile)
			if err != nil {
				return fmt.Errorf("mattermost.command_tokens_file: %w", err)
			}
			for _, line := range strings.Split(string(b), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					m.CommandTokens = append(m.CommandTokens, Secret(line))
				}
			}
		}
	}
	if s := c.Slack; s != nil {
		for _, x := range []struct {
			key  string
			dst  *Secret
			file string
		}{{"slack.bot_token", &s.BotToken, s.BotTokenFile}, {"slack.app_token", &s.AppToken, s.AppTokenFile}, {"slack.signing_secret", &s.SigningSecret, s.SigningSecretFile}} {
			if err := one(x.key, x.dst, x.file); err != nil {
				return err
			}
		}
	}
	return nil
}
