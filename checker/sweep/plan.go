package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"electcheck/checker"
	"electcheck/invariants"
	"electcheck/model"
)

// Cell is one valid configuration of a sweep.
type Cell struct {
	// Index is the cell's position in the product of the axes, invalid
	// cells counted: the first axis changes slowest.
	Index int
	// Values are the cell's value on each axis, as indexes.
	Values  []int
	Request checker.Request
	// group numbers the cells that differ only in their bounds; bounds
	// orders them within it.
	group  int
	bounds [numBounds]int
}

// numBounds counts model.Bounds' fields: every one takes part in deciding
// whether one cell's space is part of another's.
const numBounds = 8

// SkippedCell is a combination of values that is not a valid
// configuration (min.insync.replicas above the replication factor, a
// controller the release does not have): counted, not checked.
type SkippedCell struct {
	Index  int
	Values []int
	Reason string
}

// Plan is a sweep's cells, resolved and validated.
type Plan struct {
	Sweep   Sweep
	Cells   []Cell
	Skipped []SkippedCell
	// Groups counts the sets of cells that differ only in their bounds:
	// the unit of sharding, and of inference.
	Groups int
	// ID identifies what the sweep checks: its axes, every cell's
	// configuration, the properties and the search limits. Shards of one
	// sweep share it.
	ID string
}

// Plan resolves every cell of the sweep. A combination that is not a valid
// configuration is skipped and counted; an error is a sweep that is wrong
// as a whole (an unknown property, every cell invalid).
func (s Sweep) Plan() (*Plan, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	if _, err := invariants.Select(s.Properties); err != nil {
		return nil, badf("%v", err)
	}
	p := &Plan{Sweep: s}
	groups := map[string]int{}
	id := sha256.New()
	fmt.Fprintf(id, "electcheck sweep\nproperties %q\nsymmetry %t\nmax-states %d\nmax-time %s\n",
		s.Properties, !s.Search.NoSymmetry, s.Search.MaxStates, s.Search.MaxTime)
	if s.Simulate != nil {
		fmt.Fprintf(id, "%s\n", simKey(s.Simulate))
	}
	if s.Risk != nil {
		fmt.Fprintf(id, "risk horizon %g\n", s.Risk.Horizon)
		if sch := s.Risk.scheduler(); sch != "uniform" {
			fmt.Fprintf(id, "risk scheduler %s\n", sch)
		}
	}
	for _, a := range s.Axes {
		fmt.Fprintf(id, "axis %s\n", a)
	}
	n := s.Cells()
	values := make([]int, len(s.Axes))
	for idx := 0; idx < n; idx++ {
		// values: idx in mixed radix, the last axis fastest.
		rest := idx
		for i := len(s.Axes) - 1; i >= 0; i-- {
			values[i] = rest % len(s.Axes[i].Values)
			rest /= len(s.Axes[i].Values)
		}
		req, err := s.cellRequest(values)
		if err != nil {
			p.Skipped = append(p.Skipped, SkippedCell{Index: idx, Values: append([]int(nil), values...), Reason: err.Error()})
			continue
		}
		c := Cell{Index: idx, Values: append([]int(nil), values...), Request: req}
		b := req.Kafka.Bounds
		c.bounds = [numBounds]int{b.Records, b.Crashes, b.PowerLosses, b.DiskLosses, b.CleanShutdowns, b.Pauses, b.CorrelatedPowerLosses, b.MaxLeaderEpoch}
		key := groupKey(req.Kafka)
		g, ok := groups[key]
		if !ok {
			g = len(groups)
			groups[key] = g
		}
		c.group = g
		cfg, bounds := checker.KafkaJSON(req.Kafka)
		cj, _ := json.Marshal(cfg)
		bj, _ := json.Marshal(bounds)
		fmt.Fprintf(id, "cell %d %s %s\n", idx, cj, bj)
		p.Cells = append(p.Cells, c)
	}
	if len(p.Cells) == 0 {
		reason := "the sweep has no cells"
		if len(p.Skipped) > 0 {
			reason = "every cell of the sweep is invalid: " + p.Skipped[0].Reason
		}
		return nil, badf("%s", reason)
	}
	p.Groups = len(groups)
	p.ID = hex.EncodeToString(id.Sum(nil))[:16]
	return p, nil
}

// cellRequest is the request of the cell with these values, or why the
// combination is not a valid configuration.
func (s *Sweep) cellRequest(values []int) (checker.Request, error) {
	settings := append(checker.Settings{}, s.Base...)
	for i, v := range values {
		settings = append(settings, s.Axes[i].Values[v].Settings...)
	}
	var req checker.Request
	var err error
	if s.ConfigFile != "" {
		req, err = checker.FileRequest(s.ConfigFile, settings)
	} else {
		req, err = checker.KafkaRequest(settings)
	}
	if err != nil {
		return req, err
	}
	if _, err := model.New(req.Kafka); err != nil {
		return req, err
	}
	req.Properties = s.Properties
	return req, nil
}

// groupKey is a configuration without its bounds.
func groupKey(cfg model.Config) string {
	cfg.Bounds = model.Bounds{}
	c, _ := checker.KafkaJSON(cfg)
	b, _ := json.Marshal(c)
	return string(b)
}

// within reports whether every bound of a is at most b's: a's state space
// is then part of b's (bounds are "at most N").
func (c *Cell) within(d *Cell) bool {
	for i := range c.bounds {
		if c.bounds[i] > d.bounds[i] {
			return false
		}
	}
	return true
}

// Labels are the cell's value on each axis.
func (p *Plan) Labels(values []int) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = p.Sweep.Axes[i].Values[v].Label
	}
	return out
}

// cellName names a cell in a file name: its index and its values.
func (p *Plan) cellName(c *Cell) string {
	parts := []string{fmt.Sprintf("cell-%04d", c.Index)}
	for i, v := range c.Values {
		a := p.Sweep.Axes[i]
		parts = append(parts, strings.ReplaceAll(a.Name, " ", "-")+"-"+a.Values[v].Label)
	}
	return strings.Join(parts, "_")
}

// Shard is a share of a sweep's cells: shard I of N, counted from 0.
type Shard struct{ I, N int }

// ParseShard reads "i/n".
func ParseShard(s string) (Shard, error) {
	var sh Shard
	a, b, ok := strings.Cut(s, "/")
	if ok {
		_, errA := fmt.Sscanf(a, "%d", &sh.I)
		_, errB := fmt.Sscanf(b, "%d", &sh.N)
		ok = errA == nil && errB == nil && fmt.Sprintf("%d/%d", sh.I, sh.N) == s
	}
	if !ok || sh.N < 1 || sh.I < 0 || sh.I >= sh.N {
		return sh, badf("--shard %q: write I/N with 0 <= I < N, such as 0/4 for the first of four shards", s)
	}
	return sh, nil
}

func (sh Shard) String() string { return fmt.Sprintf("%d/%d", sh.I, sh.N) }

// owns reports whether the shard runs a group: groups are dealt round
// robin, so that inference, which stays within a group, is the same in a
// shard as in the whole sweep.
func (sh Shard) owns(group int) bool { return sh.N <= 1 || group%sh.N == sh.I }
