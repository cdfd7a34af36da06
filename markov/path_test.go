package markov

import (
	"math"
	"slices"
	"testing"
)

// The most likely path is not the shortest: a direct jump to the loss
// with probability 0.1 loses to a two-step path of 0.9 · 0.9. Without a
// way to the target there is no path.
func TestMostLikelyPath(t *testing.T) {
	sp := &spec{names: LabelNames{"lost", "healed"}}
	sp.add(0, Edge{1, 9}, Edge{3, 1}) // 0
	sp.add(0, Edge{3, 9}, Edge{2, 1}) // 1
	sp.add(2)                         // 2 healed
	sp.add(1)                         // 3 lost
	c := sp.build(t)
	mask := c.Names().MustMask("lost")
	lost := func(s uint32) bool { return c.Labels(s).Has(mask) }
	path, p := MostLikelyPath(c, 0, lost)
	if !slices.Equal(path, []uint32{0, 1, 3}) || math.Abs(p-0.81) > 1e-15 {
		t.Errorf("path %v with p %g, want [0 1 3] with 0.81", path, p)
	}
	if path, p := MostLikelyPath(c, 2, lost); path != nil || p != 0 {
		t.Errorf("from the healed state: %v, %g; want no path", path, p)
	}
	if path, p := MostLikelyPath(c, 3, lost); !slices.Equal(path, []uint32{3}) || p != 1 {
		t.Errorf("from the target: %v, %g; want [3], 1", path, p)
	}
}

// On a random chain the path's probability is the product of its jumps,
// and no single jump away from it does better at the first step.
func TestMostLikelyPathIsAProduct(t *testing.T) {
	c := prismRandom(t)
	mask := c.Names().MustMask("lost")
	lost := func(s uint32) bool { return c.Labels(s).Has(mask) }
	path, p := MostLikelyPath(c, 0, lost)
	if len(path) < 2 || !lost(path[len(path)-1]) {
		t.Fatalf("path %v does not end in a loss", path)
	}
	prod := 1.0
	for i := 0; i+1 < len(path); i++ {
		r := 0.0
		for to, rate := range c.Row(path[i]) {
			if to == path[i+1] {
				r = rate
			}
		}
		prod *= r / c.Exit(path[i])
	}
	if math.Abs(prod-p) > 1e-12*p {
		t.Errorf("path probability %g, product of its jumps %g", p, prod)
	}
	// Another path's probability cannot be above it: check the best
	// path from each first jump that is not the chosen one.
	for to, rate := range c.Row(0) {
		if to == path[1] {
			continue
		}
		rest, q := MostLikelyPath(c, to, lost)
		if rest != nil && rate/c.Exit(0)*q > p*(1+1e-12) {
			t.Errorf("via %d: %g beats the chosen %g", to, rate/c.Exit(0)*q, p)
		}
	}
}
