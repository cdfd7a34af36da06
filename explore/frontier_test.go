package explore

import (
	"bytes"
	"electcheck/internal/offheap"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
)

// Delta coding gives back every state, whatever its length and the one
// before it: longer, shorter, equal, past 64 bytes, empty.
func TestDeltaCodingRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var block []byte
	var states [][]byte
	prev := []byte{}
	for i := range 5000 {
		var s []byte
		switch {
		case i%500 == 0:
			s = []byte{}
		case i > 0 && r.IntN(3) > 0:
			// A successor: the state before with a few bytes changed, and
			// sometimes longer or shorter.
			s = append([]byte(nil), states[i-1]...)
			for range r.IntN(4) {
				if len(s) > 0 {
					s[r.IntN(len(s))] = byte(r.Uint32())
				}
			}
			switch r.IntN(6) {
			case 0:
				s = append(s, byte(r.Uint32()), 0, 7)
			case 1:
				s = s[:len(s)/2]
			}
		default:
			s = make([]byte, r.IntN(200))
			for j := range s {
				s[j] = byte(r.Uint32())
			}
		}
		states = append(states, s)
		block = encodeDelta(block, prev, s)
		prev = s
	}
	pos := 0
	var cur []byte
	for i, want := range states {
		var err error
		if cur, pos, err = decodeDelta(block, pos, cur); err != nil {
			t.Fatalf("state %d: %v", i, err)
		}
		if !bytes.Equal(cur, want) {
			t.Fatalf("state %d: got %x, want %x", i, cur, want)
		}
	}
	if pos != len(block) {
		t.Errorf("%d bytes left over", len(block)-pos)
	}
	// Successors cost a fraction of their bytes.
	raw := 0
	for _, s := range states {
		raw += len(s)
	}
	t.Logf("%d bytes coded to %d", raw, len(block))
	// Truncated blocks are errors, never panics.
	for cut := range min(len(block), 300) {
		p, c := 0, []byte(nil)
		for p < cut {
			var err error
			if c, p, err = decodeDelta(block[:cut], p, c); err != nil {
				break
			}
		}
	}
}

// cube is a model with wide levels: a point in [0,n]³ stepping along any
// axis or rotating its coordinates, so that a level spans several blocks
// and windows and duplicates meet across them.
type cube struct{ n uint8 }

type cubePoint [3]uint8

func (c cube) Init() []cubePoint { return []cubePoint{{}} }

func (c cube) Actions(p *cubePoint, dst []int) []int {
	for i := range 3 {
		if p[i] < c.n {
			dst = append(dst, i)
		}
	}
	return append(dst, 3)
}

func (c cube) Next(p *cubePoint, a int) cubePoint {
	q := *p
	if a == 3 {
		return cubePoint{p[1], p[2], p[0]}
	}
	q[a]++
	return q
}

func (c cube) Encode(dst []byte, p *cubePoint) []byte { return append(dst, p[0], p[1], p[2]) }

func (c cube) Decode(b []byte) (cubePoint, error) {
	if len(b) != 3 {
		return cubePoint{}, fmt.Errorf("bad length %d", len(b))
	}
	return cubePoint{b[0], b[1], b[2]}, nil
}

func cubeSpec(n uint8, sumBelow int) Spec[cubePoint, int] {
	return Spec[cubePoint, int]{
		Model: cube{n},
		Invariants: []Invariant[cubePoint]{{Name: "sum-below", Check: func(p *cubePoint) error {
			if s := int(p[0]) + int(p[1]) + int(p[2]); s >= sumBelow {
				return fmt.Errorf("sum %d", s)
			}
			return nil
		}}},
		Witnesses: []Witness[cubePoint]{{Name: "diagonal", Reached: func(p *cubePoint) bool { return p[0] == n/2 && p[1] == n/2 && p[2] == n/2 }}},
	}
}

// Windows of any size, any number of workers and a frontier spilled to
// disk give one result: that of a sequential search. The levels here span
// up to a dozen blocks, so one-block windows take a dozen per level; the
// spill files are gone afterwards.
func TestWindowsAndSpillGiveIdenticalResults(t *testing.T) {
	defer func(w int, c, s int64) { windowBlocks, codeAbove, spillAbove = w, c, s }(windowBlocks, codeAbove, spillAbove)
	const n = 40
	dir := t.TempDir()
	for _, sum := range []int{60, 1000} {
		var first Result[cubePoint, int]
		for i, c := range []struct {
			window, workers int
			code            int64 // codeAbove: 0 codes every level, 1<<62 none (unless spilled)
			dir             string
			spill           int64 // spillAbove: 0 spills from the start
		}{{128, 1, 1 << 62, "", 0}, {1, 1, 1 << 62, "", 0}, {1, 2, 0, "", 0}, {3, 8, 0, "", 0},
			{1, 2, 1 << 62, dir, 0}, {128, 2, 0, dir, 0}, {2, 2, 1 << 62, dir, 4 * slabBytes}} {
			windowBlocks, codeAbove, spillAbove = c.window, c.code, c.spill
			res, err := Run(cubeSpec(n, sum), Options{Workers: c.workers, KeepGoing: true, FrontierDir: c.dir})
			if err != nil {
				t.Fatal(err)
			}
			// Memory figures aside: the visited set grows once per window,
			// so its size depends on the window (not on the workers:
			// TestWorkersGiveIdenticalResults).
			res.Stats.Elapsed, res.Stats.PeakMemory, res.Stats.Workers, res.Stats.FrontierBytes, res.Stats.VisitedBytes = 0, 0, 0, 0, 0
			if i == 0 {
				first = res
				if sum == 1000 && (res.Stats.Distinct != (n+1)*(n+1)*(n+1) || !res.Complete) {
					t.Fatalf("%d states, complete %t", res.Stats.Distinct, res.Complete)
				}
				if sum == 60 && (res.Verdict != Violation || len(res.Violations[0].Trace.Actions) != 60) {
					t.Fatalf("verdict %v, %+v", res.Verdict, res.Violations)
				}
				continue
			}
			if !reflect.DeepEqual(res, first) {
				t.Errorf("sum %d, %+v: differs:\n%+v\n%+v", sum, c, res.Stats, first.Stats)
			}
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the frontier directory still holds %d files", len(left))
	}
}

// The frontiers live off the heap: a search's maps are all returned when
// it ends.
func TestSearchReturnsItsMemory(t *testing.T) {
	before := offheap.InUse()
	if _, err := Run(cubeSpec(30, 1000), Options{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if after := offheap.InUse(); after != before {
		t.Errorf("%d bytes mapped before the search, %d after", before, after)
	}
}

// BenchmarkDeltaCoding codes and decodes successors of a 72-byte state
// that differ in a few bytes, as the Kafka model's do.
func BenchmarkDeltaCoding(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	states := make([][]byte, 256)
	base := make([]byte, 72)
	for i := range base {
		base[i] = byte(r.Uint32())
	}
	for i := range states {
		s := append([]byte(nil), base...)
		for range 3 {
			s[r.IntN(len(s))] = byte(r.Uint32())
		}
		states[i] = s
	}
	var block, cur []byte
	for b.Loop() {
		block = block[:0]
		var prev []byte
		for _, s := range states {
			block = encodeDelta(block, prev, s)
			prev = s
		}
		pos := 0
		for range states {
			cur, pos, _ = decodeDelta(block, pos, cur)
		}
	}
	b.ReportMetric(float64(len(block))/float64(len(states)), "coded-B/state")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(states)), "ns/state")
}

// A frontier moved to disk part way (its blocks spread over several slabs)
// reads back every block as it was, those appended after the move too.
func TestFrontierToDisk(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var f frontier
	defer f.free()
	var want [][]byte
	add := func(count int) {
		for range count {
			b := make([]byte, 1+r.IntN(300_000))
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			if err := f.appendBlock(b, 1+r.IntN(blockStates), len(b)); err != nil {
				t.Fatal(err)
			}
			want = append(want, b)
		}
	}
	check := func(when string) {
		var buf []byte
		var out [][]byte
		for lo := 0; lo < len(want); lo += 7 {
			hi := min(lo+7, len(want))
			var err error
			if buf, out, err = f.window(lo, hi, buf, out); err != nil {
				t.Fatal(err)
			}
			for i, b := range out {
				if !bytes.Equal(b, want[lo+i]) {
					t.Fatalf("%s: block %d differs", when, lo+i)
				}
			}
		}
	}
	add(150) // about 22 MB: two slabs and part of a third
	if len(f.slabs) < 3 {
		t.Fatalf("%d slabs", len(f.slabs))
	}
	check("in memory")
	if err := f.toDisk(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if len(f.slabs) != 1 || f.spill == nil {
		t.Fatalf("after the move: %d slabs, file %v", len(f.slabs), f.spill)
	}
	add(80)
	if err := f.flush(); err != nil {
		t.Fatal(err)
	}
	check("on disk")
}
