package main

import (
	"flag"
	"runtime"
	"testing"

	"electcheck/explore"
	"electcheck/invariants"
	"electcheck/model"
	"electcheck/model/tlareplication"
)

// benchWorkers is the number of workers the benchmarks use:
// -args -workers N (default 1, to measure one core).
var benchWorkers = 1

func init() {
	flag.IntVar(&benchWorkers, "workers", 1, "workers for the benchmarks")
}

// BenchmarkCheckDefault measures `electcheck check` on the default
// configuration, every property and witness included:
//
//	go test ./cmd/electcheck -run '^$' -bench CheckDefault -benchtime 3x
//
// It reports distinct states per second, the bytes the visited set and
// parent links hold per state, and the bytes allocated per state.
func BenchmarkCheckDefault(b *testing.B) {
	m, err := model.New(model.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	c := &kafkaChecker{model: m, props: invariants.Properties()}
	spec := c.spec()
	var res explore.Result[model.State, model.Action]
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		res, err = explore.Run(spec, explore.Options{Workers: benchWorkers})
		if err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	st := res.Stats
	b.ReportMetric(float64(st.Distinct), "states")
	b.ReportMetric(st.StatesPerSecond(), "states/s")
	b.ReportMetric(float64(st.VisitedBytes)/float64(st.Distinct), "visited-B/state")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(st.Distinct), "alloc-B/state")
}

// BenchmarkKip320Complete is the complete search of the TLA+ port's Kip320
// variant with the reference constants and StrongIsr, the run TLC needs
// about a minute for on one worker (docs/cross-check.md):
//
//	go test ./cmd/electcheck -run '^$' -bench Kip320Complete -benchtime 5x
//
// It reports distinct states per second, bytes of the visited set per
// state, and the memory the Go runtime obtained from the OS (an upper
// bound on the peak).
func BenchmarkKip320Complete(b *testing.B) {
	m, err := tlareplication.New(tlareplication.Kip320, tlareplication.DefaultConstants())
	if err != nil {
		b.Fatal(err)
	}
	c := &tlaChecker{model: m, props: tlareplication.Properties()[:1]}
	var o *outcome
	for b.Loop() {
		if o, err = c.check(explore.Options{Workers: benchWorkers}); err != nil {
			b.Fatal(err)
		}
	}
	if o.stats.Distinct != 737794 {
		b.Fatalf("distinct states %d, want TLC's 737794", o.stats.Distinct)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(o.stats.Distinct), "states")
	b.ReportMetric(o.stats.StatesPerSecond(), "states/s")
	b.ReportMetric(float64(o.stats.VisitedBytes)/float64(o.stats.Distinct), "visited-B/state")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
}
