package risk

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The same seed gives the same result, bit for bit, whatever the number
// of workers; another seed another.
func TestSimDeterministic(t *testing.T) {
	c := likelyCase(t)
	opts := SimOptions{Runs: 5000, Seed: 42, Bias: 0.5, StartBias: 0.25, Workers: 1}
	one := simulate(t, c, opts)
	for _, w := range []int{2, 3, 8} {
		opts.Workers = w
		if got := simulate(t, c, opts); !reflect.DeepEqual(got, one) {
			t.Errorf("%d workers: %+v\none worker: %+v", w, got.PLost, one.PLost)
		}
	}
	opts.Seed = 43
	if other := simulate(t, c, opts); other.PLost == one.PLost {
		t.Errorf("seeds 42 and 43 give the same estimate %+v", one.PLost)
	}
}

// Shards merged, in any order and through JSON, are exactly the
// unsharded simulation; shards that do not belong together are refused.
func TestSimShardsMerge(t *testing.T) {
	c := likelyCase(t)
	for _, bias := range []float64{0, 0.5} {
		opts := SimOptions{Runs: 3001, Seed: 9, Bias: bias, Workers: 2}
		whole := simulate(t, c, opts)
		var parts []*SimResult
		for _, shard := range []int{2, 0, 1} {
			opts.Shard, opts.Shards = shard, 3
			back, _ := throughJSON(t, simulate(t, c, opts))
			parts = append(parts, back)
		}
		if parts[0].Complete() || parts[0].Runs != 1000 {
			t.Errorf("shard 2 of 3: %d runs, complete %v", parts[0].Runs, parts[0].Complete())
		}
		merged, err := MergeSims(parts)
		if err != nil {
			t.Fatal(err)
		}
		if !merged.Complete() || merged.Shards != 3 || !reflect.DeepEqual(merged.Parts, []int{0, 1, 2}) {
			t.Errorf("merged: shards %d, parts %v", merged.Shards, merged.Parts)
		}
		merged.Shards, merged.Parts = 1, []int{0}
		if !reflect.DeepEqual(merged, whole) {
			t.Errorf("bias %g: merged %+v\nwhole %+v", bias, merged, whole)
		}
		if _, err := MergeSims([]*SimResult{parts[0], parts[0]}); err == nil {
			t.Error("a shard merged twice")
		}
		opts.Shard, opts.Seed = 0, 10
		if _, err := MergeSims([]*SimResult{parts[0], simulate(t, c, opts)}); err == nil {
			t.Error("shards of two seeds merged")
		}
	}
}

// Shards of a rare loss, most of them without a loss (an estimate of 0,
// an infinite relative half-width), go through JSON and merge exactly.
func TestSimShardsWithoutLosses(t *testing.T) {
	c := laggingCase(t)
	opts := SimOptions{Runs: 4000, Seed: 3, Workers: 2}
	whole := simulate(t, c, opts)
	var parts []*SimResult
	zero := 0
	for shard := range 8 {
		opts.Shard, opts.Shards = shard, 8
		p := simulate(t, c, opts)
		if p.LostRuns == 0 {
			zero++
		}
		back, b := throughJSON(t, p)
		if !reflect.DeepEqual(back, p) {
			t.Fatalf("shard %d changed through JSON: %s", shard, b)
		}
		parts = append(parts, back)
	}
	merged, err := MergeSims(parts)
	if err != nil {
		t.Fatal(err)
	}
	merged.Shards, merged.Parts = 1, []int{0}
	if zero == 0 || !reflect.DeepEqual(merged, whole) {
		t.Errorf("%d shards without a loss; merged %+v, whole %+v", zero, merged.PLost, whole.PLost)
	}
}

// What risk merge reads, a user hands over: the reader and the merge
// never panic on any bytes, and their errors are one line. Seeded with two
// real shards.
func FuzzMergeReports(f *testing.F) {
	cfg := small(f, "unclean.leader.election.enable=true")
	req := Request{Config: cfg, Rates: crashesOnly(cfg), Horizon: hoursPerYear}
	for i := range 2 {
		s, err := Simulate(req, SimOptions{Runs: 200, Seed: 1, Bias: 0.5, Shard: i, Shards: 2, Workers: 1})
		if err != nil {
			f.Fatal(err)
		}
		rep, err := NewSimReport(req, s, 0)
		if err != nil {
			f.Fatal(err)
		}
		data, err := json.Marshal(rep)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, data)
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var parts []*Report
		for _, data := range [][]byte{a, b} {
			r, err := ReadReport(data)
			if err != nil {
				if strings.Contains(err.Error(), "\n") {
					t.Fatalf("multi-line error %q", err)
				}
				return
			}
			parts = append(parts, r)
		}
		if m, err := MergeReports(parts); err == nil {
			var sb strings.Builder
			m.WriteText(&sb)
			_ = m.WriteJSON(&sb)
		} else if strings.Contains(err.Error(), "\n") {
			t.Fatalf("multi-line error %q", err)
		}
	})
}

// throughJSON is p written as JSON and read back, with the JSON.
func throughJSON(tb testing.TB, p *SimResult) (*SimResult, []byte) {
	tb.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		tb.Fatal(err)
	}
	var back SimResult
	if err := json.Unmarshal(b, &back); err != nil {
		tb.Fatal(err)
	}
	return &back, b
}
