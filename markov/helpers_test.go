package markov

import (
	"math"
	"testing"
)

// spec is a small chain written out by hand: labels and rows per state.
type spec struct {
	names  LabelNames
	labels []Labels
	rows   [][]Edge
}

func (sp *spec) add(l Labels, row ...Edge) uint32 {
	sp.labels = append(sp.labels, l)
	sp.rows = append(sp.rows, row)
	return uint32(len(sp.labels) - 1)
}

// build makes the chain through the Builder, the path every caller takes.
func (sp *spec) build(t testing.TB) *Chain {
	t.Helper()
	b, err := NewBuilder(sp.names)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sp.labels {
		b.AddState(l)
	}
	for _, r := range sp.rows {
		if err := b.AddRow(r); err != nil {
			t.Fatal(err)
		}
	}
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// near fails unless got is within rel of want, relatively.
func near(t testing.TB, what string, got, want, rel float64) {
	t.Helper()
	if got == want {
		return
	}
	if d := math.Abs(got-want) / math.Abs(want); !(d <= rel) {
		t.Errorf("%s = %.17g, want %.17g (relative error %.3g > %.3g)", what, got, want, d, rel)
	}
}
