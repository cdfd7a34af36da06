package repofiles

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"electcheck/checker"
)

// docs/ladder.md is what electcheck ablate finds now: each feature's
// counterexample still shows, and each feature without one still changes
// no verdict.
func TestLadderUpToDate(t *testing.T) {
	rows, err := checker.Ablate(checker.AblateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !r.AsRecorded() {
			t.Errorf("%s: with it %s, without it %s (violations %s): not what docs/ladder.md records", r.Feature.Name,
				r.With.Verdict, r.Without.Verdict, checker.ViolationList(r.Without))
		}
	}
	old, err := os.ReadFile(filepath.Join("../..", LadderDoc))
	if err != nil {
		t.Fatal(err)
	}
	doc := LadderMarkdown(rows)
	switch {
	case bytes.Equal(old, doc):
	case *update:
		if err := os.WriteFile(filepath.Join("../..", LadderDoc), doc, 0o644); err != nil {
			t.Fatal(err)
		}
	default:
		t.Errorf("%s is out of date with the model: run go test ./internal/repofiles -update (or electcheck ablate --write) and review the diff", LadderDoc)
	}
}
