package sweep

import (
	"bytes"
	"strings"
	"testing"

	"electcheck/checker"
)

// electionAxis is the histories preset's election policies.
var electionAxis = presets["histories"]().Bundles[0]

// simSweep is a small simulating sweep: acks × election on three
// replicas, min ISR 2, three records and two crashes (no power loss: with
// one, every cell loses data, TestSimulateFindsWhatSearchFinds).
func simSweep(tb testing.TB, walks int) Sweep {
	tb.Helper()
	sw := sweepOf(tb, map[string]string{"acks": "1,all", "replication.factor": "3", "min.insync.replicas": "2",
		"electcheck.records": "3", "electcheck.crashes": "2"}, electionAxis)
	sw.Simulate = &checker.SimulateOptions{Seed: 1, Walks: walks, Depth: 60}
	return sw
}

// A simulating sweep gives each cell simulate's figures: acknowledged
// records lost with acks=1 under every policy (lost-write among the
// anomalies); with acks=all, clean and ELR elections keep every history
// linearizable, and the unclean election loses acknowledged data with
// histories that are not linearizable. Pinned for seed 1, 2,000 walks of
// 60 steps.
func TestSweepSimulate(t *testing.T) {
	rep := runSweep(t, simSweep(t, 2000), Options{})
	if rep.Simulation == nil || rep.Simulation.Walks != 2000 || rep.Summary.Inferred != 0 || rep.Summary.Searched != 6 {
		t.Fatalf("simulation %+v, summary %+v", rep.Simulation, rep.Summary)
	}
	type pin struct {
		category    string
		notLin      int
		lostWrite   int
		ackedBroken int
	}
	want := map[string]pin{
		"1 clean":     {LosesAcked, 860, 336, 505},
		"1 elr":       {LosesAcked, 868, 343, 510},
		"1 unclean":   {LosesAcked, 893, 360, 535},
		"all clean":   {Linearizable, 0, 0, 0},
		"all elr":     {Linearizable, 0, 0, 0},
		"all unclean": {LosesAcked, 2, 0, 2},
	}
	for _, c := range rep.Cells {
		s := c.Simulation
		key := strings.Join(c.Values, " ")
		got := pin{c.Category, s.NotLinearizable, s.Anomalies["lost-write"], s.Violations["acked-records-durable"]}
		if got != want[key] {
			t.Errorf("%s: %+v, want %+v", key, got, want[key])
		}
		if s.Walks != 2000 || s.Linearizable+s.NotLinearizable+s.Inconclusive != 2000 || c.Command != "simulate" || c.GeneratedStates != s.Steps {
			t.Errorf("%s: %d walks, %d+%d+%d histories, command %s", key, s.Walks, s.Linearizable, s.NotLinearizable, s.Inconclusive, c.Command)
		}
		// Each broken property is a violation, with the walks and the
		// fewest steps that broke it.
		if len(c.Violations) != len(s.Violations) {
			t.Errorf("%s: violations %v for %v", key, c.Violations, s.Violations)
		}
		for _, v := range c.Violations {
			if v.TraceLength != s.ShortestViolation[v.Property]+1 || !strings.Contains(v.Message, "of 2000 walks") {
				t.Errorf("%s: %+v", key, v)
			}
		}
	}
	// The witness that the linearizable cells reached what could break
	// them: their walks took as many steps as the others', and sent and
	// acknowledged (the acks=all clean cell saw unseen acknowledged sends
	// when it ended offline).
	for _, c := range rep.Cells {
		if c.Category == Linearizable && c.Simulation.Steps < 80_000 {
			t.Errorf("%v: only %d steps", c.Values, c.Simulation.Steps)
		}
	}
	text := render(t, rep, "text")
	for _, s := range []string{"histories lin/not/?", "LOSES ACKED", "linearizable", "cells simulated", "evidence, not a proof"} {
		if !strings.Contains(text, s) {
			t.Errorf("the text lacks %q:\n%s", s, text)
		}
	}
}

// A simulating sweep's output is the same for the same seed, from the
// cache, and merged from shards; another seed walks otherwise.
func TestSweepSimulateDeterministic(t *testing.T) {
	cache := t.TempDir()
	var last Progress
	opts := Options{CacheDir: cache, Progress: func(p Progress) { last = p }}
	first := runSweep(t, simSweep(t, 200), opts).WithoutTimings()
	if last.Searched != 6 || last.Cached != 0 {
		t.Fatalf("first run: %+v", last)
	}
	second := runSweep(t, simSweep(t, 200), opts).WithoutTimings()
	if last.Cached != 6 {
		t.Fatalf("second run: %+v", last)
	}
	fresh := runSweep(t, simSweep(t, 200), Options{}).WithoutTimings()
	var shards []*Report
	for i := 0; i < 2; i++ {
		r := runSweep(t, simSweep(t, 200), Options{Shard: Shard{I: i, N: 2}})
		back, err := ReadReport([]byte(render(t, r, "json")))
		if err != nil {
			t.Fatal(err)
		}
		shards = append(shards, back)
	}
	merged, err := Merge(shards)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "text", "csv", "markdown"} {
		a := render(t, first, format)
		for name, r := range map[string]*Report{"cached": second, "uncached": fresh, "merged": merged.WithoutTimings()} {
			if b := render(t, r, format); a != b {
				t.Errorf("%s, %s: differs from the first run:\n%s\n---\n%s", format, name, a, b)
			}
		}
	}
	other := simSweep(t, 200)
	other.Simulate.Seed = 2
	rep := runSweep(t, other, opts)
	if last.Cached != 0 || rep.SweepID == first.SweepID {
		t.Errorf("seed 2 came from seed 1's cache (%+v) or has its id", last)
	}
	// A simulating sweep's shards do not merge with a searching sweep's.
	searching := runSweep(t, sweepOf(t, map[string]string{"acks": "1,all", "electcheck.records": "1", "electcheck.crashes": "1"}), Options{Shard: Shard{I: 1, N: 2}})
	if _, err := Merge([]*Report{shards[0], searching}); err == nil {
		t.Error("merged a simulating shard with a searching one")
	}
}

// A report whose cells are simulated in a searching sweep, or searched in
// a simulating one, does not read.
func TestSweepSimulateReportMixed(t *testing.T) {
	rep := runSweep(t, simSweep(t, 10), Options{})
	rep.Cells[0].Simulation = nil
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadReport(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("mixed report: %v", err)
	}
}

// The histories preset simulates, and its cells are valid.
func TestHistoriesPreset(t *testing.T) {
	spec, _, err := Preset("histories")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := spec.Sweep()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := sw.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Cells) != 18 || len(plan.Skipped) != 0 || PresetSimulation("histories") == nil || PresetSimulation("durability") != nil {
		t.Errorf("%d cells, %d skipped", len(plan.Cells), len(plan.Skipped))
	}
}
