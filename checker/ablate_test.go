package checker

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"electcheck/model"
)

// docs/ladder.md is what electcheck ablate finds now: each feature's
// counterexample still shows, and each feature without one still changes
// no verdict.
func TestLadderUpToDate(t *testing.T) {
	rows, err := Ablate(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !r.AsRecorded() {
			t.Errorf("%s: with it %s, without it %s (violations %s): not what docs/ladder.md records", r.Feature.Name,
				r.With.Verdict, r.Without.Verdict, violationList(r.Without))
		}
	}
	old, err := os.ReadFile(filepath.Join("..", LadderDoc))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, LadderMarkdown(rows)) {
		t.Errorf("%s is out of date with the model: run go run ./cmd/electcheck ablate --write and review the diff", LadderDoc)
	}
}

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
