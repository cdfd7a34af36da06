package sweep

import (
	"bytes"
	"encoding/json"
	"image/png"
	"reflect"
	"strings"
	"testing"

	"electcheck/checker"
)

// sweepOf builds a sweep from lists, as the command line would.
func sweepOf(tb testing.TB, lists map[string]string, bundles ...Axis) Sweep {
	tb.Helper()
	sp := Spec{Bundles: bundles}
	for k, v := range lists {
		if err := sp.Set(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	sw, err := sp.Sweep()
	if err != nil {
		tb.Fatal(err)
	}
	sw.Search.Workers = 2
	return sw
}

func runSweep(tb testing.TB, sw Sweep, opts Options) *Report {
	tb.Helper()
	_, rep := planAndRun(tb, sw, opts)
	return rep
}

// planAndRun plans the sweep and runs it, for the tests that also need
// the plan (its empty report, to read a CSV back into).
func planAndRun(tb testing.TB, sw Sweep, opts Options) (*Plan, *Report) {
	tb.Helper()
	plan, err := sw.Plan()
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := plan.Run(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return plan, rep
}

// The inference the bounds allow gives what searching every cell gives,
// cell for cell: the same category; an inferred loss lists properties the
// search also finds broken, with trace lengths no shorter; an inferred
// safe cell is one where the search finds nothing. And inference happens,
// in both directions.
func TestSweepInferenceMatchesBruteForce(t *testing.T) {
	lists := map[string]string{
		"replication.factor": "2,3", "min.insync.replicas": "1,3", "unclean.leader.election.enable": "false,true",
		"electcheck.records": "1", "electcheck.crashes": "1..3",
	}
	inferred := runSweep(t, sweepOf(t, lists), Options{})
	brute := sweepOf(t, lists)
	brute.NoInference = true
	all := runSweep(t, brute, Options{})
	if inferred.SweepID != all.SweepID || len(inferred.Cells) != len(all.Cells) || all.Summary.Inferred != 0 {
		t.Fatalf("ids %s %s, %d and %d cells, %d inferred by brute force", inferred.SweepID, all.SweepID, len(inferred.Cells), len(all.Cells), all.Summary.Inferred)
	}
	up, down := 0, 0
	for i, c := range inferred.Cells {
		b := all.Cells[i]
		if c.Cell != b.Cell || c.Category != b.Category {
			t.Errorf("cell %d: inferred %s, searched %s", c.Cell, c.Category, b.Category)
			continue
		}
		if c.InferredFrom == nil {
			if !reflect.DeepEqual(c.Violations, b.Violations) || c.DistinctStates != b.DistinctStates {
				t.Errorf("cell %d: searched twice, different results", c.Cell)
			}
			continue
		}
		switch c.Category {
		case LosesCommitted:
			up++
			for _, v := range c.Violations {
				found := false
				for _, w := range b.Violations {
					if w.Property == v.Property {
						found = true
						if w.TraceLength > v.TraceLength {
							t.Errorf("cell %d: %s's shortest trace is %d states, the inferred bound %d", c.Cell, v.Property, w.TraceLength, v.TraceLength)
						}
					}
				}
				if !found {
					t.Errorf("cell %d: %s inferred broken, but the search finds it holds", c.Cell, v.Property)
				}
			}
		case Safe:
			down++
			if len(b.Violations) > 0 || b.Witnesses["partition-offline"] {
				t.Errorf("cell %d: inferred safe, but the search finds %d violations, offline %t", c.Cell, len(b.Violations), b.Witnesses["partition-offline"])
			}
		default:
			t.Errorf("cell %d: inferred %s", c.Cell, c.Category)
		}
	}
	if up == 0 || down == 0 {
		t.Errorf("%d cells inferred from smaller bounds, %d from larger: the test needs both", up, down)
	}
	// Pinned: the matrix's verdicts, and what inference saves: 6 of 24
	// searches. (RF 2 with min ISR 3 runs as min ISR 2 on 4.4: Kafka caps
	// min.insync.replicas at the replication factor from 3.7.)
	want := map[string]int{LosesCommitted: 6, GoesOffline: 9, Safe: 9}
	if s := inferred.Summary; !reflect.DeepEqual(s.Categories, want) || s.Searched != 18 || s.Inferred != 6 || s.Skipped != 0 || up != 4 || down != 2 {
		t.Errorf("categories %v, %d searched, %d inferred (%d up, %d down), %d skipped; want %v, 18, 6 (4, 2), 0", s.Categories, s.Searched, s.Inferred, up, down, s.Skipped, want)
	}
}

// Shards run whole groups; merged, they print what the whole sweep prints,
// byte for byte, when the cells' searches are the same ones (here, from
// the cache the shards filled).
func TestSweepShardsMergeToTheWholeSweep(t *testing.T) {
	lists := map[string]string{"replication.factor": "2,3", "acks": "1,all", "electcheck.records": "1", "electcheck.crashes": "1,2"}
	cache := t.TempDir()
	var shards []*Report
	cells := 0
	for i := 0; i < 3; i++ {
		r := runSweep(t, sweepOf(t, lists), Options{CacheDir: cache, Shard: Shard{I: i, N: 3}})
		var buf bytes.Buffer
		if err := r.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadReport(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		cells += len(back.Cells)
		shards = append(shards, back)
	}
	merged, err := Merge([]*Report{shards[2], shards[0], shards[1]})
	if err != nil {
		t.Fatal(err)
	}
	whole := runSweep(t, sweepOf(t, lists), Options{CacheDir: cache})
	if cells != len(whole.Cells) || shards[2].Cells == nil {
		t.Fatalf("shards ran %d cells, the whole sweep %d", cells, len(whole.Cells))
	}
	for _, format := range []string{"json", "text", "csv", "markdown"} {
		if a, b := render(t, merged, format), render(t, whole, format); a != b {
			t.Errorf("%s: the merged shards differ from the whole sweep:\n%s\n---\n%s", format, a, b)
		}
	}
	// Bad merges.
	other := runSweep(t, sweepOf(t, map[string]string{"replication.factor": "2,3", "electcheck.records": "1", "electcheck.crashes": "1"}), Options{Shard: Shard{I: 0, N: 3}})
	for name, c := range map[string]struct {
		in   []*Report
		want string
	}{
		"missing":   {shards[:2], "shard 2/3 is missing"},
		"duplicate": {[]*Report{shards[0], shards[0], shards[1]}, "both shard 0/3"},
		"other":     {[]*Report{shards[0], other}, "of another sweep"},
		"whole":     {[]*Report{whole}, "a whole sweep, not a shard"},
		"none":      {nil, "takes the JSON reports"},
	} {
		if _, err := Merge(c.in); err == nil || !checker.IsBadRequest(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

func render(tb testing.TB, r *Report, format string) string {
	tb.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "json":
		err = r.WriteJSON(&buf)
	case "csv":
		err = r.WriteCSV(&buf)
	case "markdown":
		r.WriteMarkdown(&buf)
	default:
		err = r.WriteText(&buf)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

// The cache answers a second run: nothing is searched, and the output is
// the same byte for byte. Refresh searches again.
func TestSweepCache(t *testing.T) {
	lists := map[string]string{"acks": "1,all", "electcheck.records": "1", "electcheck.crashes": "1"}
	cache := t.TempDir()
	var last Progress
	opts := Options{CacheDir: cache, Progress: func(p Progress) { last = p }}
	first := runSweep(t, sweepOf(t, lists), opts)
	if last.Searched != 2 || last.Cached != 0 || last.Done != 2 {
		t.Fatalf("first run: %+v", last)
	}
	second := runSweep(t, sweepOf(t, lists), opts)
	if last.Searched != 0 || last.Cached != 2 {
		t.Fatalf("second run: %+v", last)
	}
	if render(t, first, "json") != render(t, second, "json") {
		t.Error("the cached run prints otherwise")
	}
	// Adding a value searches only the new cell.
	lists["acks"] = "0,1,all"
	runSweep(t, sweepOf(t, lists), opts)
	if last.Searched != 1 || last.Cached != 2 {
		t.Errorf("after adding acks=0: %+v", last)
	}
	opts.Refresh = true
	runSweep(t, sweepOf(t, lists), opts)
	if last.Searched != 3 || last.Cached != 0 {
		t.Errorf("refresh: %+v", last)
	}
}

// A cell whose budget runs out is inconclusive, never safe, and not cached.
func TestSweepBudgetIsInconclusive(t *testing.T) {
	sw := sweepOf(t, map[string]string{"replication.factor": "2,3"})
	sw.Search.MaxStates = 50
	var last Progress
	opts := Options{CacheDir: t.TempDir(), Progress: func(p Progress) { last = p }}
	rep := runSweep(t, sw, opts)
	for _, c := range rep.Cells {
		if c.Category != Inconclusive || c.Complete {
			t.Errorf("cell %d: %s, complete %t", c.Cell, c.Category, c.Complete)
		}
	}
	runSweep(t, sw, opts)
	if last.Cached != 0 {
		t.Errorf("an inconclusive cell came from the cache: %+v", last)
	}
}

// Invalid combinations are skipped and counted; a sweep of nothing but
// invalid ones is an error.
func TestSweepSkipsInvalidCells(t *testing.T) {
	rep := runSweep(t, sweepOf(t, map[string]string{"electcheck.kafka.version": "2.7,2.8", "electcheck.controller": "kraft", "electcheck.records": "1", "electcheck.crashes": "0"}), Options{})
	if rep.Summary.Skipped != 1 || len(rep.Cells) != 1 || !strings.Contains(rep.Skipped[0].Reason, "release 2.7 has no KRaft mode") {
		t.Errorf("%+v", rep.Summary)
	}
	sw := sweepOf(t, map[string]string{"electcheck.kafka.version": "2.6,2.7", "electcheck.controller": "kraft"})
	if _, err := sw.Plan(); err == nil || !strings.Contains(err.Error(), "every cell of the sweep is invalid") {
		t.Errorf("all invalid: %v", err)
	}
}

func TestHeatMap(t *testing.T) {
	rep := runSweep(t, sweepOf(t, map[string]string{"replication.factor": "2,3", "min.insync.replicas": "1..3", "acks": "1,all", "electcheck.records": "1", "electcheck.crashes": "1"}), Options{})
	var svg1, svg2, img bytes.Buffer
	if err := rep.HeatMap(&svg1, "min-insync-replicas", "replication-factor", "svg"); err != nil {
		t.Fatal(err)
	}
	if err := rep.HeatMap(&svg2, "min-insync-replicas", "replication-factor", "svg"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(svg1.Bytes(), svg2.Bytes()) || !strings.Contains(svg1.String(), "<svg") || !strings.Contains(svg1.String(), "acks=all") {
		t.Errorf("the SVG is not deterministic, or lacks its panels")
	}
	if err := rep.HeatMap(&img, "acks", "min-insync-replicas", "png"); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&img); err != nil {
		t.Errorf("the PNG does not decode: %v", err)
	}
	for _, c := range [][3]string{{"acks", "acks", "svg"}, {"crashes", "acks", "svg"}, {"acks", "replication-factor", "pdf"}} {
		if err := rep.HeatMap(&bytes.Buffer{}, c[0], c[1], c[2]); err == nil || !checker.IsBadRequest(err) {
			t.Errorf("%v: %v", c, err)
		}
	}
}

func FuzzReadSweepReport(f *testing.F) {
	rep := runSweep(f, sweepOf(f, map[string]string{"acks": "1,all", "electcheck.records": "1", "electcheck.crashes": "1"}), Options{Shard: Shard{I: 0, N: 1}})
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	sim := sweepOf(f, map[string]string{"acks": "1,all", "electcheck.records": "1", "electcheck.crashes": "1"})
	sim.Simulate = &checker.SimulateOptions{Seed: 1, Walks: 2, Depth: 8}
	f.Add([]byte(render(f, runSweep(f, sim, Options{}).WithoutTimings(), "json")))
	f.Add([]byte(`{"command":"sweep","sweep_id":"x","axes":[],"cells":[],"skipped":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadReport(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		// A report that reads prints in every format.
		for _, format := range []string{"json", "text", "csv", "markdown"} {
			render(t, r, format)
		}
		var again bytes.Buffer
		if err := r.WriteJSON(&again); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadReport(again.Bytes()); err != nil {
			t.Fatalf("a report written does not read back: %v", err)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}

// The committed form of a sweep, CSV, reads back into the same tables.
func TestSweepCSVRoundTrip(t *testing.T) {
	sw := sweepOf(t, map[string]string{"replication.factor": "2,3", "min.insync.replicas": "1..3", "acks": "1,all", "electcheck.records": "1", "electcheck.crashes": "1,2",
		"electcheck.kafka.version": "2.7,2.8", "electcheck.controller": "kraft"})
	plan, rep := planAndRun(t, sw, Options{})
	rep = rep.WithoutTimings()
	csvText := render(t, rep, "csv")
	back, err := ReadCSV([]byte(csvText), plan.NewReport(Shard{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "markdown", "text"} {
		if a, b := render(t, rep, format), render(t, back, format); a != b {
			t.Errorf("%s differs after the CSV round trip:\n%s\n---\n%s", format, a, b)
		}
	}
	var pivot bytes.Buffer
	if err := back.WritePivot(&pivot, "min-insync-replicas", "crashes"); err != nil {
		t.Fatal(err)
	}
	// 2.7 has no KRaft mode: its cells are skipped; acks=1 loses
	// acknowledged data, min ISR 3 on RF 2 or not.
	if !strings.Contains(pivot.String(), "| 2 | 1 | 2.8 | A A | A A | A A |") || !strings.Contains(pivot.String(), "| 2 | 1 | 2.7 | · · | · · | · · |") {
		t.Errorf("pivot:\n%s", pivot.String())
	}
	if _, err := ReadCSV([]byte("cell,acks\n"), plan.NewReport(Shard{})); err == nil {
		t.Error("a CSV of another sweep read")
	}
}

func FuzzReadSweepCSV(f *testing.F) {
	sw := sweepOf(f, map[string]string{"acks": "1,all", "min.insync.replicas": "2,4", "electcheck.records": "1", "electcheck.crashes": "1"})
	fuzzReadCSV(f, sw, func(t *testing.T, r *Report) {
		var b bytes.Buffer
		if err := r.WritePivot(&b, "acks", "min-insync-replicas"); err != nil {
			t.Fatal(err)
		}
	})
}

// fuzzReadCSV fuzzes ReadCSV with sw's report as the seed: it never
// panics, its errors are one line, and what it reads prints in every
// format and passes more.
func fuzzReadCSV(f *testing.F, sw Sweep, more func(t *testing.T, r *Report)) {
	plan, rep := planAndRun(f, sw, Options{})
	f.Add([]byte(render(f, rep, "csv")))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadCSV(data, plan.NewReport(Shard{}))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		for _, format := range []string{"csv", "markdown", "text", "json"} {
			render(t, r, format)
		}
		more(t, r)
	})
}

// acks=all with min.insync.replicas above the replication factor refuses
// every write before 3.7 and runs as min ISR = RF from 3.7. The first is
// "refuses writes", not "safe": it holds every property because it takes
// no data. And a cell that refuses writes says nothing about smaller
// bounds: they are searched, not inferred safe (the two-crash cell is
// searched second, before the one-crash cell).
func TestSweepRefusesWrites(t *testing.T) {
	rep := runSweep(t, sweepOf(t, map[string]string{
		"electcheck.kafka.version": "3.6,3.7", "replication.factor": "2", "min.insync.replicas": "3", "acks": "all",
		"unclean.leader.election.enable": "true", "electcheck.records": "1", "electcheck.crashes": "0..2",
	}), Options{})
	got := map[string]string{}
	for _, c := range rep.Cells {
		got[strings.Join(c.Values, " ")] = c.Category
		if c.Values[0] == "3.6" && c.InferredFrom != nil {
			t.Errorf("cell %v inferred %s from cell %d", c.Values, c.Category, *c.InferredFrom)
		}
		if c.Category == RefusesWrites && (!c.Witnesses["produce-refused"] || c.Witnesses["committed-record"]) {
			t.Errorf("cell %v refuses writes, but witnesses %v", c.Values, c.Witnesses)
		}
	}
	want := map[string]string{"3.6 0": RefusesWrites, "3.6 1": RefusesWrites, "3.6 2": RefusesWrites, "3.7 0": Safe, "3.7 1": Safe, "3.7 2": Safe}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("categories %v, want %v", got, want)
	}
}
