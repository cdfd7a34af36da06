package repofiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"electcheck/checker/risk"
	"electcheck/checker/sweep"
	"electcheck/model"
)

// The trade-off page's cells order as the election policies must: unclean
// elections lose at least as often as an operator who enables them after
// a while, who loses at least as often as clean elections; and offline
// time runs the other way. Read off the committed CSV (TestCatalogueUpToDate
// checks that it is the model's).
func TestTradeoffMonotone(t *testing.T) {
	for _, v := range tradeoffVariants {
		tradeoffMonotone(t, v)
	}
}

func tradeoffMonotone(t *testing.T, v tradeoffVariant) {
	plan, err := tradeoffPlan(v)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("../..", v.csv))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := sweep.ReadCSV(data, plan.NewReport(sweep.Shard{}))
	if err != nil {
		t.Fatal(err)
	}
	type figures struct{ p, offline float64 }
	by := map[string]map[string]figures{}
	for _, c := range rep.Cells {
		if c.Risk == nil || c.Risk.OfflineMinutesPerYear == nil {
			t.Fatalf("cell %v has no figures", c.Values)
		}
		base := strings.Join(c.Values[:3], " ")
		if by[base] == nil {
			by[base] = map[string]figures{}
		}
		by[base][c.Values[3]] = figures{c.Risk.PLoss, *c.Risk.OfflineMinutesPerYear}
	}
	const slack = 1e-9 // relative: the solves are exact, the order is not by construction
	pairs := 0
	for base, f := range by {
		clean, op, unclean := f["clean"], f["operator"], f["unclean"]
		if !(unclean.p >= op.p && op.p >= clean.p) {
			t.Errorf("%s %s: P(loss) unclean %g, operator %g, clean %g: not in that order", v.csv, base, unclean.p, op.p, clean.p)
		}
		if !(clean.offline >= op.offline*(1-slack) && op.offline >= unclean.offline*(1-slack)) {
			t.Errorf("%s %s: offline clean %g, operator %g, unclean %g min/yr: not in that order", v.csv, base, clean.offline, op.offline, unclean.offline)
		}
		if unclean.p > clean.p {
			pairs++
		}
	}
	if len(by) != 12 || pairs == 0 {
		t.Errorf("%d configurations, %d where unclean elections lose more: the order was never put to the test", len(by), pairs)
	}
}

// Over the preset's small cells (every RF 2 configuration): twice the
// crash rate never makes a loss less likely, and eligible leader replicas
// never make it more likely (each cell measured again with ELR off). The
// RF 3 cells take seconds each: ELECTCHECK_LONG=1 measures them too (all
// 36 cells, 90 s on two cores: twice the crash rate raised P(loss) in 12,
// ELR lowered it in 4 and raised it in 4, the operator cells with min ISR
// 1 of both replication factors).
func TestTradeoffMonotoneInRatesAndELR(t *testing.T) {
	long := os.Getenv("ELECTCHECK_LONG") != ""
	v := tradeoffVariants[0]
	plan, err := tradeoffPlan(v)
	if err != nil {
		t.Fatal(err)
	}
	measured, rose, elrHelped, elrRaised := 0, 0, 0, 0
	for _, cell := range plan.Cells {
		cfg := cell.Request.Kafka
		if cfg.ReplicationFactor != 2 && !long {
			continue
		}
		cfg.Consumer = false
		rates, err := plan.Sweep.Risk.Rates(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p := func(cfg model.Config, r risk.Rates) float64 {
			a, err := risk.Analyze(risk.Request{Config: cfg, Rates: r, Horizon: plan.Sweep.Risk.Horizon}, risk.Options{Workers: 2, Symmetry: true})
			if err != nil {
				t.Fatal(err)
			}
			return a.PLoss()
		}
		base := p(cfg, rates)
		more := rates
		more.Crash *= 2
		if twice := p(cfg, more); twice < base {
			t.Errorf("cell %d: P(loss) %g at twice the crash rate, %g at the rate", cell.Index, twice, base)
		} else if twice > base {
			rose++
		}
		off := cfg
		if err := off.Set("eligible.leader.replicas.version", "0"); err != nil {
			t.Fatal(err)
		}
		without := p(off, rates)
		switch {
		case cfg.OperatorMayEnableUnclean && without < base:
			// Found here: with an operator who enables unclean election
			// after half an hour offline, RF 2, min ISR 1, ELR raises
			// P(loss) by a millionth of itself (2.3261954e-6 with,
			// 2.3261930e-6 without; offline time the same to six digits).
			// On the most likely loss path (a follower crashes, the leader
			// commits alone, crashes, the follower restarts, the operator
			// enables unclean election) the controller elects the lagging
			// follower within a millisecond either way; if the last leader
			// restarts first, KIP-966's unclean-shutdown cleanup takes it
			// out of the ISR and ELR and the enabled unclean election
			// still takes the follower, where without ELR the last leader
			// is elected cleanly (model.TestELRRestartUnderOperatorUnclean).
			// A rule of ELR, then, not a modelling accident; docs/risk.md
			// says so. The "ELR never raises loss" holds but for it.
			rel := (base - without) / base
			if rel > 2e-6 || cfg.MinInsyncReplicas != 1 {
				t.Errorf("cell %d: P(loss) %g without eligible leader replicas, %g with (relative %g)", cell.Index, without, base, rel)
			}
			elrRaised++
			t.Logf("cell %d (RF %d, acks %v): ELR raises P(loss) from %.8g to %.8g (relative %.2g)", cell.Index, cfg.ReplicationFactor, cfg.Acks, without, base, rel)
		case without < base:
			t.Errorf("cell %d: P(loss) %g without eligible leader replicas, %g with", cell.Index, without, base)
		case without > base:
			elrHelped++
		}
		measured++
	}
	t.Logf("%d cells: twice the crash rate raised P(loss) in %d, ELR lowered it in %d and raised it in %d", measured, rose, elrHelped, elrRaised)
	// The two operator cells with min ISR 1 of each replication factor.
	if want := map[bool]int{false: 18, true: 36}[long]; measured != want || rose == 0 || elrRaised != want/9 {
		t.Errorf("%d cells measured, %d where the crash rate mattered: the order was never put to the test", measured, rose)
	}
}
