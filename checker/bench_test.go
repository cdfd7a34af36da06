package checker

import (
	"flag"
	"runtime"
	"testing"

	"electcheck/explore"
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
//	go test ./checker -run '^$' -bench CheckDefault -benchtime 3x
//
// It reports distinct states per second, the bytes the visited set and
// parent links hold per state, and the bytes allocated per state. Like
// check, it searches one state per renaming of the brokers.
func BenchmarkCheckDefault(b *testing.B) {
	req := NewRequest()
	r, err := newKafkaRun(&req, &Search{})
	if err != nil {
		b.Fatal(err)
	}
	spec := r.spec()
	var res explore.Result[model.State, model.Action]
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		res, err = explore.Run(spec, explore.Options{Workers: benchWorkers, Symmetry: r.symmetry})
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
//	go test ./checker -run '^$' -bench Kip320Complete -benchtime 5x
//
// It reports distinct states per second, bytes of the visited set per
// state, and the memory the Go runtime obtained from the OS (an upper
// bound on the peak).
func BenchmarkKip320Complete(b *testing.B) {
	req := NewRequest()
	req.Model, req.TLA.Variant, req.Properties = ModelTLA, tlareplication.Kip320, []string{"strong-isr"}
	var o *Outcome
	var err error
	for b.Loop() {
		if o, err = Check(req, Search{Workers: benchWorkers}); err != nil {
			b.Fatal(err)
		}
	}
	if o.Stats.Distinct != 737794 {
		b.Fatalf("distinct states %d, want TLC's 737794", o.Stats.Distinct)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(o.Stats.Distinct), "states")
	b.ReportMetric(o.Stats.StatesPerSecond(), "states/s")
	b.ReportMetric(float64(o.Stats.VisitedBytes)/float64(o.Stats.Distinct), "visited-B/state")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
}

// BenchmarkSimulateRF5: simulate's steps per second on five replicas,
// min.insync.replicas 3, four records, three crashes, each walk's history
// checked by both linearizability checkers:
//
//	go test ./checker -run '^$' -bench SimulateRF5
func BenchmarkSimulateRF5(b *testing.B) {
	benchSimulateRF5(b, SimulateOptions{Seed: 1, Walks: 1000, Depth: 100, Workers: benchWorkers})
}

// BenchmarkSimulateRF5Afresh is BenchmarkSimulateRF5 with every walk's
// history judged afresh: none of the 660 repeats among the 1,000 walks
// answered from memory.
func BenchmarkSimulateRF5Afresh(b *testing.B) {
	benchSimulateRF5(b, SimulateOptions{Seed: 1, Walks: 1000, Depth: 100, Workers: benchWorkers, forget: true})
}

func benchSimulateRF5(b *testing.B, opts SimulateOptions) {
	req, err := KafkaRequest(Settings{"replication.factor=5", "min.insync.replicas=3", "electcheck.records=4", "electcheck.crashes=3"})
	if err != nil {
		b.Fatal(err)
	}
	var rep *SimulateReport
	var steps int64
	var seconds float64
	for b.Loop() {
		if rep, err = Simulate(req, opts); err != nil {
			b.Fatal(err)
		}
		steps, seconds = steps+rep.Steps, seconds+rep.Seconds
	}
	// simulate's own figure, over every run of the loop rather than the
	// last one's; and per worker (with -workers 2, per core).
	b.ReportMetric(float64(steps)/seconds, "steps/s")
	b.ReportMetric(float64(steps)/seconds/float64(max(opts.Workers, 1)), "steps/s/worker")
	b.ReportMetric(float64(rep.Steps), "steps")
}

// BenchmarkSimulateWalksRF5 is simulate's random-walk core alone on the
// same configuration as BenchmarkSimulateRF5: the walks and the invariants
// on every state, no client histories.
//
//	go test ./checker -run '^$' -bench SimulateWalksRF5
func BenchmarkSimulateWalksRF5(b *testing.B) {
	req, err := KafkaRequest(Settings{"replication.factor=5", "min.insync.replicas=3", "electcheck.records=4", "electcheck.crashes=3"})
	if err != nil {
		b.Fatal(err)
	}
	r, err := newKafkaRun(&req, &Search{})
	if err != nil {
		b.Fatal(err)
	}
	var st explore.SimStats
	for b.Loop() {
		st, err = explore.Simulate(r.spec(), explore.SimOptions{Seed: 1, Walks: 1000, MaxDepth: 100},
			func(*explore.Walk[model.State, model.Action]) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Steps)/st.Elapsed.Seconds(), "steps/s")
	b.ReportMetric(float64(st.Steps), "steps")
}
