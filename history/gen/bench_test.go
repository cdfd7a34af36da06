package gen

import (
	"testing"
	"time"

	"electcheck/history"
)

// BenchmarkJepsenSized analyses a Jepsen-sized history (Default: 50,000
// operations over 100 keys from 20 processes, a fifth transactions),
// made before the clock starts: pairing, Jepsen's anomalies, and
// linearizability by both checkers (porcupine bounded by 10 s).
func BenchmarkJepsenSized(b *testing.B) {
	h, err := Generate(Default(1))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		ops, err := h.Pair()
		if err != nil {
			b.Fatal(err)
		}
		all := history.Analyze(ops)
		lin, err := history.Linearize(ops, 10*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(ops)), "operations")
		b.ReportMetric(float64(len(all)), "anomalies")
		b.ReportMetric(lin.PorcupineTime.Seconds(), "porcupine-s")
		if lin.Linearizable == nil {
			b.ReportMetric(0, "porcupine-answered")
		} else {
			b.ReportMetric(1, "porcupine-answered")
		}
	}
}
