package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSimulateCommand(t *testing.T) {
	dir := t.TempDir()
	trace, hist := filepath.Join(dir, "w.json"), filepath.Join(dir, "w.jsonl")
	args := []string{"simulate", "--unclean-leader-election", "--records", "4", "--crashes", "3", "--walks", "2000", "--depth", "80", "--seed", "7"}
	stdout, stderr, code := runCLI(append(args, "--trace-out", trace, "--history-out", hist)...)
	if code != exitViolation || !strings.Contains(stdout, "shortest failing walk") || strings.Contains(stderr, "seed") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, stderr, stdout)
	}
	again, _, _ := runCLI(args...)
	if strip(again) != strip(stdout) {
		t.Errorf("the same seed printed otherwise:\n%s\n---\n%s", stdout, again)
	}
	if _, _, code := runCLI("replay", trace); code != exitViolation && code != exitOK {
		t.Errorf("the saved walk does not replay: exit %d", code)
	}
	if _, _, code := runCLI("lincheck", hist); code != exitViolation {
		t.Errorf("the saved history passes lincheck: exit %d", code)
	}
	// Without --seed, the seed is chosen and printed.
	_, stderr, code = runCLI("simulate", "--walks", "10")
	if code != exitOK || !strings.HasPrefix(stderr, "electcheck: seed ") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, bad := range [][]string{{"simulate", "--walks", "0"}, {"simulate", "--model", "tla-replication"}, {"simulate", "--trace-out", filepath.Join(dir, "no", "x")}} {
		if _, stderr, code := runCLI(bad...); code != exitUsage || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", bad, code, stderr)
		}
	}
	if _, err := os.Stat(trace); err != nil {
		t.Error(err)
	}
}

// strip drops the line with the wall-clock figures.
func strip(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.Contains(l, "steps/s") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
