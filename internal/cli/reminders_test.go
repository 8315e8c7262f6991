package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/internal/config"
)

func TestRemindConfig(t *testing.T) {
	cat := mustCatalog(t)
	rc, err := remindConfig(config.Reminders{PointEvery: "3h", Steps: map[string]config.StepReminder{
		"cnil": {At: []string{"12h", "60h"}, EscalateAfter: "1h"},
	}}, cat, "")
	if err != nil {
		t.Fatal(err)
	}
	if rc.PointEvery != 3*time.Hour || rc.OverdueEvery != time.Hour || len(rc.Steps["cnil"].At) != 2 || rc.Steps["cnil"].At[1] != 60*time.Hour {
		t.Fatalf("%+v", rc)
	}
	for _, tc := range []struct {
		r    config.Reminders
		want string
	}{
		{config.Reminders{Reask: "bientôt"}, `reminders.reask: bad duration "bientôt"`},
		{config.Reminders{Steps: map[string]config.StepReminder{"cnill": {Every: "1h"}}}, `reminders.steps.cnill: no chain has a step "cnill"`},
		{config.Reminders{Steps: map[string]config.StepReminder{"cnil": {At: []string{"x"}}}}, `reminders.steps.cnil.at: bad duration "x"`},
	} {
		if _, err := remindConfig(tc.r, cat, ""); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.r, err, tc.want)
		}
	}
}
