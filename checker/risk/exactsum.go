package risk

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// ExactSum is a sum of non-negative finite float64 values kept exactly:
// a fixed-point integer in units of 2^-1074 (the smallest subnormal), wide
// enough for every float64 and 2^64 additions of the largest. Addition is
// exact, so a sum does not depend on the order of its terms: the runs of
// a simulation add up to the same bits whatever the number of workers and
// however the runs are split into shards and merged.
type ExactSum struct {
	w [exactWords]uint64
}

// exactWords holds bits 0..2175: a float64 below 2^1024 reaches bit 2097
// (2^1023 · 2^1074 · 2 − 1), and 64 more bits of headroom take the carries.
const exactWords = 34

// Add adds x, which must be finite and non-negative (it panics
// otherwise: a likelihood ratio or a time is never negative).
func (s *ExactSum) Add(x float64) {
	if x == 0 {
		return
	}
	if !(x > 0) || math.IsInf(x, 1) {
		panic(fmt.Sprintf("risk: ExactSum.Add(%g)", x))
	}
	b := math.Float64bits(x)
	exp := int(b >> 52 & 0x7ff)
	mant := b & (1<<52 - 1)
	shift := 0
	if exp > 0 { // normal: (2^52 + mant) · 2^(exp−1075) = (…) · 2^-1074 · 2^(exp−1)
		mant |= 1 << 52
		shift = exp - 1
	}
	word, off := shift/64, uint(shift%64)
	lo, hi := mant<<off, uint64(0)
	if off > 0 {
		hi = mant >> (64 - off)
	}
	var c uint64
	s.w[word], c = bits.Add64(s.w[word], lo, 0)
	s.w[word+1], c = bits.Add64(s.w[word+1], hi, c)
	for i := word + 2; c != 0; i++ {
		s.w[i], c = bits.Add64(s.w[i], 0, c)
	}
}

// AddSum adds another exact sum.
func (s *ExactSum) AddSum(t *ExactSum) {
	if !s.TryAddSum(t) {
		panic("risk: ExactSum overflow")
	}
}

// TryAddSum adds another exact sum, or reports that the total does not
// fit (sums read from a file may be anything), leaving s unchanged.
func (s *ExactSum) TryAddSum(t *ExactSum) bool {
	sum := *s
	var c uint64
	for i := range sum.w {
		sum.w[i], c = bits.Add64(sum.w[i], t.w[i], c)
	}
	if c != 0 {
		return false
	}
	*s = sum
	return true
}

// int is the sum in units of 2^-1074.
func (s *ExactSum) int() *big.Int {
	var n big.Int
	for i := len(s.w) - 1; i >= 0; i-- {
		n.Lsh(&n, 64)
		n.Or(&n, new(big.Int).SetUint64(s.w[i]))
	}
	return &n
}

// Big is the sum as a big.Float of precision prec (rounded to nearest
// even when prec is too small to hold it).
func (s *ExactSum) Big(prec uint) *big.Float {
	f := new(big.Float).SetPrec(prec).SetInt(s.int())
	return f.SetMantExp(f, -1074)
}

// Float64 is the sum rounded to the nearest float64 (+Inf beyond the
// largest).
func (s *ExactSum) Float64() float64 {
	f, _ := s.Big(64 * exactWords).Float64()
	return f
}

// IsZero reports whether nothing but zeros was added.
func (s *ExactSum) IsZero() bool { return s.w == [exactWords]uint64{} }

// MarshalText writes the sum exactly: the integer in units of 2^-1074,
// in hexadecimal ("0x…p-1074"), so that shards computed apart merge to
// the same bits.
func (s ExactSum) MarshalText() ([]byte, error) {
	return fmt.Appendf(nil, "0x%xp-1074", s.int()), nil
}

// UnmarshalText reads what MarshalText wrote.
func (s *ExactSum) UnmarshalText(b []byte) error {
	t := string(b)
	if len(t) < 9 || t[:2] != "0x" || t[len(t)-6:] != "p-1074" {
		return fmt.Errorf("risk: %q is not an exact sum (0x…p-1074)", t)
	}
	n, ok := new(big.Int).SetString(t[2:len(t)-6], 16)
	if !ok || n.Sign() < 0 || n.BitLen() > 64*exactWords {
		return fmt.Errorf("risk: %q is not an exact sum (0x…p-1074)", t)
	}
	var w [exactWords]uint64
	mask := new(big.Int).SetUint64(math.MaxUint64)
	for i := range w {
		w[i] = new(big.Int).And(n, mask).Uint64()
		n.Rsh(n, 64)
	}
	s.w = w
	return nil
}
