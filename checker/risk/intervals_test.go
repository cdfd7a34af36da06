package risk

import (
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// An exact sum is exact: the same bits in any order, the big.Float sum
// rounded once, and through its text form unchanged.
func TestExactSum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, math.SmallestNonzeroFloat64, 1, 1e-300, math.MaxFloat64, 3, 0x1p-1022, 0x1.fffffffffffffp-1023}
	for range 2000 {
		xs = append(xs, math.Ldexp(r.Float64(), r.IntN(2000)-1000))
	}
	var fwd, rev ExactSum
	want := new(big.Float).SetPrec(4096)
	for i, x := range xs {
		fwd.Add(x)
		rev.Add(xs[len(xs)-1-i])
		want.Add(want, new(big.Float).SetFloat64(x))
	}
	if fwd != rev {
		t.Fatal("the sum depends on the order")
	}
	w, _ := want.Float64()
	if got := fwd.Float64(); got != w {
		t.Errorf("sum %g, want %g", got, w)
	}
	if fwd.Big(4096).Cmp(want) != 0 {
		t.Errorf("sum %v, want %v", fwd.Big(4096), want)
	}
	var halves ExactSum
	var a, b ExactSum
	for i, x := range xs {
		if i%2 == 0 {
			a.Add(x)
		} else {
			b.Add(x)
		}
	}
	halves.AddSum(&a)
	halves.AddSum(&b)
	if halves != fwd {
		t.Error("two halves added up differ from the whole")
	}
	text, err := json.Marshal(fwd)
	if err != nil {
		t.Fatal(err)
	}
	var back ExactSum
	if err := json.Unmarshal(text, &back); err != nil || back != fwd {
		t.Errorf("%s reads back as %v (%v)", text, back.Big(64), err)
	}
	for _, bad := range []string{`"1p-1074"`, `"0xzzp-1074"`, `"0x1p-1073"`, `"-0x1p-1074"`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s read as an exact sum", bad)
		}
	}
	var one ExactSum
	one.Add(0.1)
	if one.Float64() != 0.1 || !(&ExactSum{}).IsZero() || one.IsZero() {
		t.Error("a one-term sum is not its term")
	}
	defer func() {
		if recover() == nil {
			t.Error("a negative term was added")
		}
	}()
	one.Add(-1)
}

// Clopper–Pearson against its closed forms (k = 0 and k = n) and a
// textbook value (5 of 100 at 95%: 0.0164 to 0.1128).
func TestClopperPearson(t *testing.T) {
	for _, n := range []int64{1, 10, 1000, 1e7} {
		iv := clopperPearson(0, n, 0.95)
		if want := -math.Expm1(math.Log(0.025) / float64(n)); iv.Low != 0 || !near(iv.High, want, 1e-12) {
			t.Errorf("0 of %d: %+v, want high %g", n, iv, want)
		}
		iv = clopperPearson(n, n, 0.95)
		if want := math.Pow(0.025, 1/float64(n)); iv.High != 1 || !near(iv.Low, want, 1e-12) {
			t.Errorf("%d of %d: %+v, want low %g", n, n, iv, want)
		}
	}
	iv := clopperPearson(5, 100, 0.95)
	if !near(iv.Low, 0.01643, 1e-3) || !near(iv.High, 0.11284, 1e-3) || iv.Estimate != 0.05 {
		t.Errorf("5 of 100: %+v", iv)
	}
	if !near(iv.RelHalfWidth, (iv.High-iv.Low)/2/0.05, 1e-15) {
		t.Errorf("relative half-width %g", iv.RelHalfWidth)
	}
}

// The normal interval's variance, from exact sums, survives values whose
// mean dwarfs their spread (where Σx² − (Σx)²/n in float64 cancels).
func TestNormalIntervalNoCancellation(t *testing.T) {
	var s1, s2 ExactSum
	const big = 1 << 26 // x² below 2^53, exact; Σx² near 2^54, not
	xs := []float64{big + 1, big + 2, big + 3, big + 4}
	for _, x := range xs {
		s1.Add(x)
		s2.Add(x * x)
	}
	mean, v := meanAndVariance(&s1, &s2, 4)
	if mean != big+2.5 || !near(v, 5.0/3, 1e-15) {
		t.Errorf("mean %g, variance %g; want 2^26+2.5, 5/3", mean, v)
	}
	iv := normalInterval(&s1, &s2, 4, 0.95, 0)
	if want := 1.959963984540054 * math.Sqrt(5.0/3/4); !near(iv.High-iv.Estimate, want, 1e-7) { // High rounds at 2^26
		t.Errorf("half-width %g, want %g", iv.High-iv.Estimate, want)
	}
}
