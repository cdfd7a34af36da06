package explore

import (
	"fmt"
	"slices"
)

// GraphSink receives the state graph of a breadth-first search
// (Options.Graph): every state's labels, and every state's successors, in
// id order, the ids being the search's (BFS order, whatever the number of
// workers). With symmetry the states are orbit representatives, and two
// actions may lead to one successor: both edges are given.
type GraphSink interface {
	// Label is called once for every state, ids ascending, with the bit
	// mask of the Spec.Labels it satisfies.
	Label(id uint32, labels uint64) error
	// Row is called once for every expanded state, ids ascending, with
	// its successors' ids and their weights (Spec.Weights, or 1), in the
	// order of the state's actions. The slices are reused after it
	// returns.
	Row(from uint32, to []uint32, weights []float64) error
}

// StateSink is a GraphSink that also wants every state: State is called
// once for every state, ids ascending, before its Label, with its
// fingerprint and its encoding (Model.Encode's bytes, reused after it
// returns).
type StateSink interface {
	State(id uint32, fp uint64, enc []byte) error
}

// checkGraphSpec refuses a graph the search cannot build.
func checkGraphSpec[S any, A any](spec Spec[S, A], opts Options) error {
	switch {
	case opts.Graph == nil:
		return nil
	case opts.Strategy != BFS:
		return fmt.Errorf("explore: a state graph is built breadth first only")
	case len(spec.Labels) > 64:
		return fmt.Errorf("explore: at most 64 labels")
	}
	return nil
}

// labelsOf is the bit mask of the labels s satisfies.
func labelsOf[S any](labels []func(*S) bool, s *S) uint64 {
	var m uint64
	for i, l := range labels {
		if l(s) {
			m |= 1 << i
		}
	}
	return m
}

// edges are what phase 1 keeps of a chunk's edges for the graph: every
// successor's fingerprint and weight, and each expanded state's number of
// successors; phase 4 resolves the fingerprints to ids.
type edges struct {
	fps     []uint64
	weights []float64
	rows    []uint32 // successors per expanded state
	to      []uint32 // the successors' ids, once resolved
	labels  []uint64 // the chunk's winners' labels, in id order
	slots   []uint32 // each candidate's slot in its shard (phase 2)
}

func (e *edges) reset() {
	e.fps, e.weights, e.rows, e.labels = e.fps[:0], e.weights[:0], e.rows[:0], e.labels[:0]
}

// record keeps an expanded state's successors (their fingerprints fps)
// and their weights (none: 1 each).
func (e *edges) record(fps []uint64, weights []float64) {
	e.fps = append(e.fps, fps...)
	if weights == nil {
		for range fps {
			e.weights = append(e.weights, 1)
		}
	} else {
		e.weights = append(e.weights, weights...)
	}
	e.rows = append(e.rows, uint32(len(fps)))
}

// resolve looks every successor's id up, once the window is numbered.
// Chunks may resolve in parallel: the set is only read.
func (e *edges) resolve(v *visitedSet) error {
	e.to = slices.Grow(e.to[:0], len(e.fps))[:len(e.fps)]
	for k, fp := range e.fps {
		id, ok := v.id(fp)
		if !ok {
			return fmt.Errorf("explore: a successor is missing from the visited set")
		}
		e.to[k] = id
	}
	return nil
}

// emit hands the chunk's new states (ids from firstID: their states to a
// StateSink, and their labels) and its expanded states' rows (ids from
// from) to the sink.
func (e *edges) emit(sink GraphSink, c *chunkOut, firstID, from uint32) error {
	ss, _ := sink.(StateSink)
	k, start := 0, uint32(0)
	for i := range c.cands {
		cd := &c.cands[i]
		if c.isNew[i] {
			id := firstID + uint32(k)
			if ss != nil {
				if err := ss.State(id, cd.fp, c.arena[start:cd.end]); err != nil {
					return err
				}
			}
			if err := sink.Label(id, e.labels[k]); err != nil {
				return err
			}
			k++
		}
		start = cd.end
	}
	pos := uint32(0)
	for i, n := range e.rows {
		if err := sink.Row(from+uint32(i), e.to[pos:pos+n], e.weights[pos:pos+n]); err != nil {
			return err
		}
		pos += n
	}
	return nil
}
