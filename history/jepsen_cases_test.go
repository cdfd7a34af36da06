package history

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Jepsen's own anomaly cases (jepsen/test/jepsen/tests/kafka_test.clj),
// each history written as testdata/histories/jepsen/<deftest>[-<case>].edn
// (the file's header says what Jepsen asserts and how values were mapped).
// The cycle cases (g0-test, g1c-pure-wr-test, g1c-ww-wr-test) and
// empty-history-test are in cycles_jepsen_test.go.
//
// Not applicable, having no history to analyse: op->max-offsets-test,
// log->last-index->values-test and log->value->first-index-test (internal
// helpers of kafka.clj), gen-poll-unseen-test (a generator), perf-test
// (commented out). realtime-lag-test asserts only Jepsen's realtime-lag
// series, which electcheck does not compute; its history is checked here
// for the anomalies Jepsen's analysis would report on it.
//
// Each row has what Jepsen's test asserts (jepsen) and what else the
// analysis reports (also): anomalies Jepsen's test does not look at but
// that Jepsen's own analysis reports on the same history by the definition
// cited. Together they must be exactly what electcheck reports, so an
// anomaly lost or added fails the row. Where Jepsen asserts nil for a kind,
// none names it.
//
// What electcheck does not report, so the rows cannot pin: the dense index
// of an inconsistent offset or of a lost write (the offset is reported
// instead), and a lost write's max-read-index and max-read operation.
// Jepsen's ops are events: a poll-skip's [last-op op], a G1a's writer and
// reader, an internal anomaly's op, a lost write's writer.
func TestJepsenAnomalyCases(t *testing.T) {
	cases := []struct {
		file         string
		jepsen, also []string
		none         []string // kinds Jepsen asserts nil (or empty) for
	}{
		// version-orders-test: Jepsen calls version-orders alone and gets the
		// conflict at offset 1 (index 1). Its analysis also finds, by
		// duplicate-cases, b at offsets 1 and 3; by lost-write-cases, c (last
		// at index 1, the index of b, which an ok poll read) lost; and by
		// int-poll-skip+nonmonotonic-cases, a then b read with b's (last)
		// index 2: a delta of 2 whichever value offset 1 keeps.
		{file: "version-orders-test.edn",
			jepsen: []string{"inconsistent-offsets :x values [2 3] offsets [1]"},
			also: []string{
				"duplicate :x values [2] offsets [1 3]",
				"lost-write :x values [3] offsets [1] events [3]",
				"int-poll-skip :x values [1 2] delta 2 skipped [2] events [2]"}},
		// The acknowledged sends no one polls are unseen (the analysis's
		// last-unseen) here and in most rows below.
		{file: "version-orders-test-real-world.edn",
			jepsen: []string{"inconsistent-offsets 11 values [641 645] offsets [537]"},
			also:   []string{"unseen 11 values [641 645]"}},
		{file: "inconsistent-offsets-test-info-conflicts.edn",
			also: []string{"unseen :x values [2]"},
			none: []string{"inconsistent-offsets"}},
		{file: "inconsistent-offsets-test-info-conflicts-poll.edn",
			jepsen: []string{"inconsistent-offsets :x values [1 2] offsets [0]"},
			also:   []string{"unseen :x values [2]"}},
		{file: "g1a-test.edn",
			jepsen: []string{"G1a :x values [2] events [1 3]"}},
		// lost-write-test "consistent": b and d land at 1 and 3, around c,
		// an int-send-skip (allowed by allowed-error-types).
		{file: "lost-write-test-consistent.edn",
			jepsen: []string{
				"lost-write :x values [1] offsets [0] events [1]",
				"lost-write :x values [2] offsets [1] events [3]"},
			also: []string{
				"int-send-skip :x values [2 4] delta 2 skipped [3] events [3]",
				"unseen :x values [1 2 4]"}},
		{file: "lost-write-test-inconsistent.edn",
			jepsen: []string{"lost-write :x values [1] offsets [0] events [1]"},
			also: []string{
				"inconsistent-offsets :x values [1 2] offsets [0]",
				"unseen :x values [1]"}},
		{file: "lost-write-test-atomic-unproven.edn",
			none: []string{"lost-write"}},
		{file: "lost-write-test-atomic.edn",
			jepsen: []string{"lost-write :y values [2] offsets [0] events [1]"}},
		// poll-skip-test: f, acknowledged at offset 6 below g's 7, is a lost
		// write and unseen; the info send of a b c d g skips f
		// (int-send-skip); and the poll of g completes before that send,
		// which it read, is invoked: a G1c-realtime cycle (Jepsen asks Elle
		// for strict serializability, cycles!).
		{file: "poll-skip-test.edn",
			jepsen: []string{
				"poll-skip :x values [2 4] delta 2 skipped [3] events [1 7]",
				"poll-skip :x values [4 7] delta 2 skipped [6] events [7 13]"},
			also: pollSkipAlso},
		{file: "poll-skip-test-subscribe-y.edn",
			also: pollSkipAlso,
			none: []string{"poll-skip"}},
		{file: "poll-skip-test-subscribe-xy.edn",
			jepsen: []string{
				"poll-skip :x values [2 4] delta 2 skipped [3] events [1 7]",
				"poll-skip :x values [4 7] delta 2 skipped [6] events [7 13]"},
			also: pollSkipAlso},
		// "txn abort": polls in fail and info txns are checked against the
		// last ok poll and do not move it (poll-skip+nonmonotonic-cases-
		// per-process); their records count in the version order but not as
		// ok reads, so 1-4 are lost writes and unseen in "abort doesn't roll
		// back", 1-5 unseen in "info can be a poll-skip".
		{file: "poll-skip-test-txn-abort-good.edn",
			none: AnomalyNames},
		{file: "poll-skip-test-txn-abort-no-rollback.edn",
			jepsen: []string{
				"poll-skip :x values [0 3] delta 3 skipped [1 2] events [3 7]",
				"poll-skip :x values [0 5] delta 5 skipped [1 2 3 4] events [3 9]"},
			also: []string{
				"lost-write :x values [1] offsets [1] events [1]",
				"lost-write :x values [2] offsets [2] events [1]",
				"lost-write :x values [3] offsets [3] events [1]",
				"lost-write :x values [4] offsets [4] events [1]",
				"unseen :x values [1 2 3 4]"}},
		{file: "poll-skip-test-txn-abort-info.edn",
			jepsen: []string{"poll-skip :x values [0 3] delta 3 skipped [1 2] events [3 7]"},
			also:   []string{"unseen :x values [1 2 3 4 5]"}},
		{file: "nonmonotonic-poll-test.edn",
			jepsen: []string{"nonmonotonic-poll :x values [3 2] delta -1 events [3 7]"}},
		{file: "nonmonotonic-poll-test-subscribe-y.edn", none: []string{"nonmonotonic-poll"}},
		{file: "nonmonotonic-poll-test-assign-y.edn", none: []string{"nonmonotonic-poll"}},
		{file: "nonmonotonic-poll-test-subscribe-xy.edn",
			jepsen: []string{"nonmonotonic-poll :x values [3 2] delta -1 events [3 7]"}},
		{file: "nonmonotonic-poll-test-assign-xy.edn",
			jepsen: []string{"nonmonotonic-poll :x values [3 2] delta -1 events [3 7]"}},
		{file: "nonmonotonic-send-test.edn",
			jepsen: []string{"nonmonotonic-send :x values [4 1] delta -3 events [1 11]"},
			also:   []string{"unseen :x values [1 2 3 4]"}},
		{file: "nonmonotonic-send-test-subscribe-y.edn",
			also: []string{"unseen :x values [1 2 3 4]"},
			none: []string{"nonmonotonic-send"}},
		{file: "nonmonotonic-send-test-assign-y.edn",
			also: []string{"unseen :x values [1 2 3 4]"},
			none: []string{"nonmonotonic-send"}},
		{file: "nonmonotonic-send-test-subscribe-xy.edn",
			jepsen: []string{"nonmonotonic-send :x values [4 1] delta -3 events [1 11]"},
			also:   []string{"unseen :x values [1 2 3 4]"}},
		{file: "nonmonotonic-send-test-assign-xy.edn",
			jepsen: []string{"nonmonotonic-send :x values [4 1] delta -3 events [1 11]"},
			also:   []string{"unseen :x values [1 2 3 4]"}},
		// int-poll-skip-test: process 0 reads a d, a d, then b: each op starts
		// before the last one ended (poll-skip+nonmonotonic-cases).
		{file: "int-poll-skip-test.edn",
			jepsen: []string{
				"int-poll-skip :x values [1 4] delta 2 skipped [2] events [3]",
				"int-poll-skip :x values [1 4] delta 2 skipped [2] events [5]"},
			also: []string{
				"nonmonotonic-poll :x values [4 1] delta -2 events [3 5]",
				"nonmonotonic-poll :x values [4 2] delta -1 events [5 7]"}},
		// int-send-skip-test: a, acknowledged at 1 below the c read at 3, was
		// never read (lost-write-cases).
		{file: "int-send-skip-test.edn",
			jepsen: []string{"int-send-skip :x values [1 3] delta 2 skipped [2] events [1]"},
			also: []string{
				"lost-write :x values [1] offsets [1] events [1]",
				"unseen :x values [1]"}},
		{file: "int-nonmonotonic-poll-test.edn",
			jepsen: []string{
				"int-nonmonotonic-poll :x values [3 1] delta -2 events [3]",
				"int-nonmonotonic-poll :x values [3 3] delta 0 events [5]"}},
		{file: "int-nonmonotonic-send-test.edn",
			jepsen: []string{
				"int-nonmonotonic-send :x values [3 1] delta -1 events [1]",
				"int-nonmonotonic-send :y values [4 2] delta -2 events [3]"},
			also: []string{"unseen :x values [1 3]"}},
		{file: "duplicate-test-basic.edn",
			jepsen: []string{"duplicate :x values [1] offsets [1 3]"}},
		{file: "duplicate-test-hash-insensitive.edn",
			jepsen: hashInsensitive()},
		{file: "duplicate-test-aborted-txns.edn",
			jepsen: []string{"duplicate :x values [0] offsets [1 11]"},
			also:   []string{"unseen :x values [0]"}},
		{file: "precommitted-read-test.edn",
			jepsen: []string{"precommitted-read :x values [1] events [1]"}},
		// unseen-test: the series ends with {:x 0}: nothing unseen.
		{file: "unseen-test.edn", none: []string{"unseen"}},
		// realtime-lag-test: process 1 sends c d (offsets 2 3), then b, which
		// a poll read at 1 (nonmonotonic-send-cases counts info sends); and
		// the poll that read b completed before b's send was invoked: a
		// G1c-realtime cycle.
		{file: "realtime-lag-test.edn",
			also: []string{
				"nonmonotonic-send :x values [4 2] delta -2 events [9 27]",
				"G1c-realtime :x events [25 27]"}},
	}
	for _, c := range cases {
		as := readJepsen(t, c.file, AnalyzeOptions{})
		var got []string
		for _, a := range as {
			got = append(got, anomalyWord(a))
			if slices.Contains(c.none, a.Name) {
				t.Errorf("%s: %s, where Jepsen asserts none", c.file, anomalyWord(a))
			}
		}
		for _, w := range c.jepsen {
			if !slices.Contains(got, w) {
				t.Errorf("%s: Jepsen asserts %q; got %q", c.file, w, got)
			}
		}
		want := slices.Concat(c.jepsen, c.also)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: anomalies\n  %q\nwant\n  %q", c.file, got, want)
		}
	}
}

// pollSkipAlso is what poll-skip-test's histories show besides poll-skips.
var pollSkipAlso = []string{
	"lost-write :x values [6] offsets [6] events [11]",
	"int-send-skip :x values [4 7] delta 2 skipped [6] events [15]",
	"unseen :x values [6]",
	"G1c-realtime :x events [13 15]",
}

// hashInsensitive is duplicate-test "hash-insensitive"'s assertion: every
// value 0..9 a duplicate at offsets 0 and 1, and both offsets inconsistent.
func hashInsensitive() []string {
	all := "[0 1 2 3 4 5 6 7 8 9]"
	out := []string{
		"inconsistent-offsets :x values " + all + " offsets [0]",
		"inconsistent-offsets :x values " + all + " offsets [1]",
	}
	for v := 0; v < 10; v++ {
		out = append(out, fmt.Sprintf("duplicate :x values [%d] offsets [0 1]", v))
	}
	return out
}

// anomalyWord is an anomaly in one line: its name, key, and the fields it
// has (a duplicate's count is its number of offsets).
func anomalyWord(a Anomaly) string {
	parts := []string{a.Name, KeyText(a.Key)}
	field := func(name string, xs []int64) {
		if len(xs) > 0 {
			parts = append(parts, fmt.Sprintf("%s %v", name, xs))
		}
	}
	field("values", a.Values)
	field("offsets", a.Offsets)
	if a.Delta != nil {
		parts = append(parts, fmt.Sprintf("delta %d", *a.Delta))
	}
	field("skipped", a.Skipped)
	field("events", a.Events)
	return strings.Join(parts, " ")
}
