package history

import (
	"math/rand/v2"
	"testing"
)

// TestAcyclicByTimeAgreesWithSearch: wherever acyclicByTime spares the
// search, the search finds no cycle. The histories are kafkaLike's
// (correct logs), and the same with some polls' records replaced by
// values sent anywhere in the history, later ones included: reads from the
// future, which make the G1c-realtime cycles the shortcut must leave to
// the search.
func TestAcyclicByTimeAgreesWithSearch(t *testing.T) {
	const seed = 41
	rng := rand.New(rand.NewPCG(seed, 3))
	spared, searched, cyclic := 0, 0, 0
	for round := range 200 {
		ops := kafkaLike(t, rng, 1+rng.IntN(5), 1+rng.IntN(3), 5+rng.IntN(60))
		if round%2 == 1 {
			futureReads(rng, ops)
		}
		for _, opts := range []AnalyzeOptions{{}, {Order: OrderNone}} {
			a := newAnalysis(ops)
			found := len(a.buildGraph(opts).cycles())
			if found > 0 {
				cyclic++
			}
			if a.acyclicByTime(opts) {
				spared++
				if found > 0 {
					t.Fatalf("seed %d, round %d, %+v: acyclicByTime, but the search finds %d cycles", seed, round, opts, found)
				}
			} else {
				searched++
			}
		}
	}
	if spared == 0 || searched == 0 || cyclic == 0 {
		t.Fatalf("seed %d: %d histories spared the search, %d searched, %d cyclic: the test lost its cases", seed, spared, searched, cyclic)
	}
	for _, opts := range []AnalyzeOptions{{WWDeps: true}, {RWDeps: true}, {Order: OrderProcess}} {
		if newAnalysis(kafkaLike(t, rng, 2, 1, 10)).acyclicByTime(opts) {
			t.Errorf("acyclicByTime with %+v: the argument holds for wr and realtime edges only", opts)
		}
	}
}

// futureReads replaces the value of about one record in four that the
// history's polls read with a value sent anywhere in it.
func futureReads(rng *rand.Rand, ops []Operation) {
	var sent []int64
	for _, op := range ops {
		for _, m := range op.Call.Mops {
			if m.F == FSend {
				sent = append(sent, m.Value)
			}
		}
	}
	if len(sent) == 0 {
		return
	}
	for _, op := range ops {
		if op.Ret == nil {
			continue
		}
		for _, m := range op.Ret.Mops {
			for _, kr := range m.Reads {
				for i := range kr.Records {
					if rng.IntN(4) == 0 {
						kr.Records[i].Value = sent[rng.IntN(len(sent))]
					}
				}
			}
		}
	}
}
