package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
)

// ReadReport reads a sweep's JSON report (sweep --format json). The
// error says, in one line, why the data is not one.
func ReadReport(data []byte) (*Report, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Report
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("not a sweep report (electcheck sweep --format json): %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("not a sweep report: data after the JSON object")
	}
	if r.Command != "sweep" || r.SweepID == "" {
		return nil, fmt.Errorf("not a sweep report (electcheck sweep --format json): command %q", r.Command)
	}
	if r.Shard != "" {
		if _, err := ParseShard(r.Shard); err != nil {
			return nil, fmt.Errorf("the report's shard %q is not I/N", r.Shard)
		}
	}
	seen := map[int]bool{}
	check := func(cell int, values []string) error {
		if cell < 0 || seen[cell] {
			return fmt.Errorf("cell %d is listed twice or is negative", cell)
		}
		seen[cell] = true
		if len(values) != len(r.Axes) {
			return fmt.Errorf("cell %d has %d values for %d axes", cell, len(values), len(r.Axes))
		}
		for i, v := range values {
			if indexOf(r.Axes[i].Values, v) < 0 {
				return fmt.Errorf("cell %d: %q is not a value of the axis %s", cell, v, r.Axes[i].Name)
			}
		}
		return nil
	}
	for _, c := range r.Cells {
		if err := check(c.Cell, c.Values); err != nil {
			return nil, err
		}
		if _, ok := categoryOf(c.Category); !ok || c.Category == Skipped {
			return nil, fmt.Errorf("cell %d: unknown category %q", c.Cell, c.Category)
		}
		if (c.Simulation != nil) != (r.Simulation != nil) {
			return nil, fmt.Errorf("cell %d: a simulating sweep's cells are simulated, a searching sweep's searched: not both", c.Cell)
		}
		if c.Risk != nil && r.Risk == nil {
			return nil, fmt.Errorf("cell %d: a measured cell in a sweep that does not measure", c.Cell)
		}
	}
	for _, s := range r.Skipped {
		if err := check(s.Cell, s.Values); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

// Merge combines the reports of every shard of one sweep into the
// report one unsharded run gives: the same cells, in the same order, with
// the same counts. Shards are dealt whole groups of cells, and inference
// stays within a group, so a shard's cells are exactly the unsharded run's.
func Merge(reports []*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, badf("sweep merge takes the JSON reports of a sweep's shards")
	}
	first := reports[0]
	n := 0
	have := map[int]int{} // shard index -> position in reports
	for i, r := range reports {
		if r.SweepID != first.SweepID || !reflect.DeepEqual(r.Axes, first.Axes) || !reflect.DeepEqual(r.Properties, first.Properties) || r.Base != first.Base || !reflect.DeepEqual(r.Simulation, first.Simulation) || !reflect.DeepEqual(r.Risk, first.Risk) {
			return nil, badf("report %d is of another sweep (%s, not %s): merge the shards of one sweep", i+1, r.SweepID, first.SweepID)
		}
		if r.Shard == "" {
			return nil, badf("report %d is a whole sweep, not a shard: nothing to merge", i+1)
		}
		sh, err := ParseShard(r.Shard)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			n = sh.N
		}
		if sh.N != n {
			return nil, badf("report %d is shard %s of %d shards, the others of %d", i+1, r.Shard, sh.N, n)
		}
		if prev, dup := have[sh.I]; dup {
			return nil, badf("reports %d and %d are both shard %s", prev+1, i+1, r.Shard)
		}
		have[sh.I] = i
		if !reflect.DeepEqual(r.Skipped, first.Skipped) {
			return nil, badf("report %d lists other skipped cells than report 1: the shards are of different sweeps", i+1)
		}
	}
	var missing []int
	for i := 0; i < n; i++ {
		if _, ok := have[i]; !ok {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, badf("shard %d/%d is missing: merge every shard's report", missing[0], n)
	}
	out := &Report{Command: "sweep", SweepID: first.SweepID, Base: first.Base, Axes: first.Axes,
		Properties: first.Properties, Skipped: first.Skipped, Cells: []CellReport{}, Simulation: first.Simulation, Risk: first.Risk}
	seen := map[int]bool{}
	for _, r := range reports {
		out.Interrupted = out.Interrupted || r.Interrupted
		for _, c := range r.Cells {
			if seen[c.Cell] {
				return nil, badf("cell %d is in two shards' reports", c.Cell)
			}
			seen[c.Cell] = true
			out.Cells = append(out.Cells, c)
		}
	}
	sort.Slice(out.Cells, func(i, j int) bool { return out.Cells[i].Cell < out.Cells[j].Cell })
	out.summarize()
	return out, nil
}
