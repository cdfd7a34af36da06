package explore

import (
	"encoding/binary"
	"math/bits"
)

// Fingerprint is a 64-bit hash of a state's canonical bytes. The visited set
// stores fingerprints only, as TLC does: two distinct states with equal
// fingerprints would make the second look visited. Result.Stats reports the
// estimated probability that this happened.
//
// The mixing is a multiply-rotate construction in the style of xxHash64
// (our own code); it is fixed, so fingerprints are stable across runs and
// machines. It never returns 0, which the visited set uses as "empty".
func Fingerprint(b []byte) uint64 {
	const (
		p1 = 0x9E3779B185EBCA87
		p2 = 0xC2B2AE3D27D4EB4F
		p3 = 0x165667B19E3779F9
		p4 = 0x85EBCA77C2B2AE63
	)
	h := p4 + uint64(len(b))*p3
	for len(b) >= 8 {
		k := binary.LittleEndian.Uint64(b)
		h ^= bits.RotateLeft64(k*p2, 31) * p1
		h = bits.RotateLeft64(h, 27)*p1 + p4
		b = b[8:]
	}
	if len(b) > 0 {
		var tail [8]byte
		copy(tail[:], b)
		k := binary.LittleEndian.Uint64(tail[:])
		h ^= bits.RotateLeft64(k*p2, 31) * p1
		h = bits.RotateLeft64(h, 23)*p2 + p3
	}
	h ^= h >> 33
	h *= p2
	h ^= h >> 29
	h *= p3
	h ^= h >> 32
	if h == 0 {
		h = 1
	}
	return h
}

// CollisionProbability is TLC's "calculated (optimistic)" estimate that a
// fingerprint collision hid a state: distinct × (generated − distinct) / 2^64.
// Each of the generated − distinct revisits could have matched any of the
// distinct fingerprints by accident.
func CollisionProbability(distinct, generated int64) float64 {
	if generated <= distinct {
		return 0
	}
	return float64(distinct) * float64(generated-distinct) / (1 << 64)
}
