// Package explore searches the state space of any model given as a
// transition system. It knows nothing about Kafka: a model supplies initial
// states, the actions enabled in a state, the successor of an action, and a
// canonical encoding; properties are plain functions over states.
package explore

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Model is a transition system over states S and actions A.
//
// Actions must list the enabled actions in an order that depends only on the
// state, and Next must be deterministic and leave its input unchanged: a
// trace is rebuilt by replaying action indices, and a replay that does not
// meet the recorded fingerprints is reported as ErrNondeterminism.
type Model[S any, A any] interface {
	Init() []S
	Actions(s *S, dst []A) []A
	Next(s *S, a A) S
	// Encode appends the canonical bytes of s: equal states, equal bytes.
	Encode(dst []byte, s *S) []byte
	// Decode reads what Encode wrote.
	Decode(b []byte) (S, error)
}

// Invariant is a safety property: Check returns nil when it holds in a state,
// or an error that says what is wrong there.
type Invariant[S any] struct {
	Name  string
	Check func(*S) error
	// Reads are the parts of a state (bits of Spec.Changed) Check reads;
	// 0: unknown. A random walk checks an invariant that held on the
	// previous state again only if the step changed a part it reads.
	Reads uint64
}

// Witness is a reachability property: the explorer reports whether some
// reachable state satisfies it, and the shortest trace to one.
type Witness[S any] struct {
	Name    string
	Reached func(*S) bool
}

// Spec is what to search and what to check.
type Spec[S any, A any] struct {
	Model      Model[S, A]
	Invariants []Invariant[S]
	Witnesses  []Witness[S]
	// Kind classifies an action for the coverage report; KindNames names
	// the classes. Both may be nil.
	Kind      func(A) int
	KindNames []string
	// Labels and Weights are for Options.Graph: Labels are state
	// predicates (at most 64), whose truth goes to the sink as a bit mask
	// for every state; Weights gives each action enabled in a state a
	// weight (a rate, say), dst[i] for acts[i], appended to dst.
	Labels  []func(*S) bool
	Weights func(s *S, acts []A, dst []float64) []float64
	// Changed, if set, names the parts in which two states differ, as bits
	// an Invariant's Reads uses.
	Changed func(a, b *S) uint64
}

// Strategy is the traversal order.
type Strategy int

const (
	// BFS explores level by level: the first violation found has a shortest
	// trace.
	BFS Strategy = iota
	// DFS explores depth first: the same states, less memory for the
	// frontier, traces that are not shortest.
	DFS
)

func (s Strategy) String() string {
	if s == DFS {
		return "dfs"
	}
	return "bfs"
}

// Viewer is implemented by a model whose state identity is a view of its
// states, as with TLC's VIEW: two states with equal views are one state,
// and the search keeps the first one it finds (in BFS, the first in the
// order a sequential search generates them), whose successors it explores.
// Encode then keeps the whole state, which the search stores and decodes;
// the visited set fingerprints View's bytes. Without symmetry, the only
// case this package supports with a view, BFS keeps TLC's representatives
// when the model lists its actions in TLC's order; DFS meets states in
// another order, and may keep others.
type Viewer[S any] interface {
	View(dst []byte, s *S) []byte
}

// Identity returns the function whose bytes identify a state of m: its
// View if it has one, else its Encode.
func Identity[S any, A any](m Model[S, A]) func(dst []byte, s *S) []byte {
	if v, ok := m.(Viewer[S]); ok {
		return v.View
	}
	return m.Encode
}

// InPlaceDecoder is an optional, faster form of Decode that writes into the
// caller's state instead of returning one.
type InPlaceDecoder[S any] interface {
	DecodeInto(dst *S, b []byte) error
}

// InPlaceNext is an optional, faster form of Next that writes the successor
// into the caller's state (never the same as s).
type InPlaceNext[S any, A any] interface {
	NextInto(dst, s *S, a A)
}

// Canonicalizer is implemented by a model with a symmetry: Canonicalize
// replaces a state by the representative of its orbit (the states equal to
// it up to the symmetry, such as a renaming of interchangeable processes).
// The transition relation and every property must be invariant under the
// symmetry; then searching representatives only reaches the same verdicts
// and shortest-trace lengths.
type Canonicalizer[S any] interface {
	Canonicalize(s *S)
}

// Options bound and instrument a search. The zero value searches to
// completion and stops at the first violation.
type Options struct {
	Strategy Strategy
	// Workers is the number of goroutines expanding states in BFS (1 if
	// less). The results do not depend on it.
	Workers int
	// Symmetry searches orbit representatives only; the model must be a
	// Canonicalizer. Traces still show the model's own states.
	Symmetry bool
	// MaxMemory stops the search, inconclusive, when the memory the Go
	// runtime holds exceeds it (0: no limit). It also becomes the runtime's
	// soft memory limit for the duration of the search.
	MaxMemory int64
	// MaxStates stops the search, inconclusive, once this many distinct
	// states are found (0: no limit).
	MaxStates int64
	// MaxTime stops the search, inconclusive, after this long (0: no limit).
	MaxTime time.Duration
	// Context stops the search, inconclusive, when done (Ctrl-C).
	Context context.Context
	// KeepGoing searches on after a violation, to find the shortest
	// counterexample of every invariant; it stops once all are violated.
	KeepGoing bool
	// Progress, if set, is called about every ProgressEvery (default 2s).
	Progress      func(Stats)
	ProgressEvery time.Duration
	// Graph, if set, receives the state graph as BFS builds it (see
	// GraphSink): breadth first only, and the search goes on through
	// violations, since a graph needs every state.
	Graph GraphSink
	// FrontierDir, if set, is a directory where BFS may keep its frontier:
	// once the frontiers hold 64 MiB, or the process half of MaxMemory,
	// blocks of states are written there as they fill and read back in
	// order, so that memory holds the visited set, the parent links and a
	// window of the frontier. Its files are removed when the search ends.
	FrontierDir string
}

// Verdict is the outcome of a search.
type Verdict int

const (
	// OK: every invariant holds in every reachable state.
	OK Verdict = iota
	// Violation: some invariant fails in a reachable state.
	Violation
	// Inconclusive: a budget ran out before the search completed, and no
	// violation was found.
	Inconclusive
)

func (v Verdict) String() string {
	switch v {
	case OK:
		return "ok"
	case Violation:
		return "violation"
	}
	return "inconclusive"
}

// Stats describe a search.
type Stats struct {
	Distinct  int64 // distinct states found
	Generated int64 // successor states computed, duplicates included (plus the initial states)
	// Depth is the number of BFS levels explored, the initial states being
	// level 1 (as TLC counts it); for DFS, the longest path in states.
	Depth   int
	Queue   int64 // states found but not yet expanded
	Elapsed time.Duration
	// CollisionProbability is TLC's optimistic estimate that a fingerprint
	// collision hid a state.
	CollisionProbability float64
	// VisitedBytes is the memory of the visited set and parent links.
	VisitedBytes int64
	// FrontierBytes is the most memory BFS's two frontiers held at once
	// (with FrontierDir, their write buffers).
	FrontierBytes int64
	// PeakMemory is the most memory the Go runtime held during the search,
	// sampled every 50ms.
	PeakMemory int64
	// Workers is the number of workers that expanded states.
	Workers int
}

// StatesPerSecond is distinct states found per second of search.
func (s Stats) StatesPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Distinct) / s.Elapsed.Seconds()
}

// Trace is a path through the state space: States[0] is initial and
// States[i+1] = Next(States[i], Actions[i]).
type Trace[S any, A any] struct {
	States  []S
	Actions []A
}

// Counterexample is an invariant failing at the last state of a trace.
type Counterexample[S any, A any] struct {
	Invariant string
	Err       error
	Trace     Trace[S, A]
}

// WitnessResult says whether a witness was reached, with the shortest trace
// (for BFS) to a state where it holds.
type WitnessResult[S any, A any] struct {
	Name    string
	Reached bool
	Trace   Trace[S, A]
}

// Coverage counts, for one class of actions, how many successors it
// generated and how many of them were new states.
type Coverage struct {
	Kind      string
	Generated int64
	Distinct  int64
}

// Result is what a search found.
type Result[S any, A any] struct {
	Verdict Verdict
	// Complete is true when every reachable state was explored (within the
	// model's own bounds).
	Complete bool
	// StopReason says why an incomplete search stopped: a budget, the
	// first violation, or StopAllViolated.
	StopReason string
	Stats      Stats
	Violations []Counterexample[S, A] // shortest first, then in invariant order
	Witnesses  []WitnessResult[S, A]
	Coverage   []Coverage
}

// ErrNondeterminism is returned when replaying a recorded path does not
// reproduce the states the search saw: the model's Actions or Next is not a
// function of the state.
var ErrNondeterminism = errors.New("nondeterminism detected")

// Run searches spec's state space.
func Run[S any, A any](spec Spec[S, A], opts Options) (Result[S, A], error) {
	if spec.Model == nil {
		return Result[S, A]{}, fmt.Errorf("explore: spec has no model")
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 2 * time.Second
	}
	var canon func(*S)
	if opts.Symmetry {
		c, ok := spec.Model.(Canonicalizer[S])
		if !ok {
			return Result[S, A]{}, fmt.Errorf("explore: the model has no symmetry to reduce by")
		}
		canon = c.Canonicalize
	}
	if err := checkGraphSpec(spec, opts); err != nil {
		return Result[S, A]{}, err
	}
	if opts.Strategy == DFS {
		return runDFS(spec, opts, canon)
	}
	return runBFS(spec, opts, canon)
}

// coverage accumulates per-kind counts.
type coverage[A any] struct {
	kind  func(A) int
	names []string
	gen   []int64
	fresh []int64
}

func newCoverage[A any](kind func(A) int, names []string) *coverage[A] {
	return &coverage[A]{kind: kind, names: names, gen: make([]int64, len(names)), fresh: make([]int64, len(names))}
}

func (c *coverage[A]) count(a A, isNew bool) {
	if c.kind == nil {
		return
	}
	k := c.kind(a)
	if k < 0 || k >= len(c.gen) {
		return
	}
	c.gen[k]++
	if isNew {
		c.fresh[k]++
	}
}

func (c *coverage[A]) result() []Coverage {
	out := make([]Coverage, len(c.names))
	for i, n := range c.names {
		out[i] = Coverage{Kind: n, Generated: c.gen[i], Distinct: c.fresh[i]}
	}
	return out
}

// StopAllViolated is the StopReason of a KeepGoing search that stopped
// because every invariant was violated: every invariant's shortest
// counterexample is known, as in a complete search, and the search's
// figures do not depend on any budget.
const StopAllViolated = "stopped once every invariant was violated"
