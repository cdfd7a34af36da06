package sweep

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// groupsLists is a sweep of eight groups of three cells (crashes 1..3),
// small enough to run often, in which inference goes both ways: a loss
// with one crash decides two and three crashes, and nothing found with
// three decides two.
var groupsLists = map[string]string{
	"replication.factor": "2", "min.insync.replicas": "1,2", "acks": "1,all", "unclean.leader.election.enable": "false,true",
	"electcheck.records": "1", "electcheck.crashes": "1..3",
}

func withWorkers(tb testing.TB, lists map[string]string, workers int) Sweep {
	sw := sweepOf(tb, lists)
	sw.Search.Workers = workers
	return sw
}

// coherent checks a run's progress reports: Done counts up one at a time
// to the total, the counters add up to it.
func coherent(t *testing.T, name string, seen []Progress) {
	t.Helper()
	for i, p := range seen {
		if p.Done != i+1 || p.Searched+p.Cached+p.Inferred != p.Done || p.Total != seen[len(seen)-1].Total ||
			i > 0 && p.Elapsed < seen[i-1].Elapsed {
			t.Fatalf("%s: progress report %d is %+v after %+v", name, i, p, seen[max(i-1, 0)])
		}
	}
	if len(seen) == 0 || seen[len(seen)-1].Done != seen[len(seen)-1].Total {
		t.Fatalf("%s: the progress reports stop short: %+v", name, seen)
	}
}

// Groups run side by side on the sweep's workers: the report (inference
// and inferred_from included) and the cache are the same with 1, 2 or 4
// workers, searched cold and answered from the cache.
func TestSweepSameReportOnAnyWorkers(t *testing.T) {
	var want string
	var wantCache map[string]string
	for _, workers := range []int{1, 2, 4} {
		var seen []Progress
		cache := t.TempDir()
		opts := Options{CacheDir: cache, Progress: func(p Progress) { seen = append(seen, p) }}
		cold := render(t, runSweep(t, withWorkers(t, groupsLists, workers), opts).WithoutTimings(), "json")
		coherent(t, "cold", seen)
		if last := seen[len(seen)-1]; last.Inferred != 5 || last.Searched != 19 || last.Cached != 0 {
			t.Fatalf("%d workers, cold: %+v", workers, last)
		}
		seen = nil
		warm := render(t, runSweep(t, withWorkers(t, groupsLists, workers), opts).WithoutTimings(), "json")
		coherent(t, "warm", seen)
		if last := seen[len(seen)-1]; last.Inferred != 5 || last.Cached != 19 || last.Searched != 0 {
			t.Fatalf("%d workers, warm: %+v", workers, last)
		}
		entries := cacheEntries(t, cache)
		if workers == 1 {
			want, wantCache = cold, entries
			if !strings.Contains(want, `"inferred_from": 3`) || !strings.Contains(want, `"inferred_from": 23`) {
				t.Fatalf("the sweep infers neither way:\n%s", want)
			}
		}
		if cold != want || warm != want {
			t.Errorf("%d workers: the report differs from one worker's", workers)
		}
		if !reflect.DeepEqual(entries, wantCache) {
			t.Errorf("%d workers: the cache differs from one worker's", workers)
		}
	}
}

// cacheEntries are a cache directory's files, timings and workers zeroed.
func cacheEntries(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var cc cachedCell
		if err := json.Unmarshal(data, &cc); err != nil {
			return err
		}
		r := &cc.Report
		r.ElapsedSeconds, r.StatesPerSecond, r.PeakMemoryBytes, r.Workers = 0, 0, 0, 0
		norm, err := json.Marshal(cc)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = string(norm)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A sweep stopped mid-way (Ctrl-C) is marked interrupted and holds, of
// each group, the first cells in its order: each as the whole sweep has
// it, but for a search the stop cut short, which is inconclusive.
func TestSweepInterruptedSideBySide(t *testing.T) {
	whole := runSweep(t, withWorkers(t, groupsLists, 1), Options{})
	byCell := map[int]string{}
	for _, c := range whole.Cells {
		byCell[c.Cell] = cellJSON(t, c)
	}
	sw := withWorkers(t, groupsLists, 2)
	plan, err := sw.Plan()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen []Progress
	rep, err := plan.Run(Options{Context: ctx, Progress: func(p Progress) {
		seen = append(seen, p)
		if p.Done == 7 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Interrupted || len(rep.Cells) < 7 || len(rep.Cells) >= len(whole.Cells) || len(seen) != len(rep.Cells) {
		t.Fatalf("interrupted %t, %d cells of %d, %d progress reports", rep.Interrupted, len(rep.Cells), len(whole.Cells), len(seen))
	}
	got := map[int]CellReport{}
	for _, c := range rep.Cells {
		got[c.Cell] = c
	}
	run := plan.newRunner(Options{}, nil)
	for _, cells := range run.groups {
		gap := false
		for _, c := range cells {
			r, ok := got[c.Index]
			switch {
			case !ok:
				gap = true
			case gap:
				t.Errorf("cell %d is in the report, an earlier cell of its group is not", c.Index)
			case r.Category == Inconclusive && r.StopReason == "interrupted":
				gap = true // the last of its group
			case cellJSON(t, r) != byCell[c.Index]:
				t.Errorf("cell %d differs from the whole sweep's:\n%s\n%s", c.Index, cellJSON(t, r), byCell[c.Index])
			}
		}
	}
}

// cellJSON is a cell's row, timings zeroed.
func cellJSON(t *testing.T, c CellReport) string {
	t.Helper()
	r := (&Report{Cells: []CellReport{c}}).WithoutTimings()
	b, err := json.Marshal(r.Cells[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A search the memory budget stopped while it shared the machine is
// searched again alone, with every worker: a budget's verdict comes from
// a lone search only. (A budget of 1 MiB stops every search that lasts a
// tick of its monitor, these within a tick or two.)
func TestSweepMemoryBudgetSearchedAlone(t *testing.T) {
	lists := map[string]string{"replication.factor": "3", "min.insync.replicas": "2", "acks": "1,all", "unclean.leader.election.enable": "false,true",
		"electcheck.records": "2", "electcheck.crashes": "2"}
	sw := withWorkers(t, lists, 2)
	sw.Search.MaxMemory = 1 << 20
	rep := runSweep(t, sw, Options{})
	stopped := 0
	for _, c := range rep.Cells {
		if !strings.Contains(c.StopReason, "memory budget") {
			continue
		}
		stopped++
		if c.Complete || c.Workers != 2 {
			t.Errorf("cell %d: complete %t, on %d workers", c.Cell, c.Complete, c.Workers)
		}
	}
	if stopped == 0 {
		t.Fatal("no search ran out of memory")
	}
}

// A search's workers are the sweep's divided among the groups that can be
// in progress; alone, it has them all.
func TestRunnerShare(t *testing.T) {
	for _, c := range []struct {
		workers, lanes, groups, next, active int
		want                                 int
		alone                                bool
	}{
		{2, 2, 3, 1, 1, 1, false}, // the first group, the second not yet started
		{2, 2, 3, 3, 2, 1, false},
		{2, 2, 3, 3, 1, 2, true}, // the last group left
		{2, 1, 3, 1, 1, 2, true}, // one lane
		{4, 2, 2, 2, 2, 2, false},
		{4, 3, 5, 3, 3, 1, false},
		{4, 3, 5, 5, 2, 2, false},
	} {
		r := &runner{workers: c.workers, lanes: c.lanes, groups: make([][]*Cell, c.groups), next: c.next, active: c.active}
		if got, alone := r.share(); got != c.want || alone != c.alone {
			t.Errorf("%+v: %d workers, alone %t", c, got, alone)
		}
	}
}
