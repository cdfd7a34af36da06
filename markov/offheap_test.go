package markov

import (
	"runtime"
	"testing"
	"time"

	"electcheck/internal/offheap"
)

// A large chain's arrays live outside the heap while the chain does, and
// go back once it is unreachable; so do those of a builder dropped before
// Build (a search cut short).
func TestChainArraysGoBack(t *testing.T) {
	base := offheap.InUse()
	const n = 400_000 // a cycle: 1.6 MB of targets, mapped
	build := func(finish bool) *Chain {
		b, err := NewBuilder(LabelNames{"x"})
		if err != nil {
			t.Fatal(err)
		}
		for range n {
			b.AddState(0)
		}
		for s := range uint32(n) {
			if err := b.AddRow([]Edge{{To: (s + 1) % n, Rate: 1}}); err != nil {
				t.Fatal(err)
			}
		}
		if offheap.InUse()-base < 4*n {
			t.Fatalf("the builder's arrays hold %d bytes outside the heap, want at least %d", offheap.InUse()-base, 4*n)
		}
		if !finish {
			return nil
		}
		c, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	released := func(what string) {
		t.Helper()
		for range 200 {
			runtime.GC()
			if offheap.InUse() == base {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Errorf("%s: %d bytes still mapped", what, offheap.InUse()-base)
	}
	c := build(true)
	if p, _, err := Reach(c, 1, nil); err != nil || len(p) != n {
		t.Fatalf("Reach on the cycle: %d values, %v", len(p), err)
	}
	if c.Transitions() != n {
		t.Fatalf("%d transitions, want %d", c.Transitions(), n)
	}
	c = nil
	released("a chain dropped")
	build(false)
	released("a builder dropped before Build")
}
