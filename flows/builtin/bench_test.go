package builtin_test

import (
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// BenchmarkEvaluate evaluates every version of every builtin chain with no
// answer and with every question answered yes.
//
//	go test -run '^$' -bench Evaluate -benchmem ./flows/builtin/
func BenchmarkEvaluate(b *testing.B) {
	cat := mustCatalog(b)
	for _, id := range cat.IDs() {
		for _, c := range cat.Versions(id) {
			yes := map[string]flows.Answer{}
			for _, q := range c.Questions {
				yes[q.ID] = flows.Answer{Value: flows.Yes, At: now.Add(time.Hour)}
			}
			for _, tc := range []struct {
				name    string
				answers map[string]flows.Answer
			}{{"none", nil}, {"all-yes", yes}} {
				b.Run(id+"@"+c.Version+"/"+tc.name, func(b *testing.B) {
					in := flows.Input{T0: now, Answers: tc.answers}
					b.ReportAllocs()
					for b.Loop() {
						flows.Evaluate(c, in)
					}
				})
			}
		}
	}
}
