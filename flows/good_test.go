package flows_test

import "testing"

func TestGoodFixtures(t *testing.T) {
	cat := mustCompile(t, goodFiles(t)...)
	for _, id := range []string{"test/minimal", "test/engine"} {
		mustChain(t, cat, id)
	}
}
