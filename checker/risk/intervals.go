package risk

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is an estimate and a confidence interval around it.
type Interval struct {
	Estimate, Low, High float64
	// RelHalfWidth is (High − Low) / 2 / Estimate: +Inf when the
	// estimate is 0, 0 when the interval is a point.
	RelHalfWidth float64
}

func interval(est, lo, hi float64) Interval {
	iv := Interval{Estimate: est, Low: lo, High: hi}
	switch half := (hi - lo) / 2; {
	case half == 0:
	case est == 0:
		iv.RelHalfWidth = math.Inf(1)
	default:
		iv.RelHalfWidth = half / est
	}
	return iv
}

// Contains reports whether x lies in [Low, High].
func (iv Interval) Contains(x float64) bool { return iv.Low <= x && x <= iv.High }

// clopperPearson is the exact binomial interval for k successes in n
// trials: [B(α/2; k, n−k+1), B(1−α/2; k+1, n−k)], B the Beta quantile,
// with 0 and 1 where k = 0 and k = n. Its coverage is at least the
// confidence for every p (it is conservative).
func clopperPearson(k, n int64, confidence float64) Interval {
	alpha := 1 - confidence
	est := float64(k) / float64(n)
	lo, hi := 0.0, 1.0
	// The ends have closed forms, B(x; 1, n) = 1 − (1 − x)^n and
	// B(x; n, 1) = x^n, which keep full precision where 1 − x is tiny.
	switch {
	case k == n:
		lo = math.Exp(math.Log(alpha/2) / float64(n))
	case k > 0:
		lo = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(alpha / 2)
	}
	switch {
	case k == 0:
		hi = -math.Expm1(math.Log(alpha/2) / float64(n))
	case k < n:
		hi = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(1 - alpha/2)
	}
	return interval(est, lo, hi)
}

// z is the standard normal quantile of a two-sided interval.
func z(confidence float64) float64 { return distuv.UnitNormal.Quantile(1 - (1-confidence)/2) }

// meanAndVariance are the mean of n values with exact sum s1 and exact
// sum of squares s2, and their sample variance, computed from the exact
// sums in high precision: no cancellation, whatever the spread.
func meanAndVariance(s1, s2 *ExactSum, n int64) (mean, variance float64) {
	const prec = 4 * 64 * exactWords
	N := new(big.Float).SetPrec(prec).SetInt64(n)
	a, b := s1.Big(prec), s2.Big(prec)
	mean, _ = new(big.Float).SetPrec(prec).Quo(a, N).Float64()
	if n < 2 {
		return mean, math.Inf(1)
	}
	// (n·s2 − s1²) / (n·(n−1))
	num := new(big.Float).SetPrec(prec).Mul(N, b)
	num.Sub(num, new(big.Float).SetPrec(prec).Mul(a, a))
	den := new(big.Float).SetPrec(prec).SetInt64(n)
	den.Mul(den, new(big.Float).SetPrec(prec).SetInt64(n-1))
	variance, _ = num.Quo(num, den).Float64()
	return mean, math.Max(variance, 0)
}

// normalInterval is the central-limit interval on the mean of n values:
// mean ± z·s/√n, s the sample standard deviation, clipped below at 0 (the
// values are never negative) and above at most (if positive: a
// probability is at most 1). It is approximate: its coverage reaches the
// confidence only as n grows, and slowly where the values are skewed (a
// likelihood ratio's heavy tail).
func normalInterval(s1, s2 *ExactSum, n int64, confidence, most float64) Interval {
	mean, v := meanAndVariance(s1, s2, n)
	half := z(confidence) * math.Sqrt(v/float64(n))
	lo, hi := math.Max(0, mean-half), mean+half
	if most > 0 {
		hi = math.Min(hi, most)
	}
	return interval(mean, lo, hi)
}

// jsonFloat is a float64 that JSON can carry whatever its value: a number,
// or "+Inf", "-Inf" or "NaN" (an estimate of 0 has an infinite relative
// half-width; a stuck incident an infinite mean).
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return strconv.AppendQuote(nil, strconv.FormatFloat(x, 'g', -1, 64)), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	s := string(b)
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("risk: %s is not a number", b)
	}
	*f = jsonFloat(x)
	return nil
}

// intervalJSON is Interval's JSON form.
type intervalJSON struct {
	Estimate     jsonFloat `json:"estimate"`
	Low          jsonFloat `json:"low"`
	High         jsonFloat `json:"high"`
	RelHalfWidth jsonFloat `json:"rel_half_width"`
}

// MarshalJSON writes the interval, infinities as strings.
func (iv Interval) MarshalJSON() ([]byte, error) {
	return json.Marshal(intervalJSON{jsonFloat(iv.Estimate), jsonFloat(iv.Low), jsonFloat(iv.High), jsonFloat(iv.RelHalfWidth)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (iv *Interval) UnmarshalJSON(b []byte) error {
	var j intervalJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*iv = Interval{float64(j.Estimate), float64(j.Low), float64(j.High), float64(j.RelHalfWidth)}
	return nil
}
