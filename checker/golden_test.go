package checker

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"electcheck/history"
)

// goldenTraces reads every trace of testdata/traces.
func goldenTraces(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("../testdata/traces/*.json")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

// TestGoldenTraces replays every golden trace through the current model:
// each must replay step by step as recorded, still break the property it
// names, and still reach the witness it names. A failure here means the
// model changed what a published scenario shows: regenerate (see
// docs/traces.md) only if the change is intended, and say so in the commit.
func TestGoldenTraces(t *testing.T) {
	traces := goldenTraces(t)
	// Every seed story has golden traces, and so does every known result.
	for _, prefix := range []string{"seed-000-", "seed-001-", "seed-002-", "seed-003-", "seed-004-", "known-"} {
		n := 0
		for name := range traces {
			if strings.HasPrefix(name, prefix) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no golden trace %s*.json", prefix)
		}
	}
	properties, witnesses := 0, 0
	for name, data := range traces {
		f, err := ReadTrace(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if again, _ := f.Marshal(); !bytes.Equal(again, data) {
			t.Errorf("%s does not round-trip byte for byte", name)
		}
		if f.Title == "" || f.Command == "" {
			t.Errorf("%s lacks a title or the command that reproduces it", name)
		}
		res, err := Replay(f)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want := history.Matches
		if f.Property != "" {
			want = history.Reproduces
			properties++
		}
		if res.Outcome != want || res.Replayed != len(f.Steps)-1 {
			t.Errorf("%s: %s after %d of %d steps (want %s): %s", name, res.Outcome, res.Replayed, len(f.Steps)-1, want, res.Reason)
		}
		if f.Property != "" && res.Message != f.Message {
			t.Errorf("%s: %s now fails with %q, recorded %q", name, f.Property, res.Message, f.Message)
		}
		if f.Witness != "" {
			witnesses++
			if !res.WitnessReached {
				t.Errorf("%s: %s is no longer reached at the end", name, f.Witness)
			}
		}
	}
	if properties < 15 || witnesses < 4 {
		t.Errorf("%d golden traces break a property and %d reach a witness; the catalogue has at least 15 and 4", properties, witnesses)
	}
}
