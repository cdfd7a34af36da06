package history

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

// BenchmarkFastChecker: the fast checker on a history of about 100,000
// operations by 64 clients on one key (the static pass included):
//
//	go test ./history -run '^$' -bench FastChecker -cpu 1
func BenchmarkFastChecker(b *testing.B) {
	h := simulatedHistory(rand.New(rand.NewPCG(1, 1)), 64, 365_000, false)
	ops, err := h.Pair()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		a := newAnalysis(ops)
		for _, l := range a.keyLogs() {
			if l.static != "" {
				b.Fatal(l.static)
			}
			if why := fastCheck(l.ops); why != "" {
				b.Fatal(why)
			}
		}
	}
	b.ReportMetric(float64(len(ops)), "operations")
}

// BenchmarkPorcupine: porcupine on the same kind of history, growing, with
// a 10 s limit; it reports the operations checked and whether it
// answered (1) or ran out of time (0). With 64 clients its search grows
// fast with the history; with 8 it answers far larger ones.
func BenchmarkPorcupine(b *testing.B) {
	for _, c := range []struct{ clients, steps int }{{64, 800}, {64, 1_600}, {64, 3_200}, {8, 40_000}} {
		b.Run(fmt.Sprintf("%d-clients-%d-steps", c.clients, c.steps), func(b *testing.B) {
			h := simulatedHistory(rand.New(rand.NewPCG(1, 1)), c.clients, c.steps, false)
			ops, _ := h.Pair()
			a := newAnalysis(ops)
			var all []porcupine.Operation
			for _, l := range a.keyLogs() {
				all = append(all, l.ops...)
			}
			var res porcupine.CheckResult
			for b.Loop() {
				res, _ = porcupine.CheckOperationsVerbose(logModel, all, 10*time.Second)
			}
			b.ReportMetric(float64(len(ops)), "operations")
			answered := 0.0
			if res != porcupine.Unknown {
				answered = 1
			}
			b.ReportMetric(answered, "answered")
		})
	}
}
