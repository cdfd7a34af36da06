package risk

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Simulation, for incident chains too big to build: the fault-free chain
// (small) is built and solved as Analyze does, incidents start from the
// same distribution, and each run walks one incident through the same
// rated model until it is lost, healed, truncated or stuck (biasing.go).

// SimOptions say how to simulate.
type SimOptions struct {
	// Runs is the number of incidents, over all shards.
	Runs int
	// Seed fixes every random number: the same seed, the same result,
	// byte for byte, whatever Workers and however the runs are sharded.
	Seed uint64
	// Confidence is the intervals' level (0.95 if 0).
	Confidence float64
	// Workers walk incidents in parallel (GOMAXPROCS if 0).
	Workers int
	// Bias is the balanced failure biasing probability (0.5 is usual): the
	// total probability of a fault where faults and other actions are
	// enabled. 0 walks the true chain.
	Bias float64
	// StartBias draws the incident's start, with this probability,
	// uniformly among the starts instead of from the start distribution
	// (a defensive mixture: the likelihood ratio of a start is at most
	// 1/(1 − StartBias)). It makes the rare starts that lose data on
	// their own (a follower out of the ISR at the first fault) as likely
	// as the rest; 0 draws every start from the exact distribution.
	StartBias float64
	// Context, if set, stops the simulation (with its error).
	Context context.Context
	// Shard and Shards split the runs: this one walks runs i with
	// i ≡ Shard (mod Shards). MergeSims adds the shards up. Shards 0
	// is 1.
	Shard, Shards int
}

// SimResult is what a simulation (or a merge of shards) estimates, per
// incident, with intervals at Confidence.
type SimResult struct {
	Seed       uint64
	Confidence float64
	Bias       float64
	StartBias  float64
	// Runs is the number of runs in this result; TotalRuns the number
	// asked for over all Shards; Parts the shards it holds.
	Runs, TotalRuns int
	Shards          int
	Parts           []int
	// Method names the interval on PLost: "clopper-pearson" (exact,
	// without biasing) or "normal" (approximate: the central limit
	// theorem on the likelihood-weighted mean, with its sample variance).
	Method string
	// Note says where an interval means less than it seems ("" if
	// nowhere).
	Note string
	// IncidentRate is Λ, incidents per hour, exact (the fault-free
	// chain's); FaultFreeStates and FaultFreeTransitions the chain's size
	// (its search statistics are left out: they vary from run to run).
	IncidentRate                          float64
	FaultFreeStates, FaultFreeTransitions int
	// FaultFreeRefused is the fraction of fault-free time with writes
	// refused, exact (Analysis.FaultFreeRefused).
	FaultFreeRefused float64
	// Per incident: the probabilities that it loses committed data and
	// that a bound cuts it off, its expected length after the first fault
	// and its expected hours offline and with writes refused. Intervals
	// on the hours are normal (approximate); with stuck runs the mean
	// length is +Inf, as Analyze's.
	PLost, PTruncated                     Interval
	MeanHours, OfflineHours, RefusedHours Interval
	// LostRuns, TruncatedRuns and StuckRuns count the runs that ended so
	// (unweighted); Steps the steps all runs took.
	LostRuns, TruncatedRuns, StuckRuns int64
	Steps                              int64
	// Stats are the sufficient statistics, kept exactly: MergeSims adds
	// them and derives the figures above from them. With biasing, the
	// odd runs walk the true chain instead, into HourStats, and the hours
	// come from those: weighted by likelihood ratios, the hours of biased
	// runs are too heavy-tailed for an honest interval (their sample
	// variance misses the rare unbiased paths that carry the mass).
	Stats, HourStats SimStats
	// RequestHash identifies the request (configuration and rates);
	// shards merge only with the same.
	RequestHash string
}

// SimStats are sums over runs, exact: L is a run's likelihood ratio (1
// without biasing), X1 the sum of L·X and X2 of (L·X)².
type SimStats struct {
	Runs, Lost, Truncated, Stuck, Steps int64
	LR                                  ExactSum
	Lost1, Lost2                        ExactSum
	Trunc1, Trunc2                      ExactSum
	Hours1, Hours2                      ExactSum
	Offline1, Offline2                  ExactSum
	Refused1, Refused2                  ExactSum
}

func (s *SimStats) add(r *run) {
	s.Runs++
	s.Steps += int64(r.steps)
	s.LR.Add(r.lr)
	sq := func(x float64, a, b *ExactSum) {
		x *= r.lr
		a.Add(x)
		b.Add(x * x)
	}
	switch r.end {
	case endLost:
		s.Lost++
		sq(1, &s.Lost1, &s.Lost2)
	case endTruncated:
		s.Truncated++
		sq(1, &s.Trunc1, &s.Trunc2)
	case endStuck:
		s.Stuck++
	}
	sq(r.hours, &s.Hours1, &s.Hours2)
	sq(r.offline, &s.Offline1, &s.Offline2)
	sq(r.refsd, &s.Refused1, &s.Refused2)
}

func (s *SimStats) merge(t *SimStats) {
	s.Runs += t.Runs
	s.Lost += t.Lost
	s.Truncated += t.Truncated
	s.Stuck += t.Stuck
	s.Steps += t.Steps
	for i, x := range s.sums() {
		x.AddSum(t.sums()[i])
	}
}

// tryMerge is merge for statistics read from a file: false, and s
// unchanged but for counts, if a sum overflows.
func (s *SimStats) tryMerge(t *SimStats) bool {
	for i, x := range s.sums() {
		if !x.TryAddSum(t.sums()[i]) {
			return false
		}
	}
	s.Runs += t.Runs
	s.Lost += t.Lost
	s.Truncated += t.Truncated
	s.Stuck += t.Stuck
	s.Steps += t.Steps
	return true
}

// check says what makes a result read from a file impossible: the
// figures a simulation cannot have produced.
func (r *SimResult) check() error {
	const maxRuns = 1 << 48
	ok := func(st *SimStats) bool {
		return st.Runs >= 0 && st.Runs <= maxRuns && st.Lost >= 0 && st.Truncated >= 0 && st.Stuck >= 0 && st.Steps >= 0 &&
			st.Lost+st.Truncated+st.Stuck <= st.Runs
	}
	switch {
	case r.Shards < 1 || r.Shards > 1<<20 || len(r.Parts) == 0:
		return fmt.Errorf("%d shards, parts %v: not a simulation's", r.Shards, r.Parts)
	case r.TotalRuns < 1 || r.TotalRuns > maxRuns:
		return fmt.Errorf("%d runs: not a simulation's", r.TotalRuns)
	case !(r.Confidence > 0 && r.Confidence < 1) || !(r.Bias >= 0 && r.Bias < 1) || !(r.StartBias >= 0 && r.StartBias < 1):
		return fmt.Errorf("confidence %g, bias %g, start bias %g: not a simulation's", r.Confidence, r.Bias, r.StartBias)
	case !(r.IncidentRate > 0) || math.IsInf(r.IncidentRate, 0) || !(r.FaultFreeRefused >= 0 && r.FaultFreeRefused <= 1):
		return fmt.Errorf("incident rate %g: not a simulation's", r.IncidentRate)
	case !ok(&r.Stats) || !ok(&r.HourStats):
		return fmt.Errorf("its run counts do not add up")
	}
	for _, p := range r.Parts {
		if p < 0 || p >= r.Shards {
			return fmt.Errorf("shard %d of %d", p, r.Shards)
		}
	}
	return nil
}

func (s *SimStats) sums() []*ExactSum {
	return []*ExactSum{&s.LR, &s.Lost1, &s.Lost2, &s.Trunc1, &s.Trunc2, &s.Hours1, &s.Hours2,
		&s.Offline1, &s.Offline2, &s.Refused1, &s.Refused2}
}

// CheckSimOptions says what is wrong with a simulation's options, in the
// command's words, before anything runs.
func CheckSimOptions(o SimOptions) error { return o.check() }

func (o *SimOptions) check() error {
	switch {
	case o.Runs <= 0:
		return fmt.Errorf("--runs must be positive")
	case o.Confidence < 0 || o.Confidence >= 1:
		return fmt.Errorf("--confidence must be between 0 and 1 (0.95 is usual)")
	case o.Bias < 0 || o.Bias >= 1:
		return fmt.Errorf("--bias must be at least 0 and below 1 (0.5 is usual; 0 turns biasing off)")
	case o.StartBias < 0 || o.StartBias >= 1:
		return fmt.Errorf("--start-bias must be at least 0 and below 1 (0 draws starts from the exact distribution)")
	case o.Shards < 0 || o.Shard < 0 || o.Shard >= max(o.Shards, 1):
		return fmt.Errorf("--shard must be from 0 to --shards − 1")
	}
	return nil
}

// Simulate estimates the per-incident figures by walking Runs incidents
// of the incident chain, which it never builds.
func Simulate(req Request, opts SimOptions) (*SimResult, error) {
	sim, err := newSimulator(req, opts)
	if err != nil {
		return nil, err
	}
	return sim.run()
}

// simulator is a simulation ready to run: the fault-free chain built, the
// incidents' start distribution known.
type simulator struct {
	a               *Analysis
	opts            SimOptions
	shards, workers int
	ctx             context.Context
}

func newSimulator(req Request, opts SimOptions) (*simulator, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Confidence == 0 {
		opts.Confidence = 0.95
	}
	sim := &simulator{opts: opts, shards: max(opts.Shards, 1), workers: opts.Workers, ctx: opts.Context}
	if sim.workers <= 0 {
		sim.workers = runtime.GOMAXPROCS(0)
	}
	if sim.ctx == nil {
		sim.ctx = context.Background()
	}
	a, err := faultFree(req, Options{Workers: sim.workers, Symmetry: true, Context: sim.ctx})
	if err != nil {
		return nil, err
	}
	sim.a = a
	return sim, nil
}

// run walks the shard's runs, i = Shard + j·shards for j < n, in chunks
// the workers claim in any order: the sums are exact, so the order does
// not matter.
func (sim *simulator) run() (*SimResult, error) {
	opts, shards, ctx := &sim.opts, sim.shards, sim.ctx
	n := 0
	if opts.Shard < opts.Runs {
		n = (opts.Runs-opts.Shard-1)/shards + 1
	}
	const chunk = 1024
	var next atomic.Int64
	stats, hours := make([]SimStats, sim.workers), make([]SimStats, sim.workers)
	var wg sync.WaitGroup
	for k := range sim.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWalker(sim.a.incModel, opts.Seed, opts.Bias, opts.StartBias)
			biased := opts.Bias > 0 || opts.StartBias > 0
			var plain *walker
			if biased {
				plain = newWalker(sim.a.incModel, opts.Seed, 0, 0)
			}
			for ctx.Err() == nil {
				j0 := int(next.Add(chunk)) - chunk
				if j0 >= n {
					return
				}
				for j := j0; j < min(j0+chunk, n); j++ {
					i := uint64(opts.Shard + j*shards)
					if biased && i%2 == 1 {
						r := plain.walk(i)
						hours[k].add(&r)
						continue
					}
					r := w.walk(i)
					stats[k].add(&r)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a := sim.a
	res := &SimResult{Seed: opts.Seed, Confidence: opts.Confidence, Bias: opts.Bias, StartBias: opts.StartBias, TotalRuns: opts.Runs,
		Shards: shards, Parts: []int{opts.Shard}, IncidentRate: a.IncidentRate, FaultFreeRefused: a.FaultFreeRefused,
		FaultFreeStates: a.FaultFree.States, FaultFreeTransitions: a.FaultFree.Transitions, RequestHash: hashRequest(a.Request)}
	for k := range stats {
		res.Stats.merge(&stats[k])
		res.HourStats.merge(&hours[k])
	}
	res.derive()
	return res, nil
}

// hashRequest identifies a request (after faultFree's adjustments).
func hashRequest(r Request) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%#v", r)
	return fmt.Sprintf("%016x", h.Sum64())
}

// MergeSims adds up shards of one simulation (the same request, seed,
// runs, shards, bias and confidence; no shard twice): the merge of all
// shards is exactly, bit for bit, the unsharded simulation.
func MergeSims(parts []*SimResult) (*SimResult, error) {
	if len(parts) == 0 {
		return nil, errors.New("risk: no simulations to merge")
	}
	p0 := parts[0]
	res := &SimResult{Seed: p0.Seed, Confidence: p0.Confidence, Bias: p0.Bias, StartBias: p0.StartBias, TotalRuns: p0.TotalRuns, Shards: p0.Shards,
		IncidentRate: p0.IncidentRate, FaultFreeRefused: p0.FaultFreeRefused,
		FaultFreeStates: p0.FaultFreeStates, FaultFreeTransitions: p0.FaultFreeTransitions, RequestHash: p0.RequestHash}
	for i, p := range parts {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("risk: simulation %d of %d: %v", i+1, len(parts), err)
		}
		if p.Seed != p0.Seed || p.Confidence != p0.Confidence || p.Bias != p0.Bias || p.StartBias != p0.StartBias || p.TotalRuns != p0.TotalRuns ||
			p.Shards != p0.Shards || p.RequestHash != p0.RequestHash || p.IncidentRate != p0.IncidentRate {
			return nil, fmt.Errorf("risk: the simulations to merge differ in request, seed, runs, shards, bias or confidence")
		}
		for _, s := range p.Parts {
			if slices.Contains(res.Parts, s) {
				return nil, fmt.Errorf("risk: shard %d is in two of the simulations to merge", s)
			}
			res.Parts = append(res.Parts, s)
		}
		if !res.Stats.tryMerge(&p.Stats) || !res.HourStats.tryMerge(&p.HourStats) {
			return nil, fmt.Errorf("risk: the simulations' sums overflow: they are not electcheck's")
		}
	}
	if res.Stats.Runs+res.HourStats.Runs > int64(res.TotalRuns) {
		return nil, fmt.Errorf("risk: the simulations hold %d runs, more than the %d asked for", res.Stats.Runs+res.HourStats.Runs, res.TotalRuns)
	}
	slices.Sort(res.Parts)
	res.derive()
	return res, nil
}

// Complete reports whether the result holds every shard.
func (r *SimResult) Complete() bool { return len(r.Parts) == r.Shards }

// derive computes the figures from the statistics.
func (r *SimResult) derive() {
	s := &r.Stats
	r.Runs = int(s.Runs)
	r.LostRuns, r.TruncatedRuns, r.StuckRuns, r.Steps = s.Lost, s.Truncated, s.Stuck, s.Steps
	r.Note = ""
	if s.Runs == 0 {
		r.Method, r.Note = "none", "no runs"
		return
	}
	if r.Bias == 0 && r.StartBias == 0 {
		r.Method = "clopper-pearson"
		r.PLost = clopperPearson(s.Lost, s.Runs, r.Confidence)
		r.PTruncated = clopperPearson(s.Truncated, s.Runs, r.Confidence)
	} else {
		r.Method = "normal"
		r.PLost = normalInterval(&s.Lost1, &s.Lost2, s.Runs, r.Confidence, 1)
		r.PTruncated = normalInterval(&s.Trunc1, &s.Trunc2, s.Runs, r.Confidence, 1)
		if s.Lost < 2 {
			// One weighted hit or none says nothing of the spread: the
			// only honest upper bound left is 1.
			r.PLost.High = 1
			r.PLost = interval(r.PLost.Estimate, r.PLost.Low, r.PLost.High)
			r.Note = fmt.Sprintf("biased: %d runs lost data, too few for an interval on p", s.Lost)
		}
	}
	h := s
	if r.Bias > 0 || r.StartBias > 0 {
		h = &r.HourStats // the unbiased runs
		r.Runs += int(h.Runs)
		r.Steps += h.Steps
		if h.Runs == 0 {
			return
		}
		if s.Truncated < 2 {
			// Biasing never favours the truncate action, so one weighted
			// hit or none says nothing of it: the unbiased runs' count,
			// with its exact interval, is the witness (its high end is
			// what the report's upper bound counts).
			r.PTruncated = clopperPearson(h.Truncated, h.Runs, r.Confidence)
		}
	}
	r.MeanHours = normalInterval(&h.Hours1, &h.Hours2, h.Runs, r.Confidence, 0)
	r.OfflineHours = normalInterval(&h.Offline1, &h.Offline2, h.Runs, r.Confidence, 0)
	r.RefusedHours = normalInterval(&h.Refused1, &h.Refused2, h.Runs, r.Confidence, 0)
	if stuck := s.Stuck + h.Stuck; h != s && stuck > 0 || s.Stuck > 0 {
		inf := math.Inf(1)
		r.MeanHours = Interval{Estimate: inf, Low: inf, High: inf}
		stuck := fmt.Sprintf("runs never ended (stuck offline, or no end within %d steps): the mean incident is infinite", maxSteps)
		r.Note = strings.TrimPrefix(r.Note+"; "+stuck, "; ")
	}
}
