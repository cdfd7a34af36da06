package risk

import (
	"fmt"
	"runtime"

	"electcheck/explore"
	"electcheck/internal/offheap"
	"electcheck/markov"
	"electcheck/model"
)

// Building a chain: a breadth-first search of a chainModel whose graph
// sink streams states and rows into a markov.Builder.

// label names, in the order of a chain's label bits.
var (
	faultFreeLabels = markov.LabelNames{"refused"}
	incidentLabels  = markov.LabelNames{"init", "lost", "healed", "truncated", "offline", "refused"}
)

// chainSink is the graph sink: labels and rows into the builder, and each
// state's fingerprint, and in the fault-free chain its encoding.
type chainSink struct {
	b       *markov.Builder
	edges   []markov.Edge
	keepEnc bool
	encs    [][]byte
	fps     []uint64
	arena   []byte
}

func (k *chainSink) State(id uint32, fp uint64, enc []byte) error {
	k.fps = offheap.Append(k.fps, fp)
	if k.keepEnc {
		start := len(k.arena)
		k.arena = append(k.arena, enc...)
		k.encs = append(k.encs, k.arena[start:len(k.arena):len(k.arena)])
	}
	return nil
}

func (k *chainSink) Label(id uint32, labels uint64) error {
	if got := k.b.AddState(markov.Labels(labels)); got != id {
		return fmt.Errorf("risk: state %d numbered %d in the chain", id, got)
	}
	return nil
}

func (k *chainSink) Row(from uint32, to []uint32, weights []float64) error {
	k.edges = k.edges[:0]
	for i, t := range to {
		k.edges = append(k.edges, markov.Edge{To: t, Rate: weights[i]})
	}
	return k.b.AddRow(k.edges)
}

// builtChain is a chain and what its search said of it. Its fingerprints,
// like the chain's arrays, live outside the heap (internal/offheap) and go
// back when it is unreachable.
type builtChain struct {
	chain *markov.Chain
	fps   []uint64
	encs  [][]byte
	stats explore.Stats
}

// build searches cm into a chain with the given labels.
func build(cm *chainModel, names markov.LabelNames, labels []func(*rstate) bool, keepEnc bool, opts Options,
	progress func(explore.Stats)) (*builtChain, error) {
	b, err := markov.NewBuilder(names)
	if err != nil {
		return nil, err
	}
	sink := &chainSink{b: b, keepEnc: keepEnc}
	spec := explore.Spec[rstate, raction]{Model: cm, Labels: labels, Weights: cm.weights}
	res, err := explore.Run(spec, explore.Options{
		Workers: opts.Workers, Symmetry: opts.Symmetry, Graph: sink, Context: opts.Context,
		MaxStates: opts.MaxStates, MaxMemory: opts.MaxMemory, Progress: progress,
	})
	if err != nil {
		return nil, err
	}
	if !res.Complete {
		return nil, &Incomplete{Reason: res.StopReason, Stats: res.Stats}
	}
	c, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("risk: %v", err)
	}
	bc := &builtChain{chain: c, fps: sink.fps, encs: sink.encs, stats: res.Stats}
	runtime.AddCleanup(bc, offheap.Free[uint64], sink.fps)
	return bc, nil
}

// Incomplete is a chain whose search a budget or an interrupt stopped: no
// number can be given for it.
type Incomplete struct {
	Reason string
	Stats  explore.Stats
}

func (e *Incomplete) Error() string {
	return fmt.Sprintf("the chain could not be built whole: %s (%d states so far)", e.Reason, e.Stats.Distinct)
}

// refused: writes with acks=all are refused (the leader's ISR is below
// min.insync.replicas); offline: no leader clients can find.
func refusedLabel(m *model.Model) func(*rstate) bool {
	cfg := m.Config()
	min := cfg.EffectiveMinISR()
	return func(r *rstate) bool {
		if r.tag != modelState || cfg.Acks != model.AcksAll {
			return false
		}
		l, ok := r.s.CurrentLeader()
		return ok && r.s.Broker(l).ISR.Len() < min
	}
}

func offlineLabel(r *rstate) bool {
	if r.tag != modelState {
		return false
	}
	_, ok := r.s.CurrentLeader()
	return !ok
}

func tagLabel(t tag) func(*rstate) bool { return func(r *rstate) bool { return r.tag == t } }
