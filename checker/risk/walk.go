package risk

import (
	"hash/maphash"
	"math/rand/v2"
	"sort"

	"electcheck/invariants"
	"electcheck/model"
)

// One run of the simulation: an incident, walked on the embedded jump
// chain of the incident chain without building it. A state's actions and
// their rates are chainModel's (Actions, weights), computed in one pass:
// the enabled actions and those the bounds cut off, each family's rate
// split among its members, the cut ones' share going to the truncate
// action. As in the built chain, an action that leaves the state as it is
// (a self-loop: a fetch with nothing to fetch) is dropped; it would only
// add steps. Time and offline time are not sampled: each visited state
// adds its expected holding time 1/exit, the conditional expectation of
// the sampled one, which has the same mean and less variance.
//
// The states a walker visits are kept (up to memoStates of them) with
// their actions, rates and, once taken, the node each action leads to:
// incidents revisit the same few states, and a step through them is a
// pointer and a random number. The memo is a cache of a pure function:
// the walk is the same with it or without.

// outcome is how a run ended.
type outcome uint8

const (
	endHealed outcome = iota
	endLost
	endTruncated
	endStuck // no action enabled, or no end within maxSteps
)

// maxSteps bounds a run: an incident that has not ended after this many
// steps is counted as stuck (incidents take tens of steps).
const maxSteps = 1 << 22

// memoStates bounds the states a walker keeps (under 1 KiB each with
// their actions, so under 64 MiB a worker).
const memoStates = 1 << 16

// run is what one run reports.
type run struct {
	end                   outcome
	lr                    float64 // the likelihood ratio
	hours, offline, refsd float64 // expected hours in the incident, offline, with writes refused
	steps                 int
}

// node is a state of the incident chain, with what a step from it needs.
type node struct {
	s    model.State
	end  outcome // if over: lost or healed
	over bool
	// offline: no leader clients can find; refused: acks=all writes are
	// refused (a leader whose ISR is below the minimum).
	offline, refused bool
	// total is the exit rate, trunc the truncate action's rate, faults
	// and others the rates of the faults and of the other actions (the
	// truncate action's included), nf the number of faults.
	total, trunc, faults, others float64
	nf                           int
	edges                        []edge
	// kept: the node is in the memo; same is the next node in the memo
	// whose state hashes alike.
	kept bool
	same *node
}

// edge is an action out of a node, not a self-loop, and its rate; to is
// the node it leads to, once known (and kept).
type edge struct {
	act   model.Action
	rate  float64
	fault bool
	to    *node
}

// walker walks incidents; one per worker.
type walker struct {
	m     *model.Model
	rates *Rates
	// cutKinds: the kinds whose cut actions have a rate.
	cutKinds model.KindSet
	acksAll  bool
	minISR   int
	// The start distribution: cum[i] is the sum of the weights of starts
	// 0..i; startNodes their nodes, once made.
	starts     []model.State
	weights    []float64
	cum        []float64
	startNodes []*node
	bias       float64
	// startBias: the probability of a start drawn uniformly among the
	// positive starts (the ones with a positive weight).
	startBias float64
	positive  []int

	seed uint64
	pcg  rand.PCG
	rng  *rand.Rand

	memo      map[uint64]*node // by maphash of the state
	hash      maphash.Seed
	kept      []*node // the memo's nodes, in the order they were made
	memoCap   int     // memoStates, but for tests
	acts, cut []model.Action
	rated     []actionRate // acts' rates (Rates.split)
	next      model.State
}

func newWalker(inc *chainModel, seed uint64, bias, startBias float64) *walker {
	cfg := inc.m.Config()
	w := &walker{m: inc.m, rates: inc.rates, cutKinds: inc.cutKinds, acksAll: cfg.Acks == model.AcksAll, minISR: cfg.EffectiveMinISR(),
		starts: inc.starts, weights: inc.startWeights, startNodes: make([]*node, len(inc.starts)), bias: bias, startBias: startBias, seed: seed, memo: map[uint64]*node{}, hash: maphash.MakeSeed(), memoCap: memoStates}
	sum := 0.0
	for i, x := range inc.startWeights {
		sum += x
		w.cum = append(w.cum, sum)
		if x > 0 {
			w.positive = append(w.positive, i)
		}
	}
	w.rng = rand.New(&w.pcg)
	return w
}

// mix64 is SplitMix64's finaliser: it spreads the bits of neighbouring
// seeds and run indices over the generator's state, so that runs i and
// i+1 do not start from neighbouring states.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// walk runs incident i: its random numbers are PCG's, seeded from the
// simulation's seed and i alone.
func (w *walker) walk(i uint64) run {
	w.pcg.Seed(mix64(w.seed^mix64(i)), mix64(i+0x632be59bd9b4e019^w.seed))
	r := run{lr: 1}
	k := w.start(&r.lr)
	n := w.startNodes[k]
	if n == nil {
		n = w.node(&w.starts[k])
		if n.kept {
			w.startNodes[k] = n
		}
	}
	for ; !n.over; r.steps++ {
		if n.total == 0 || r.steps == maxSteps {
			r.end = endStuck
			return r
		}
		hold := 1 / n.total
		r.hours += hold
		if n.offline {
			r.offline += hold
		} else if n.refused {
			r.refsd += hold
		}
		c := w.choose(n, &r.lr)
		if c < 0 {
			r.end = endTruncated
			r.steps++
			return r
		}
		e := &n.edges[c]
		if e.to != nil {
			n = e.to
			continue
		}
		w.m.NextInto(&w.next, &n.s, e.act)
		to := w.node(&w.next)
		if n.kept && to.kept {
			e.to = to // both kept: link them
		}
		n = to
	}
	r.end = n.end
	return r
}

// start draws the incident's start: its index in w.starts.
func (w *walker) start(lr *float64) int {
	total := w.cum[len(w.cum)-1]
	if w.startBias > 0 {
		var k int
		if w.rng.Float64() < w.startBias {
			k = w.positive[w.rng.IntN(len(w.positive))]
		} else {
			k = w.draw(total)
		}
		p := w.weights[k] / total
		*lr *= p / ((1-w.startBias)*p + w.startBias/float64(len(w.positive)))
		return k
	}
	return w.draw(total)
}

// draw draws a start from the start distribution.
func (w *walker) draw(total float64) int {
	u := w.rng.Float64() * total
	k := sort.Search(len(w.cum), func(j int) bool { return w.cum[j] > u })
	for k == len(w.cum) || w.weights[k] == 0 { // u rounded up to the total
		k--
	}
	return k
}

// node is s's node: the memo's, or made (and kept while there is room).
func (w *walker) node(s *model.State) *node {
	h := maphash.Comparable(w.hash, *s)
	for n := w.memo[h]; n != nil; n = n.same {
		if n.s == *s {
			return n
		}
	}
	n := &node{s: *s} // s may be w.next, which enabled overwrites
	switch {
	case invariants.CommittedOffsetsPreserved(w.m, &n.s) != nil:
		n.end, n.over = endLost, true
	case w.m.Healed(&n.s):
		n.end, n.over = endHealed, true
	default:
		w.enabled(n)
	}
	if len(w.kept) < w.memoCap {
		n.kept, n.same = true, w.memo[h]
		w.memo[h] = n
		w.kept = append(w.kept, n)
	}
	return n
}

// enabled fills in n's actions and rates, as chainModel's Actions and
// weights give them, self-loops left out.
func (w *walker) enabled(n *node) {
	s := &n.s
	l, hasLeader := s.CurrentLeader()
	n.offline = !hasLeader
	n.refused = hasLeader && w.acksAll && s.Broker(l).ISR.Len() < w.minISR
	w.acts = w.m.Actions(s, w.acts[:0])
	w.cut = w.m.CutKinds(s, w.cut[:0], w.cutKinds)
	var trunc float64
	w.rated, trunc = w.rates.split(w.m, s, w.acts, w.cut, w.rated[:0])
	for i, a := range w.acts {
		if w.rated[i].rate == 0 {
			continue
		}
		if w.m.NextInto(&w.next, s, a); w.next == *s {
			continue // a self-loop
		}
		e := edge{act: a, rate: w.rated[i].rate, fault: w.rated[i].fault}
		n.edges = append(n.edges, e)
		n.total += e.rate
		if e.fault {
			n.faults += e.rate
			n.nf++
		} else {
			n.others += e.rate
		}
	}
	n.trunc += trunc
	n.total += n.trunc
	n.others += n.trunc
	n.edges = n.edges[:len(n.edges):len(n.edges)]
}
