package markov

import (
	"cmp"
	"electcheck/internal/offheap"
	"fmt"
	"math"
	"runtime"
	"slices"
)

// Edge is one transition handed to a Builder: a target state and a rate.
type Edge struct {
	To   uint32
	Rate float64
}

// MaxRates is the number of distinct rates a chain can hold.
const MaxRates = 1 << 16

// Builder makes a Chain from rows streamed in state order, the order a
// breadth-first explorer numbers and expands states in: AddState when a
// state is numbered, AddRow when it is expanded (row i belongs to state i,
// so rows never run ahead of states). A row may name states not added yet;
// Build checks every target.
//
// Within a row, parallel transitions to one target are merged into one
// whose rate is their sum, added in the order given (so the result does not
// depend on anything but the row); that summed rate is what the chain's
// rate table holds. Self-loops are dropped: in a CTMC they change no
// probability and no time. Zero rates are dropped too (no transition);
// negative, infinite and NaN rates are errors.
type Builder struct {
	c       *Chain
	intern  map[float64]uint16
	last    float64 // the last rate interned, and its index: rows repeat rates
	lastIx  uint16
	scratch []Edge
	rows    int
	err     error
}

// NewBuilder starts a chain with the given label names (at most MaxLabels).
func NewBuilder(names LabelNames) (*Builder, error) {
	if err := names.validate(); err != nil {
		return nil, err
	}
	b := &Builder{c: &Chain{}, intern: map[float64]uint16{}, last: math.NaN()}
	// A builder dropped before Build (a search cut short) gives its arrays
	// back; Build hands them to the chain, which does (Chain.free).
	runtime.AddCleanup(b, func(c *Chain) {
		if !c.built {
			c.chainArrays.free()
		}
	}, b.c)
	b.c.names = append(LabelNames(nil), names...)
	b.c.off32 = []uint32{0}
	b.c.ri8 = []uint8{}
	b.c.tab8 = new([1 << 8]float64)
	return b, nil
}

// Grow reserves room for that many more states and transitions, so that a
// caller who knows the size avoids growing the arrays step by step. (The
// arrays of a large chain live outside the Go heap and grow in place, see
// internal/offheap, so growing costs no transient copy either way.)
func (b *Builder) Grow(states, transitions int) {
	b.c.labels = offheap.Reserve(b.c.labels, states)
	if b.c.off64 != nil {
		b.c.off64 = offheap.Reserve(b.c.off64, states)
	} else {
		b.c.off32 = offheap.Reserve(b.c.off32, states)
	}
	b.c.to = offheap.Reserve(b.c.to, transitions)
	if b.c.ri16 != nil {
		b.c.ri16 = offheap.Reserve(b.c.ri16, transitions)
	} else {
		b.c.ri8 = offheap.Reserve(b.c.ri8, transitions)
	}
}

// AddState numbers a new state with its labels and returns its index.
func (b *Builder) AddState(l Labels) uint32 {
	if len(b.c.labels) == math.MaxUint32 && b.err == nil {
		b.err = fmt.Errorf("more than %d states", uint32(math.MaxUint32))
	}
	b.c.labels = offheap.Append(b.c.labels, l)
	return uint32(len(b.c.labels) - 1)
}

// Label adds labels to state s, already added.
func (b *Builder) Label(s uint32, l Labels) {
	if int(s) >= len(b.c.labels) {
		b.fail(fmt.Errorf("Label: state %d not added (%d states)", s, len(b.c.labels)))
		return
	}
	b.c.labels[s] |= l
}

// States is the number of states added so far; Rows the number of rows.
func (b *Builder) States() int { return len(b.c.labels) }

// Rows is the number of rows added so far: the next row is that state's.
func (b *Builder) Rows() int { return b.rows }

func (b *Builder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// AddRow appends the transitions out of the next state (state Rows()). The
// edges slice is not retained. An error is sticky: Build returns the first.
func (b *Builder) AddRow(edges []Edge) error {
	if b.err != nil {
		return b.err
	}
	s := b.rows
	if s >= len(b.c.labels) {
		b.fail(fmt.Errorf("row %d added before state %d", s, s))
		return b.err
	}
	b.scratch = append(b.scratch[:0], edges...)
	// Stable, so that parallel edges are summed in the order given.
	slices.SortStableFunc(b.scratch, func(x, y Edge) int { return cmp.Compare(x.To, y.To) })
	for i := 0; i < len(b.scratch); {
		t, sum := b.scratch[i].To, 0.0
		for ; i < len(b.scratch) && b.scratch[i].To == t; i++ {
			r := b.scratch[i].Rate
			if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
				b.fail(fmt.Errorf("state %d: transition to %d has rate %v: rates must be finite and non-negative", s, t, r))
				return b.err
			}
			sum += r
		}
		if int(t) == s || sum == 0 {
			continue
		}
		if math.IsInf(sum, 0) {
			b.fail(fmt.Errorf("state %d: the rates to %d sum to infinity", s, t))
			return b.err
		}
		if err := b.push(t, sum); err != nil {
			b.fail(fmt.Errorf("state %d: %w", s, err))
			return b.err
		}
	}
	b.rows++
	n := uint64(len(b.c.to))
	if b.c.off64 == nil && n > math.MaxUint32 {
		b.widenOffsets()
	}
	if b.c.off64 != nil {
		b.c.off64 = offheap.Append(b.c.off64, n)
	} else {
		b.c.off32 = offheap.Append(b.c.off32, uint32(n))
	}
	return nil
}

// push appends one merged transition.
func (b *Builder) push(t uint32, r float64) error {
	ix, err := b.index(r)
	if err != nil {
		return err
	}
	b.c.to = offheap.Append(b.c.to, t)
	if b.c.ri16 != nil {
		b.c.ri16 = offheap.Append(b.c.ri16, ix)
	} else {
		b.c.ri8 = offheap.Append(b.c.ri8, uint8(ix))
	}
	return nil
}

// index interns a rate, widening the index to two bytes at the 257th rate.
func (b *Builder) index(r float64) (uint16, error) {
	if r == b.last {
		return b.lastIx, nil
	}
	ix, ok := b.intern[r]
	if !ok {
		n := len(b.c.rates)
		if n == MaxRates {
			return 0, fmt.Errorf("more than %d distinct rates: round the rates, or lump states", MaxRates)
		}
		if n == 1<<8 {
			b.widenRates()
		}
		ix = uint16(n)
		b.intern[r] = ix
		b.c.rates = append(b.c.rates, r)
		if b.c.tab16 != nil {
			b.c.tab16[ix] = r
		} else {
			b.c.tab8[ix] = r
		}
	}
	b.last, b.lastIx = r, ix
	return ix, nil
}

func (b *Builder) widenRates() {
	wide := offheap.Reserve([]uint16(nil), max(cap(b.c.ri8), len(b.c.ri8)+1))[:len(b.c.ri8)]
	for k, v := range b.c.ri8 {
		wide[k] = uint16(v)
	}
	offheap.Free(b.c.ri8)
	b.c.ri16, b.c.ri8 = wide, nil
	b.c.tab16 = new([1 << 16]float64)
	copy(b.c.tab16[:], b.c.tab8[:])
	b.c.tab8 = nil
}

func (b *Builder) widenOffsets() {
	wide := offheap.Reserve([]uint64(nil), cap(b.c.off32))[:len(b.c.off32)]
	for k, v := range b.c.off32 {
		wide[k] = uint64(v)
	}
	offheap.Free(b.c.off32)
	b.c.off64, b.c.off32 = wide, nil
}

// Build checks that every state has its row and every target is a state,
// and returns the chain. The builder must not be used afterwards.
func (b *Builder) Build() (*Chain, error) {
	if b.err != nil {
		return nil, b.err
	}
	if b.rows != len(b.c.labels) {
		return nil, fmt.Errorf("%d states but %d rows: every state needs a row (an empty one for a deadlock)", len(b.c.labels), b.rows)
	}
	n := uint32(len(b.c.labels))
	for k, t := range b.c.to {
		if t >= n {
			return nil, fmt.Errorf("a transition (number %d) goes to state %d, but there are only %d states", k, t, n)
		}
	}
	c := b.c
	c.built = true
	runtime.AddCleanup(c, chainArrays.free, c.chainArrays)
	b.c = nil
	b.intern = nil
	return c, nil
}
