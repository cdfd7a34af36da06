package sweep

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"electcheck/checker"
)

// A simulating sweep (sweep --search simulate) takes seeded random walks
// through each cell instead of searching it whole, and judges every walk's
// client history as lincheck does: a table of whether client histories
// stay linearizable, per election policy and acks, on clusters too large
// to exhaust. A simulation proves nothing safe, so a cell in which no walk
// failed is "linearizable", never "safe", and no cell is inferred from
// another.

// Simulation says how a simulating sweep walked each cell: the same
// seed, walks and depth for every cell.
type Simulation struct {
	Seed  uint64 `json:"seed"`
	Walks int    `json:"walks"`
	Depth int    `json:"depth"`
}

// simulateCell walks a cell, or takes it from the cache.
func (p *Plan) simulateCell(c *Cell, cache *sweepCache, opts Options) (*CellReport, bool, error) {
	req := c.Request
	sim := *p.Sweep.Simulate
	sim.Progress, sim.Context = nil, opts.Context
	var key string
	if cache != nil {
		key = cache.key(&req, &checker.Search{}, simKey(&sim))
		if !opts.Refresh {
			if cc, ok := cache.get(key); ok && cc.Simulation != nil {
				r, err := p.simulatedCell(c, cc, opts)
				return r, true, err
			}
		}
	}
	rep, err := checker.Simulate(req, sim)
	if err != nil {
		return nil, false, fmt.Errorf("cell %d: %v", c.Index, err)
	}
	cc := &cachedCell{Report: simulatedJSON(rep), Simulation: rep}
	if t := rep.FailingTrace(); t != nil {
		if cc.Trace, err = t.Marshal(); err != nil {
			return nil, false, err
		}
	}
	if cache != nil && !rep.Interrupted && rep.Inconclusive == 0 {
		if err := cache.put(key, cc); err != nil {
			return nil, false, fmt.Errorf("cannot write the cache (use --no-cache, or --cache-dir): %v", err)
		}
	}
	r, err := p.simulatedCell(c, cc, opts)
	return r, false, err
}

// simKey is what a simulated cell's result depends on beyond its request.
func simKey(o *checker.SimulateOptions) string {
	return fmt.Sprintf("simulate seed %d walks %d depth %d timeout %s", o.Seed, o.Walks, o.Depth, o.Timeout)
}

// simulatedCell is a cell's row, from its (possibly cached) simulation.
func (p *Plan) simulatedCell(c *Cell, cc *cachedCell, opts Options) (*CellReport, error) {
	r := &CellReport{JSONReport: cc.Report, Cell: c.Index, Values: p.Labels(c.Values), Simulation: cc.Simulation}
	r.Category = simCategory(cc.Simulation)
	p.nameTrace(c, r, cc, opts)
	return r, nil
}

// simulatedJSON is a simulation as the object check --format json prints:
// each broken property with the walks that broke it and the fewest steps
// one took (a length found, not the shortest there is).
func simulatedJSON(rep *checker.SimulateReport) checker.JSONReport {
	out := checker.JSONReport{
		Command: "simulate", Model: checker.ModelKafka, Config: rep.Config, Bounds: rep.Bounds, Strategy: "simulate", Symmetry: "off",
		Properties: rep.Properties, Result: rep.Result, GeneratedStates: rep.Steps, Depth: rep.Depth,
		ElapsedSeconds: rep.Seconds, StatesPerSecond: rep.StepsPerSecond, Workers: 1,
		StopReason: fmt.Sprintf("%s random walks of up to %d steps, seed %d", checker.Commas(rep.Walks), rep.Depth, rep.Seed),
		Violations: []checker.JSONViolation{}, Witnesses: map[string]bool{}, WitnessDetails: []checker.JSONWitness{},
		Vacuous: []checker.Vacuity{}, Coverage: []checker.JSONCoverage{}, Warnings: []string{},
	}
	if rep.Interrupted {
		out.StopReason = fmt.Sprintf("interrupted after %s walks", checker.Commas(rep.Walks))
	}
	for _, name := range rep.Properties {
		if n := rep.Violations[name]; n > 0 {
			out.Violations = append(out.Violations, checker.JSONViolation{Property: name,
				Message:     fmt.Sprintf("broken in %d of %d walks", n, rep.Walks),
				TraceLength: rep.ShortestViolation[name] + 1})
		}
	}
	return out
}

// simCategory is a simulated cell's category, worst first.
func simCategory(rep *checker.SimulateReport) string {
	switch {
	case rep.Violations["committed-offsets-preserved"] > 0:
		return LosesCommitted
	case rep.Violations["acked-records-durable"] > 0:
		return LosesAcked
	case rep.NotLinearizable > 0:
		return NotLinearizable
	case len(rep.Violations) > 0:
		return Violates
	case rep.Interrupted || rep.Inconclusive > 0:
		return Inconclusive
	}
	return Linearizable
}

// simCounts prints counts by name, most first, then by name: "lost-write
// 9, unseen 29"; "-" for none.
func simCounts(m map[string]int, short bool) string {
	if len(m) == 0 {
		return "-"
	}
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	var parts []string
	for _, k := range keys {
		name := k
		if short {
			name = shortName(k)
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, m[k]))
	}
	return strings.Join(parts, ", ")
}

// simColumns are a simulated cell's columns in the text and Markdown
// tables, after its outcome.
func (c *CellReport) simColumns() []string {
	s := c.Simulation
	return []string{checker.Commas(s.Walks), checker.Commas(s.Steps), fmt.Sprintf("%d/%d/%d", s.Linearizable, s.NotLinearizable, s.Inconclusive),
		simCounts(s.Violations, true), simCounts(s.Anomalies, false)}
}

// simHeader names simColumns.
var simHeader = []string{"walks", "steps", "histories lin/not/?", "broken (walks)", "anomalies (walks)"}

// simLegend explains a simulating sweep's tables.
const simLegend = "outcome: LOSES COMMITTED, LOSES ACKED (a walk broke committed-offsets-preserved or\n" +
	"acked-records-durable), NOT LINEARIZABLE (a walk's client history is not, no data lost),\n" +
	"violates (another property broke), linearizable (no walk failed: evidence, not a proof),\n" +
	"INCONCLUSIVE (porcupine gave no answer, or the sweep was stopped). histories: walks whose\n" +
	"history is linearizable / not / inconclusive. broken, anomalies: walks breaking each property\n" +
	"or showing each of Jepsen's anomalies.\n"

// simCSVHeader is a simulating sweep's CSV columns after the axes.
func (r *Report) simCSVHeader() []string {
	head := []string{"category", "result", "walks", "steps", "linearizable", "not_linearizable", "inconclusive"}
	head = append(head, r.Properties...)
	return append(head, "anomalies", "seconds", "trace_file")
}

// simCSVRecord is a cell's CSV columns after the axes: each property's
// count of walks that broke it, the anomalies as name:walks;...
func (r *Report) simCSVRecord(c *CellReport) []string {
	s := c.Simulation
	rec := []string{c.Category, c.Result, fmt.Sprint(s.Walks), fmt.Sprint(s.Steps),
		fmt.Sprint(s.Linearizable), fmt.Sprint(s.NotLinearizable), fmt.Sprint(s.Inconclusive)}
	for _, p := range r.Properties {
		rec = append(rec, fmt.Sprint(s.Violations[p]))
	}
	var an []string
	for _, k := range sortedKeys(s.Anomalies) {
		an = append(an, fmt.Sprintf("%s:%d", k, s.Anomalies[k]))
	}
	return append(rec, strings.Join(an, ";"), fmt.Sprintf("%.3f", s.Seconds), c.TraceFile)
}

func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }
