package checker

import "testing"

// Commas prints every int64, the smallest too (whose negation overflows:
// the fuzzer found it in a report's step count).
func TestCommas(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567",
		-9223372036854775808: "-9,223,372,036,854,775,808", 9223372036854775807: "9,223,372,036,854,775,807"} {
		if got := Commas(n); got != want {
			t.Errorf("Commas(%d) = %q, want %q", n, got, want)
		}
	}
}
