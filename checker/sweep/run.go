package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"electcheck/checker"
	"electcheck/explore"
)

// Options say how to run a sweep's cells.
type Options struct {
	// CacheDir caches finished cells ("" for no cache); Refresh searches
	// even cells the cache has (and stores the new results).
	CacheDir string
	Refresh  bool
	// TraceDir, if set, names a trace file in it, after the cell, for each
	// cell's counterexample (the report's trace_file); Report.WriteTraces
	// writes them once the report is out, so that a file that cannot be
	// written loses nothing else.
	TraceDir string
	// Shard runs a share of the cells; the zero value runs them all.
	Shard Shard
	// Context stops the sweep after the cells in progress (whose searches
	// it also stops); the report then holds the cells finished.
	Context context.Context
	// Progress, if set, is told after each cell, by one goroutine at a
	// time.
	Progress func(Progress)
}

// Progress is how far a sweep has got.
type Progress struct {
	Done, Total                int
	Searched, Cached, Inferred int
	Elapsed                    time.Duration
	// Last names the cell just finished.
	Last string
}

// Run runs the plan's cells (the shard's share), in an order that lets the
// bounds decide cells without a search (searchOrder). Bounds are "at most
// N", so a cell's reachable states include those of every cell with
// smaller or equal bounds: committed data lost with smaller bounds is lost
// with these (inferred from the smallest such cell searched), and a cell
// whose search found nothing at all (no violation, never offline) decides
// every cell below it. Groups, which inference never crosses, run side by
// side on the sweep's workers (runner); the report does not depend on how.
func (p *Plan) Run(opts Options) (*Report, error) {
	var cache *sweepCache
	if opts.CacheDir != "" {
		var err error
		if cache, err = openCache(opts.CacheDir); err != nil {
			return nil, err
		}
	}
	if opts.TraceDir != "" {
		if err := os.MkdirAll(opts.TraceDir, 0o755); err != nil {
			return nil, badf("cannot create --trace-dir: %v", err)
		}
	}
	rep := p.NewReport(opts.Shard)
	run := p.newRunner(opts, cache)
	if err := run.run(); err != nil {
		return nil, err
	}
	rep.Interrupted = run.interrupted
	for i := range p.Cells {
		if r, ok := run.results[p.Cells[i].Index]; ok {
			rep.Cells = append(rep.Cells, *r)
		}
	}
	rep.summarize()
	return rep, nil
}

// searchOrder orders a group's cells for inference. The smallest cell
// first: if it loses committed data, it decides every other. Then, if one
// cell's bounds include all the others', that one: if it finds nothing at
// all, it decides every other. Then the rest, smaller bounds first, so
// that a loss found decides the cells above it.
func searchOrder(cells []*Cell) []*Cell {
	out := append([]*Cell(nil), cells...)
	sort.SliceStable(out, func(i, j int) bool { return sum(out[i].bounds) < sum(out[j].bounds) })
	n := len(out)
	if n <= 2 {
		return out
	}
	top := out[n-1]
	for _, c := range out[:n-1] {
		if !c.within(top) {
			return out
		}
	}
	return append([]*Cell{out[0], top}, out[1:n-1]...)
}

func sum(b [numBounds]int) int {
	n := 0
	for _, v := range b {
		n += v
	}
	return n
}

// cellSearch is how every cell is searched: the sweep's budgets and
// symmetry, on after a violation (so that each property's fate is known),
// stopped by the sweep's context.
func (p *Plan) cellSearch(opts Options) checker.Search {
	s := p.Sweep.Search
	s.KeepGoing, s.Context = true, opts.Context
	return s
}

// checkFunc searches a request: checker.Check, or a runner's check, which
// shares the workers among the groups in progress.
type checkFunc func(checker.Request, checker.Search) (*checker.Outcome, error)

// searchCell checks a cell with check, or takes it from the cache.
func (p *Plan) searchCell(c *Cell, cache *sweepCache, opts Options, check checkFunc) (*CellReport, bool, error) {
	req, search := c.Request, p.cellSearch(opts)
	var cc *cachedCell
	var key string
	cached := false
	if cache != nil {
		key = cache.key(&req, &search, "")
		if !opts.Refresh {
			cc, cached = cache.get(key)
		}
	}
	if !cached {
		o, err := check(req, search)
		if err != nil {
			return nil, false, fmt.Errorf("cell %d: %v", c.Index, err)
		}
		jr, err := o.JSON()
		if err != nil {
			return nil, false, err
		}
		cc = &cachedCell{Report: jr}
		if o.Primary != nil {
			if cc.Trace, err = o.Primary.Marshal(); err != nil {
				return nil, false, err
			}
		}
		if cache != nil && decided(&jr) {
			if err := cache.put(key, cc); err != nil {
				return nil, false, fmt.Errorf("cannot write the cache (use --no-cache, or --cache-dir): %v", err)
			}
		}
	}
	r := &CellReport{JSONReport: cc.Report, Cell: c.Index, Values: p.Labels(c.Values)}
	r.Category = CategoryOf(&r.JSONReport)
	p.nameTrace(c, r, cc, opts)
	return r, cached, nil
}

// nameTrace names a cell's trace file in --trace-dir, if given and the
// cell has a trace, and keeps the trace for WriteTraces.
func (p *Plan) nameTrace(c *Cell, r *CellReport, cc *cachedCell, opts Options) {
	if opts.TraceDir == "" || len(cc.Trace) == 0 {
		return
	}
	r.TraceFile, r.trace = filepath.Join(opts.TraceDir, p.cellName(c)+".json"), cc.Trace
}

// WriteTraces writes the trace file of every cell that has one (see
// Options.TraceDir). It goes on after a file it cannot write, and says how
// many it could not, with the first error.
func (r *Report) WriteTraces() error {
	failed, n := error(nil), 0
	for i := range r.Cells {
		c := &r.Cells[i]
		if len(c.trace) == 0 {
			continue
		}
		if err := os.WriteFile(c.TraceFile, c.trace, 0o644); err != nil {
			if n++; failed == nil {
				failed = err
			}
		}
	}
	if n > 0 {
		return fmt.Errorf("%d trace files not written: %v", n, failed)
	}
	return nil
}

// infer decides a cell from the cells of its group already searched, or
// returns nil.
func (p *Plan) infer(c *Cell, decided []*Cell, results map[int]*CellReport) *CellReport {
	if p.Sweep.NoInference || p.Sweep.Simulate != nil || p.Sweep.Risk != nil {
		return nil
	}
	var from *Cell
	var up bool
	for _, d := range decided {
		r := results[d.Index]
		switch {
		case d.within(c) && r.Category == LosesCommitted:
			up = true
		case c.within(d) && r.Complete && r.Category == Safe:
			up = false
		default:
			continue
		}
		from = d
		break
	}
	if from == nil {
		return nil
	}
	src := results[from.Index]
	cfg, bounds := checker.KafkaJSON(c.Request.Kafka)
	cj, _ := json.Marshal(cfg)
	bj, _ := json.Marshal(bounds)
	idx := from.Index
	r := &CellReport{Cell: c.Index, Values: p.Labels(c.Values), InferredFrom: &idx, TraceFile: src.TraceFile}
	r.JSONReport = checker.JSONReport{
		Command: "check", Model: checker.ModelKafka, Config: cj, Bounds: bj, Strategy: src.Strategy,
		Properties: src.Properties, Violations: []checker.JSONViolation{}, Witnesses: map[string]bool{},
		WitnessDetails: []checker.JSONWitness{}, Vacuous: []checker.Vacuity{}, Coverage: []checker.JSONCoverage{}, Warnings: []string{},
	}
	if up {
		r.Result, r.Category = "violation", LosesCommitted
		r.StopReason = fmt.Sprintf("not searched: cell %d, whose bounds are all at most these, loses committed data", idx)
		for _, v := range src.Violations {
			// The source's counterexample is one here too: its length
			// bounds the shortest from above.
			r.Violations = append(r.Violations, checker.JSONViolation{Property: v.Property, Message: v.Message, TraceLength: v.TraceLength})
		}
		for w, reached := range src.Witnesses {
			if reached {
				r.Witnesses[w] = true
			}
		}
		return r
	}
	r.Result, r.Category = "ok", Safe
	r.StopReason = fmt.Sprintf("not searched: cell %d, whose bounds are all at least these, holds every property and never goes offline", idx)
	for w, reached := range src.Witnesses {
		if !reached {
			r.Witnesses[w] = false
		}
	}
	return r
}

// decided reports whether a search's result depends on no budget: it was
// complete, or stopped because every property was violated.
func decided(r *checker.JSONReport) bool {
	return r.Complete || r.StopReason == explore.StopAllViolated
}

// CategoryOf is a searched cell's category.
func CategoryOf(r *checker.JSONReport) string {
	violated := map[string]bool{}
	for _, v := range r.Violations {
		violated[v.Property] = true
	}
	switch {
	case violated["committed-offsets-preserved"]:
		return LosesCommitted
	case !decided(r):
		return Inconclusive
	case violated["acked-records-durable"]:
		return LosesAcked
	case len(r.Violations) > 0:
		return Violates
	case r.Witnesses["produce-refused"] && !r.Witnesses["committed-record"] && !r.Witnesses["acked-record"]:
		// Nothing to lose: every property held because no write was
		// ever acknowledged or committed, as with acks=all and
		// min.insync.replicas above the replication factor before 3.7.
		// Not "safe": the configuration takes no data.
		return RefusesWrites
	case r.Witnesses["partition-offline"]:
		return GoesOffline
	}
	return Safe
}
