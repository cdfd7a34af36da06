package main

import (
	"runtime"
	"testing"

	"electcheck/explore"
	"electcheck/invariants"
	"electcheck/model"
)

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
	r := &checkRun{model: m, props: invariants.Properties()}
	spec := r.spec()
	var res explore.Result[model.State, model.Action]
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		res, err = explore.Run(spec, explore.Options{})
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
