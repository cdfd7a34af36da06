package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"electcheck/history"
)

// The KRaft port through the command line: v3.5's last replica standing
// loses a committed record after an unclean shutdown (TLC: 8 states), its
// trace file records the constants and replays; with the guard on it
// holds.
func TestKraftModelFromTheCommandLine(t *testing.T) {
	out := filepath.Join(t.TempDir(), "lrs.json")
	args := []string{"check", "--model", "kraft-replication", "--variant", "v3.5", "--avoid-last-replica-standing=false", "--trace-out", out}
	stdout, stderr, code := runCLI(args...)
	if code != exitViolation || !strings.Contains(stdout, "VIOLATION of leader-completeness") ||
		!strings.Contains(stdout, "shortest trace, 8 states") || !strings.Contains(stdout, "UncleanShutdown(b = 1)") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := history.ReadFile(data)
	if err != nil {
		t.Fatalf("--trace-out wrote an unreadable file: %v", err)
	}
	if f.Model != "kraft-replication" || f.Config["variant"] != "v3.5" || f.Config["unclean_shutdown_limit"] != "1" ||
		f.Config["avoid_last_replica_standing"] != "false" || len(f.Steps) != 8 {
		t.Errorf("trace file: model %q, config %v, %d states", f.Model, f.Config, len(f.Steps))
	}
	stdout, stderr, code = runCLI("replay", out)
	if code != exitViolation || !strings.Contains(stdout, "still reproduces") {
		t.Errorf("replay: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	// The command the file records reproduces it.
	if cmd := strings.Fields(f.Command); len(cmd) < 2 || cmd[1] != "check" {
		t.Fatalf("command %q", f.Command)
	} else if _, _, code := runCLI(cmd[1:]...); code != exitViolation {
		t.Errorf("%s: exit %d", f.Command, code)
	}

	// The guard on: v3.5 holds, within TLC's state space.
	rep, code := checkJSON(t, "--model", "kraft-replication", "--variant", "v3.5", "--avoid-last-replica-standing")
	if code != exitOK || rep.Model != "kraft-replication" || rep.DistinctStates != 33794 || rep.GeneratedStates != 111418 || rep.Depth != 36 {
		t.Errorf("exit %d, %s: %d distinct, %d generated, depth %d", code, rep.Model, rep.DistinctStates, rep.GeneratedStates, rep.Depth)
	}
}

// A hand-edited step of a KRaft trace is bad input; a step no longer
// enabled is a divergence.
func TestKraftReplayDivergence(t *testing.T) {
	out := filepath.Join(t.TempDir(), "lrs.json")
	if _, _, code := runCLI("check", "--model", "kraft-replication", "--variant", "v3.5", "--avoid-last-replica-standing=false", "--trace-out", out); code != exitViolation {
		t.Fatalf("check: exit %d", code)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(t.TempDir(), "edited.json")
	for _, c := range []struct {
		from, to string
		code     int
	}{
		{"UncleanShutdown(b = 1)", "UncleanShutdown(b = 2)", exitDiverged},
		{"UncleanShutdown(b = 1)", "Crash(b = 1)", exitUsage},
	} {
		if err := os.WriteFile(edited, []byte(strings.Replace(string(data), c.from, c.to, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := runCLI("replay", edited); code != c.code {
			t.Errorf("%s: exit %d, want %d: %s", c.to, code, c.code, stderr)
		}
	}
}
