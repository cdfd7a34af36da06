package model

import (
	"testing"
)

// Micro-benchmarks of what the explorer calls per state, on states from
// random walks of the default configuration (go test ./model -bench .).
func benchStates(b *testing.B) (*Model, []State) {
	m, _ := New(DefaultConfig())
	return m, randomWalks(b, m, 42, 200, 30)
}

func BenchmarkDecode(b *testing.B) {
	m, states := benchStates(b)
	var encs [][]byte
	for i := range states {
		encs = append(encs, m.Encode(nil, &states[i]))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := m.Decode(encs[i%len(encs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	m, states := benchStates(b)
	var buf []byte
	for i := 0; b.Loop(); i++ {
		buf = m.Encode(buf[:0], &states[i%len(states)])
	}
}

func BenchmarkActions(b *testing.B) {
	m, states := benchStates(b)
	var acts []Action
	for i := 0; b.Loop(); i++ {
		acts = m.Actions(&states[i%len(states)], acts[:0])
	}
}

func BenchmarkNext(b *testing.B) {
	m, states := benchStates(b)
	type pair struct {
		s int
		a Action
	}
	var pairs []pair
	for i := range states {
		for _, a := range m.Actions(&states[i], nil) {
			pairs = append(pairs, pair{i, a})
		}
	}
	var t State
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := pairs[i%len(pairs)]
		t = m.Next(&states[p.s], p.a)
	}
	_ = t
}

func BenchmarkCanonicalize(b *testing.B) {
	m, states := benchStates(b)
	for i := 0; b.Loop(); i++ {
		s := states[i%len(states)]
		m.Canonicalize(&s)
	}
}

// BenchmarkCandidates is what a random walk enumerates at each step
// (explore's pick): the candidates, before Enabled checks a few.
func BenchmarkCandidates(b *testing.B) {
	m, states := benchStates(b)
	var acts []Action
	for i := 0; b.Loop(); i++ {
		acts = m.Candidates(&states[i%len(states)], acts[:0])
	}
}
