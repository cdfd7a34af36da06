package risk

import (
	"os"
	"testing"

	"electcheck/explore"
	"electcheck/model"
)

// BenchmarkBuildIncident measures what building the incident chain costs
// over searching the same chain model: "search" explores it with no graph,
// "graph" builds the chain (ids, rows, the builder). Their ratio is the
// graph's cost; the whole process's peak memory of each (run one at a
// time, /usr/bin/time) is the chain's memory beyond the explorer's. The
// default configuration, crashes only; with ELECTCHECK_BENCH_POWER_LOSS=1
// also a power loss an incident (5.77 M states, some 20 s a build).
func BenchmarkBuildIncident(b *testing.B) {
	cfg := model.DefaultConfig()
	cfg.Consumer = false
	rates := crashesOnly(cfg)
	if os.Getenv("ELECTCHECK_BENCH_POWER_LOSS") != "" {
		cfg.Bounds.PowerLosses = 1
		rates.PowerLoss = 0.1 / hoursPerYear
	}
	opts := Options{Workers: 2, Symmetry: true}
	a, err := faultFree(Request{Config: cfg, Rates: rates, Horizon: hoursPerYear}, opts)
	if err != nil {
		b.Fatal(err)
	}
	labels := []func(*rstate) bool{tagLabel(startState), tagLabel(lostState), tagLabel(healedState),
		tagLabel(truncatedState), offlineLabel, refusedLabel(a.incModel.m)}
	b.Run("search", func(b *testing.B) {
		for range b.N {
			res, err := explore.Run(explore.Spec[rstate, raction]{Model: a.incModel}, explore.Options{Workers: 2, Symmetry: true})
			if err != nil || !res.Complete {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Stats.Distinct), "states")
		}
	})
	b.Run("graph", func(b *testing.B) {
		for range b.N {
			bc, err := build(a.incModel, incidentLabels, labels, false, opts, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(bc.chain.N()), "states")
			b.ReportMetric(float64(bc.chain.Transitions()), "transitions")
		}
	})
}

// BenchmarkAnalyzeDefault is risk on the default configuration at the
// default rates (those with a budget): both chains, the solves.
func BenchmarkAnalyzeDefault(b *testing.B) {
	cfg := model.DefaultConfig()
	cfg.Consumer = false
	r := DefaultRates(cfg)
	r.WithoutUnbudgeted(cfg.Bounds)
	for range b.N {
		analyze(b, cfg, r)
	}
}
