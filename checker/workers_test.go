package checker

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"electcheck/model/tlareplication"
)

// Whatever the number of workers, a search's outcome is the same, byte
// for byte in every format, but for the wall-clock figures: counts,
// verdicts, witnesses, coverage and the counterexamples themselves. Each
// configuration is searched once per worker count; the command line's own
// end-to-end runs (cmd/electcheck) print the formats.
func TestWorkersGiveIdenticalOutcomes(t *testing.T) {
	fromFile := func(name string, settings ...string) Request {
		req, err := FileRequest("../testdata/configs/"+name+".properties", settings)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	tla := NewRequest()
	tla.Model, tla.TLA.Variant, tla.Properties = ModelTLA, tlareplication.Kip320FirstTry, []string{"strong-isr", "weak-isr"}
	for _, c := range []struct {
		name   string
		req    Request
		search Search
	}{
		// The whole space of an unclean election with one record (116,522
		// states): the Kafka model's successors, properties and
		// witnesses computed concurrently. (Levels spanning several windows
		// are explore's TestWindowsAndSpillGiveIdenticalResults.)
		{"unclean, every property to its end", fromFile("unclean-election", "electcheck.records=1"), Search{KeepGoing: true}},
		{"HW truncation (0.10), stopping at the first level with a violation", fromFile("hw-truncation-0.10"), Search{}},
		{"modern Kafka, one record, every renaming", fromFile("modern-clean", "electcheck.records=1"), Search{NoSymmetry: true}},
		{"the TLA+ port, kip320-first-try", tla, Search{KeepGoing: true}},
	} {
		var first string
		for _, w := range []int{1, 2, 8} {
			s := c.search
			s.Workers = w
			o, err := Check(c.req, s)
			if err != nil {
				t.Fatal(err)
			}
			if o.Stats.Workers != w {
				t.Fatalf("%s: %d workers asked, %d ran", c.name, w, o.Stats.Workers)
			}
			out := renderAll(t, o)
			switch {
			case w == 1:
				first = out
				if o.Stats.Distinct < 5000 {
					t.Errorf("%s: %d states, too few to tell", c.name, o.Stats.Distinct)
				}
			case out != first:
				t.Errorf("%s: %d workers give another outcome than 1:\n%s", c.name, w, firstDifference(first, out))
			}
		}
	}
}

// renderAll is the outcome in text (with coverage), JSON and Markdown,
// its wall-clock figures zeroed.
func renderAll(t testing.TB, o *Outcome) string {
	t.Helper()
	o.Stats.Elapsed, o.Stats.Workers, o.Stats.PeakMemory, o.Stats.FrontierBytes = 0, 0, 0, 0
	var b bytes.Buffer
	o.WriteText(&b, true)
	if err := o.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	o.WriteMarkdown(&b)
	return b.String()
}

// firstDifference shows the first line where a and b differ.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, al[i], bl[i])
		}
	}
	return "one is a prefix of the other"
}
