package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"electcheck/checker/sweep"
	"electcheck/internal/testhome"
)

// The tests run in a home of their own (TestMain): the sweep cache they
// would fill by default is not the user's.
func TestTestsKeepOutOfHome(t *testing.T) {
	if dir := sweep.DefaultCacheDir(); !strings.HasPrefix(dir, testhome.Dir()+string(filepath.Separator)) {
		t.Errorf("the default cache %s is not in the tests' home %s", dir, testhome.Dir())
	}
}

// brokenPipe is standard output that cannot be written.
type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// A report that cannot be written to standard output is exit 4 and one
// line on stderr that says so, in every format.
func TestUnwritableStdoutIsExit4(t *testing.T) {
	hist := writeFile(t, `{"format":"electcheck-history","version":1}`+"\n")
	for _, args := range [][]string{
		{"check", "--acks", "1", "--records", "1", "--crashes", "1"},
		{"check", "--acks", "1", "--records", "1", "--crashes", "1", "--format", "json"},
		{"check", "--records", "1", "--crashes", "1", "--format", "markdown"},
		{"simulate", "--walks", "10", "--seed", "1", "--format", "json"},
		{"sweep", "--acks", "1,all", "--records", "1", "--crashes", "1", "--format", "csv", "--cache-dir", t.TempDir()},
		{"replay", "../../testdata/traces/known-acks1-failover.json"},
		{"lincheck", hist},
		{"list"},
		{"version", "--json"},
	} {
		var stderr bytes.Buffer
		code := run(args, brokenPipe{}, &stderr)
		name := strings.Join(args, " ")
		if code != exitInternal || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "cannot write the report to standard output: broken pipe") {
			t.Errorf("%s: exit %d, stderr %q; want exit 4 and one line", name, code, stderr.String())
		}
	}
}

// A side file that cannot be written after the run costs nothing else:
// the report is printed in full, one line on stderr names the flag, and
// the exit code is 4.
func TestUnwritableSideFileKeepsTheReport(t *testing.T) {
	const full = "/dev/full" // every write fails with ENOSPC
	if st, err := os.Stat(full); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Skip("no /dev/full here")
	}
	dir := t.TempDir()
	plot := filepath.Join(dir, "matrix.svg")
	if err := os.Symlink(full, plot); err != nil {
		t.Fatal(err)
	}
	// A trace directory where the file a cell's trace goes to is taken by
	// a directory.
	traces := filepath.Join(dir, "traces")
	if err := os.MkdirAll(filepath.Join(traces, "cell-0000_acks-1.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	walk := filepath.Join(dir, "walk.jsonl")
	if _, _, code := runCLI("simulate", "--acks", "1", "--walks", "100", "--seed", "7", "--history-out", walk); code != exitViolation {
		t.Fatalf("no failing walk to check: exit %d", code)
	}
	for _, c := range []struct {
		args      []string
		flag      string
		inReport  string
		exitOther int // the exit code the run would have had
	}{
		{[]string{"check", "--acks", "1", "--records", "1", "--crashes", "1", "--trace-out", full}, "--trace-out", "result: VIOLATION", exitViolation},
		{[]string{"check", "--acks", "1", "--records", "1", "--crashes", "1", "--format", "json", "--history-out", full}, "--history-out", `"result": "violation"`, exitViolation},
		{[]string{"simulate", "--acks", "1", "--walks", "100", "--seed", "7", "--trace-out", full}, "--trace-out", "shortest failing walk", exitViolation},
		{[]string{"lincheck", "--html", full, walk}, "--html", "result:", exitViolation},
		{[]string{"sweep", "--acks", "1,all", "--min-insync-replicas", "1,2", "--records", "1", "--crashes", "1", "--cache-dir", t.TempDir(), "--plot", plot}, "--plot", "summary:", exitViolation},
		{[]string{"sweep", "--acks", "1,all", "--records", "1", "--crashes", "1", "--cache-dir", t.TempDir(), "--trace-dir", traces}, "--trace-dir", "summary:", exitViolation},
	} {
		stdout, stderr, code := runCLI(c.args...)
		name := strings.Join(c.args, " ")
		if code != exitInternal || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.flag+": cannot write the file") {
			t.Errorf("%s: exit %d, stderr %q; want exit 4 and one line naming %s", name, code, stderr, c.flag)
		}
		if !strings.Contains(stdout, c.inReport) {
			t.Errorf("%s: the report is missing (no %q):\n%s", name, c.inReport, stdout)
		}
	}
	if st, err := os.Stat(full); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a device: a failed write removed it", full)
	}
}

// cancelOn is stderr that cancels the run once a line containing what has
// been written: Ctrl-C at a chosen moment.
type cancelOn struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	what   string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.what) {
		c.cancel()
	}
	return len(p), nil
}

// Ctrl-C on every command that runs for long ends it with what it found so
// far, a line that says it was interrupted, and exit 3 (1 if a property
// had already failed: that much is certain).
func TestInterruptEndsWithWhatWasFound(t *testing.T) {
	for _, c := range []struct {
		args     []string
		cancelAt string // Ctrl-C once stderr shows this ("" at once)
		stdout   string // what the report must still hold
		stderr   string
	}{
		{[]string{"ablate", "--progress"}, "ablate 2/", "epoch-truncation (KIP-101", "interrupted after 1 of the ladder's features"},
		{[]string{"catalogue", "--check", "--no-matrix", "--dir", "../.."}, "", "", "interrupted before the catalogue was complete"},
		{[]string{"bench", "--only", "tla-kip320,kafka-default"}, "", "search", "interrupted after 0 of 2 searches"},
		{[]string{"check", "--records", "3"}, "", "result: inconclusive", ""},
		{[]string{"simulate", "--walks", "10000000", "--seed", "1", "--progress"}, "walks", "INTERRUPTED after", ""},
		{[]string{"sweep", "--crashes", "1,2", "--records", "1,2", "--cache-dir", t.TempDir(), "--progress"}, "1/4 cells", "INTERRUPTED", ""},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		stderr := &cancelOn{what: c.cancelAt, cancel: cancel}
		if c.cancelAt == "" {
			cancel()
		}
		var stdout bytes.Buffer
		code := runContext(ctx, c.args, &stdout, stderr)
		cancel()
		name := strings.Join(c.args, " ")
		if code != exitInconclusive || !strings.Contains(stdout.String(), c.stdout) || !strings.Contains(stderr.buf.String(), c.stderr) {
			t.Errorf("%s: exit %d, stderr %q, stdout:\n%s", name, code, stderr.buf.String(), stdout.String())
		}
	}
}
