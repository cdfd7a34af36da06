package repofiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"electcheck/checker/sweep"
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
