package sweep

import (
	"reflect"
	"testing"

	"electcheck/model"
)

// A correlated power loss is a bound like the others: a cell allowed one
// is not decided by a cell that is not, however its other bounds compare.
func TestSweepBoundsIncludeCorrelatedPowerLosses(t *testing.T) {
	if n := reflect.TypeOf(model.Bounds{}).NumField(); n != numBounds {
		t.Fatalf("model.Bounds has %d fields, the sweep compares %d", n, numBounds)
	}
	plan, err := sweepOf(t, map[string]string{"electcheck.records": "1", "electcheck.crashes": "1", "electcheck.correlated.power.losses": "0,1"}).Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Cells) != 2 || plan.Groups != 1 {
		t.Fatalf("%d cells in %d groups, want 2 in 1", len(plan.Cells), plan.Groups)
	}
	without, with := &plan.Cells[0], &plan.Cells[1]
	if !without.within(with) || with.within(without) {
		t.Errorf("without within with: %t; with within without: %t; want true, false", without.within(with), with.within(without))
	}
}
