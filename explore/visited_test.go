package explore

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

func TestVisitedSetAgreesWithAMap(t *testing.T) {
	seed := uint64(20261121)
	r := rand.New(rand.NewPCG(seed, 1))
	v := newVisitedSet(false)
	ref := map[uint64]bool{}
	keys := make([]uint64, 60000)
	for i := range keys {
		keys[i] = r.Uint64() | 1 // never 0
	}
	for i := range 400000 {
		fp := keys[r.IntN(len(keys))] // force many repeats
		if got, want := v.insert(fp), !ref[fp]; got != want {
			t.Fatalf("seed %d, op %d: insert(%x) = %v, want %v", seed, i, fp, got, want)
		}
		ref[fp] = true
	}
	for _, fp := range keys {
		if v.contains(fp) != ref[fp] {
			t.Fatalf("contains(%x) = %v, want %v", fp, v.contains(fp), ref[fp])
		}
	}
	if v.len() != len(ref) {
		t.Errorf("size %d, want %d", v.len(), len(ref))
	}
	// Fingerprints that share their shard bits and home bucket spill
	// correctly into the following buckets.
	w := newVisitedSet(false)
	for i := range uint64(200) {
		if !w.insert(1<<63 | i<<1 | 1) {
			t.Fatalf("colliding fingerprint %d reported present", i)
		}
	}
	for i := range uint64(200) {
		if !w.contains(1<<63 | i<<1 | 1) {
			t.Fatalf("colliding fingerprint %d lost", i)
		}
	}
	// Each bucket is one cache line.
	for i := range w.shards {
		if addr := uintptr(unsafe.Pointer(&w.shards[i].buckets[0])); addr%64 != 0 {
			t.Fatalf("shard %d's buckets start at %x, not on a cache line", i, addr)
		}
	}
}

func TestLinks(t *testing.T) {
	var l links
	for i := range linkChunk*2 + 10 {
		if id := l.add(uint32(i)*3, i%300); id != uint32(i) {
			t.Fatalf("id %d, want %d", id, i)
		}
	}
	for i := range linkChunk*2 + 10 {
		if l.parent(uint32(i)) != uint32(i)*3 || l.act(uint32(i)) != i%300 {
			t.Fatalf("link %d: parent %d act %d", i, l.parent(uint32(i)), l.act(uint32(i)))
		}
	}
}

func TestFingerprint(t *testing.T) {
	seen := map[uint64][]byte{}
	var b []byte
	// Every byte string up to length 2, and the growing prefixes of a
	// longer one: all distinct inputs, so all fingerprints must differ.
	add := func(in []byte) {
		fp := Fingerprint(in)
		if fp == 0 {
			t.Fatalf("Fingerprint(%x) = 0", in)
		}
		if prev, ok := seen[fp]; ok {
			t.Fatalf("Fingerprint(%x) = Fingerprint(%x)", in, prev)
		}
		seen[fp] = append([]byte(nil), in...)
	}
	add(nil)
	for i := range 256 {
		add([]byte{byte(i)})
		for j := range 256 {
			add([]byte{byte(i), byte(j)})
		}
	}
	for i := range 100 {
		b = append(b, byte(i*7))
		if i >= 2 {
			add(b)
		}
	}
}

func TestCollisionProbability(t *testing.T) {
	if p := CollisionProbability(1000, 1000); p != 0 {
		t.Errorf("no revisits: %g, want 0", p)
	}
	// TLC's formula: n (g - n) / 2^64.
	want := 1e6 * 2e6 / 18446744073709551616.0
	if p := CollisionProbability(1_000_000, 3_000_000); p != want {
		t.Errorf("got %g, want %g", p, want)
	}
}
