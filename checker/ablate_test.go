package checker

import (
	"strings"
	"testing"

	"electcheck/model"
)

// Every feature of the newest release has a row, in table order, and the
// rows with a counterexample name a property that holds with the feature.
func TestLadderCoversEveryFeature(t *testing.T) {
	newest := model.ReleaseFeatures(model.Latest, model.KRaft, true)
	var want []string
	for _, fi := range model.FeatureTable {
		if newest.Has(fi.Feature) {
			want = append(want, fi.Name)
		}
	}
	var got []string
	for _, c := range ablationCases {
		got = append(got, c.feature)
		if c.why == "" {
			t.Errorf("%s: no explanation", c.feature)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ablation rows %v, want the newest release's features in table order %v", got, want)
	}
}
