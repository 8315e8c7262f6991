package bot

import (
	"slices"
	"testing"
)

// TestParsedVerbsListed: every verb a command parses to (each word of
// verbs, and help for an empty command) is one Verbs lists, so that the
// verb a Command reports after parsing exists in the metrics from the
// start.
func TestParsedVerbsListed(t *testing.T) {
	listed := Verbs()
	for word, verb := range verbs {
		if !slices.Contains(listed, verb) {
			t.Errorf("%q parses to %q, which Verbs does not list", word, verb)
		}
		if handlers[verb] == nil {
			t.Errorf("%q parses to %q, which has no handler", word, verb)
		}
	}
	if !slices.Contains(listed, "help") {
		t.Errorf("Verbs lacks help, the verb of an empty command")
	}
}
