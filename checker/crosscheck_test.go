package checker

import (
	"fmt"
	"slices"
	"testing"

	"electcheck/explore"
	"electcheck/model/tlareplication"
)

// tlcFigure is what TLC 2.20 reports for one variant, constants and
// invariant (docs/cross-check.md). For a violation, length is the shortest
// trace in states; for a complete search, distinct, generated and depth
// are TLC's totals. Every number here was read off a TLC run; a change to
// one is a disagreement with TLC, not a decision.
type tlcFigure struct {
	variant   tlareplication.Variant
	consts    tlareplication.Constants
	invariant string // "" for a complete search without invariants
	violated  bool
	length    int
	distinct  int64
	generated int64
	depth     int
}

var (
	reference = tlareplication.DefaultConstants()
	// twoReplicas is the second setting checked against TLC: two replicas,
	// a larger epoch bound. Kip279 and Kip320FirstTry hold here.
	twoReplicas = tlareplication.Constants{Replicas: 2, LogSize: 2, MaxRecords: 2, MaxLeaderEpoch: 3}
	// longerLogs is the third: three replicas with three-entry logs.
	longerLogs = tlareplication.Constants{Replicas: 3, LogSize: 3, MaxRecords: 3, MaxLeaderEpoch: 2}
)

var tlcFigures = []tlcFigure{
	// The reference constants (docs/cross-check.md's first table): StrongIsr.
	{tlareplication.HWTruncation, reference, "strong-isr", true, 9, 0, 0, 0},
	{tlareplication.Kip101, reference, "strong-isr", true, 11, 0, 0, 0},
	{tlareplication.Kip279, reference, "strong-isr", true, 11, 0, 0, 0},
	{tlareplication.Kip320FirstTry, reference, "strong-isr", true, 13, 0, 0, 0},
	{tlareplication.Kip320, reference, "strong-isr", false, 0, 737794, 1967560, 26},
	// WeakIsr and LeaderInIsr.
	{tlareplication.HWTruncation, reference, "weak-isr", true, 9, 0, 0, 0},
	{tlareplication.Kip101, reference, "weak-isr", true, 11, 0, 0, 0},
	{tlareplication.Kip279, reference, "weak-isr", true, 11, 0, 0, 0},
	{tlareplication.Kip320FirstTry, reference, "weak-isr", true, 12, 0, 0, 0},
	{tlareplication.Kip320, reference, "weak-isr", false, 0, 737794, 1967560, 26},
	{tlareplication.HWTruncation, reference, "leader-in-isr", true, 1, 0, 0, 0},
	{tlareplication.Kip320, reference, "leader-in-isr", true, 1, 0, 0, 0},
	// Complete searches without invariants.
	{tlareplication.HWTruncation, reference, "", false, 0, 1988158, 7491589, 28},
	{tlareplication.Kip101, reference, "", false, 0, 1613089, 5796838, 26},
	{tlareplication.Kip279, reference, "", false, 0, 1616461, 6718690, 26},
	{tlareplication.Kip320FirstTry, reference, "", false, 0, 1437076, 4966921, 28},
	{tlareplication.Kip320, reference, "", false, 0, 737794, 1967560, 26},
	// Two replicas, MaxLeaderEpoch = 3, StrongIsr.
	{tlareplication.HWTruncation, twoReplicas, "strong-isr", true, 10, 0, 0, 0},
	{tlareplication.Kip101, twoReplicas, "strong-isr", true, 12, 0, 0, 0},
	{tlareplication.Kip279, twoReplicas, "strong-isr", false, 0, 53099, 152513, 21},
	{tlareplication.Kip320FirstTry, twoReplicas, "strong-isr", false, 0, 46465, 118881, 21},
	{tlareplication.Kip320, twoReplicas, "strong-isr", false, 0, 28939, 59571, 22},
	// Three replicas with three-entry logs: Kip320 holds over four million
	// states (TLC: 5 min 12 s on one worker).
	{tlareplication.Kip320, longerLogs, "strong-isr", false, 0, 4093531, 11663770, 31},
}

// TestTLCFigures checks every figure. The figures that hold on one
// (variant, constants) share a search: with every such invariant checked
// at once and none violated, the search is complete and visits the same
// states as a search of each alone, or of none.
func TestTLCFigures(t *testing.T) {
	type space struct {
		v tlareplication.Variant
		c tlareplication.Constants
	}
	holding := map[space][]string{}
	for _, f := range tlcFigures {
		if !f.violated && f.invariant != "" {
			k := space{f.variant, f.consts}
			holding[k] = append(holding[k], f.invariant)
		}
	}
	searched := map[space]*Outcome{}
	search := func(t *testing.T, f tlcFigure) *Outcome {
		k := space{f.variant, f.consts}
		if o := searched[k]; o != nil && !f.violated {
			return o
		}
		m, err := tlareplication.New(f.variant, f.consts)
		if err != nil {
			t.Fatal(err)
		}
		names := []string{f.invariant}
		if !f.violated {
			names = holding[k]
		}
		r, err := newTLARun(&Request{TLA: TLASpec{Variant: m.Variant(), Constants: m.Constants()}, Properties: names}, &Search{})
		if err != nil {
			t.Fatal(err)
		}
		if len(names) == 0 {
			r.props = nil // a complete search, as TLC's without invariants
		}
		o, err := checkTLARun(r, (&Search{}).options())
		if err != nil {
			t.Fatal(err)
		}
		if !f.violated {
			searched[k] = o
		}
		return o
	}
	for _, f := range tlcFigures {
		name := fmt.Sprintf("%s/%d-%d-%d-%d/%s", f.variant, f.consts.Replicas, f.consts.LogSize, f.consts.MaxRecords, f.consts.MaxLeaderEpoch, f.invariant)
		t.Run(name, func(t *testing.T) {
			if testing.Short() && f.distinct > 1_000_000 {
				t.Skip("large state space; run without -short")
			}
			o := search(t, f)
			if f.violated {
				if o.Verdict != explore.Violation || len(o.Violations) != 1 || o.Violations[0].Length != f.length {
					t.Fatalf("verdict %v, violations %d; want %s violated in %d states", o.Verdict, len(o.Violations), f.invariant, f.length)
				}
				return
			}
			if o.Verdict != explore.OK || !o.Complete || f.invariant != "" && !slices.Contains(o.Properties, f.invariant) {
				t.Fatalf("verdict %v complete %v, properties %v; want a complete search in which %q holds", o.Verdict, o.Complete, o.Properties, f.invariant)
			}
			if o.Stats.Distinct != f.distinct || o.Stats.Generated != f.generated || o.Stats.Depth != f.depth {
				t.Errorf("distinct %d, generated %d, depth %d; TLC: %d, %d, %d",
					o.Stats.Distinct, o.Stats.Generated, o.Stats.Depth, f.distinct, f.generated, f.depth)
			}
		})
	}
}
