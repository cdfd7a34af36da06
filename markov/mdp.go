package markov

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// MDP is a Markov decision process in compressed sparse form: state s has
// the choices choiceOff[s] … choiceOff[s+1]−1, and choice a the
// transitions transOff[a] … transOff[a+1]−1, each a target and a
// probability. A state without choices is a deadlock (it stays put).
//
// It is discrete-time. For a continuous-time decision process whose
// choices do not change the exit rate (a CTMC whose action families split
// a fixed rate among members, the scheduler picking members), pass the
// embedded jump probabilities (or the rates: each choice is normalised)
// and, for expected time, the reward 1/E_s per visit.
type MDP struct {
	names     LabelNames
	labels    []Labels
	choiceOff []int
	transOff  []int
	to        []uint32
	p         []float64
}

// N is the number of states.
func (m *MDP) N() int { return len(m.labels) }

// Choices is the number of choices over all states.
func (m *MDP) Choices() int { return len(m.transOff) - 1 }

// Transitions is the number of transitions over all choices.
func (m *MDP) Transitions() int { return len(m.to) }

// Names are the MDP's label names.
func (m *MDP) Names() LabelNames { return m.names }

// Labels are the labels of state s.
func (m *MDP) Labels(s uint32) Labels { return m.labels[s] }

// choices returns the choice range of s.
func (m *MDP) choices(s int) (lo, hi int) { return m.choiceOff[s], m.choiceOff[s+1] }

// MDPBuilder makes an MDP from states and their choices, streamed in state
// order like Builder's rows.
type MDPBuilder struct {
	m       MDP
	rows    int
	scratch []Edge
	err     error
}

// NewMDPBuilder starts an MDP with the given label names.
func NewMDPBuilder(names LabelNames) (*MDPBuilder, error) {
	if err := names.validate(); err != nil {
		return nil, err
	}
	b := &MDPBuilder{}
	b.m.names = append(LabelNames(nil), names...)
	b.m.choiceOff = []int{0}
	b.m.transOff = []int{0}
	return b, nil
}

// AddState numbers a new state with its labels.
func (b *MDPBuilder) AddState(l Labels) uint32 {
	b.m.labels = append(b.m.labels, l)
	return uint32(len(b.m.labels) - 1)
}

// AddChoices appends the choices of the next state (state Rows()). Each
// choice's weights are normalised to probabilities; parallel edges are
// merged; self-loops are kept (in an MDP a choice to stay matters).
func (b *MDPBuilder) AddChoices(choices ...[]Edge) error {
	if b.err != nil {
		return b.err
	}
	s := b.rows
	if s >= len(b.m.labels) {
		b.err = fmt.Errorf("choices of state %d added before the state", s)
		return b.err
	}
	for a, ch := range choices {
		if err := b.addChoice(ch); err != nil {
			b.err = fmt.Errorf("state %d choice %d: %w", s, a, err)
			return b.err
		}
	}
	b.rows++
	b.m.choiceOff = append(b.m.choiceOff, len(b.m.transOff)-1)
	return nil
}

func (b *MDPBuilder) addChoice(ch []Edge) error {
	b.scratch = append(b.scratch[:0], ch...)
	slices.SortStableFunc(b.scratch, func(x, y Edge) int { return cmp.Compare(x.To, y.To) })
	total := 0.0
	for _, e := range b.scratch {
		if e.Rate < 0 || math.IsNaN(e.Rate) || math.IsInf(e.Rate, 0) {
			return fmt.Errorf("weight %v to %d: weights must be finite and non-negative", e.Rate, e.To)
		}
		total += e.Rate
	}
	if total == 0 {
		return fmt.Errorf("a choice needs a positive weight")
	}
	for i := 0; i < len(b.scratch); {
		t, w := b.scratch[i].To, 0.0
		for ; i < len(b.scratch) && b.scratch[i].To == t; i++ {
			w += b.scratch[i].Rate
		}
		if w > 0 {
			b.m.to = append(b.m.to, t)
			b.m.p = append(b.m.p, w/total)
		}
	}
	b.m.transOff = append(b.m.transOff, len(b.m.to))
	return nil
}

// Rows is the number of states whose choices were added.
func (b *MDPBuilder) Rows() int { return b.rows }

// Build checks the MDP and returns it.
func (b *MDPBuilder) Build() (*MDP, error) {
	if b.err != nil {
		return nil, b.err
	}
	if b.rows != len(b.m.labels) {
		return nil, fmt.Errorf("%d states but choices for %d", len(b.m.labels), b.rows)
	}
	for _, t := range b.m.to {
		if int(t) >= len(b.m.labels) {
			return nil, fmt.Errorf("a transition goes to state %d, but there are only %d states", t, len(b.m.labels))
		}
	}
	m := b.m
	b.m = MDP{}
	return &m, nil
}
