package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"electcheck/checker"
	"electcheck/checker/risk"
	"electcheck/invariants"
)

// Report is a sweep's result: `electcheck sweep --format json`, the
// input of `sweep merge`, and what every other format is printed from.
type Report struct {
	Command string `json:"command"`
	SweepID string `json:"sweep_id"`
	// Shard is "i/n" for a shard's report, empty for a whole sweep.
	Shard string `json:"shard,omitempty"`
	// Base is what every cell has, as check's flags.
	Base       string          `json:"base"`
	Axes       []ReportAxis    `json:"axes"`
	Properties []string        `json:"properties"`
	Cells      []CellReport    `json:"cells"`
	Skipped    []SkippedReport `json:"skipped"`
	Summary    Summary         `json:"summary"`
	// Interrupted is set when the sweep was stopped before every cell ran.
	Interrupted bool `json:"interrupted,omitempty"`
	// Simulation is set when the cells were simulated, not searched.
	Simulation *Simulation `json:"simulation,omitempty"`
	// Risk is set when the cells were measured (sweep --measure risk).
	Risk *RiskSweep `json:"risk,omitempty"`
}

// ReportAxis is an axis's name and value labels.
type ReportAxis struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// CellReport is one cell: the object check --format json prints for
// its configuration, and where it sits in the sweep.
type CellReport struct {
	checker.JSONReport
	Cell     int      `json:"cell"`
	Values   []string `json:"values"`
	Category string   `json:"category"`
	// InferredFrom is the cell whose search decided this one, which was
	// not searched; its violations' trace lengths are then upper bounds.
	InferredFrom *int   `json:"inferred_from,omitempty"`
	TraceFile    string `json:"trace_file,omitempty"`
	// trace is the file's content, until WriteTraces writes it.
	trace []byte
	// Simulation is a simulated cell's simulate report; the check
	// object's fields then summarize it.
	Simulation *checker.SimulateReport `json:"simulation,omitempty"`
	// Risk is a measured cell's risk report (electcheck risk --format
	// json's object); the check object's fields then summarize it.
	Risk *risk.Report `json:"risk,omitempty"`
}

// SkippedReport is a combination of values that is not a valid
// configuration.
type SkippedReport struct {
	Cell   int      `json:"cell"`
	Values []string `json:"values"`
	Reason string   `json:"reason"`
}

// Summary counts the cells.
type Summary struct {
	Cells      int            `json:"cells"`
	Searched   int            `json:"searched"`
	Inferred   int            `json:"inferred"`
	Skipped    int            `json:"skipped"`
	Categories map[string]int `json:"categories"`
	// States and Seconds add up the searches.
	States int64 `json:"distinct_states"`
	// Steps adds up a simulating sweep's walks' steps.
	Steps   int64   `json:"steps,omitempty"`
	Seconds float64 `json:"seconds"`
}

func (p *Plan) NewReport(sh Shard) *Report {
	rep := &Report{Command: "sweep", SweepID: p.ID, Cells: []CellReport{}}
	props, _ := invariants.Select(p.Sweep.Properties) // Plan checked them
	for _, pr := range props {
		rep.Properties = append(rep.Properties, pr.Name)
	}
	if sh.N > 1 {
		rep.Shard = sh.String()
	}
	if s := p.Sweep.Simulate; s != nil {
		rep.Simulation = &Simulation{Seed: s.Seed, Walks: s.Walks, Depth: s.Depth}
	}
	if m := p.Sweep.Risk; m != nil {
		rep.Risk = &RiskSweep{HorizonHours: m.Horizon, Scheduler: m.scheduler(), Rates: m.RatesLine, Method: "exact"}
		if m.Simulate != nil {
			rep.Risk.Method = "simulate"
		}
	}
	var base []string
	if p.Sweep.ConfigFile != "" {
		base = append(base, "--config", p.Sweep.ConfigFile)
	}
	rep.Base = strings.Join(append(base, p.Sweep.Base.Flags()...), " ")
	for _, a := range p.Sweep.Axes {
		ax := ReportAxis{Name: a.Name}
		for _, v := range a.Values {
			ax.Values = append(ax.Values, v.Label)
		}
		rep.Axes = append(rep.Axes, ax)
	}
	rep.Skipped = []SkippedReport{}
	for _, s := range p.Skipped {
		rep.Skipped = append(rep.Skipped, SkippedReport{Cell: s.Index, Values: p.Labels(s.Values), Reason: s.Reason})
	}
	return rep
}

// summarize counts the report's cells.
func (r *Report) summarize() {
	s := Summary{Cells: len(r.Cells) + len(r.Skipped), Skipped: len(r.Skipped), Categories: map[string]int{}}
	for _, c := range r.Cells {
		s.Categories[c.Category]++
		if c.InferredFrom != nil {
			s.Inferred++
			continue
		}
		s.Searched++
		s.States += c.DistinctStates
		if c.Simulation != nil {
			s.Steps += c.Simulation.Steps
		}
		s.Seconds += c.ElapsedSeconds
	}
	r.Summary = s
}

// WriteJSON prints the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// shortNames are the properties as the sweep's tables name them.
var shortNames = map[string]string{
	"committed-offsets-preserved":   "committed",
	"acked-records-durable":         "acked",
	"consumed-records-stable":       "consumed",
	"no-log-divergence":             "divergence",
	"hw-monotonic":                  "hw",
	"no-offset-reuse":               "offset-reuse",
	"one-leader-per-epoch":          "two-leaders",
	"strong-isr":                    "strong-isr",
	"acked-records-committed":       "acked-uncommitted",
	"consumed-records-committed":    "consumed-uncommitted",
	"committed-records-recoverable": "unrecoverable",
	"online-when-electable":         "offline-electable",
}

func shortName(p string) string {
	if s, ok := shortNames[p]; ok {
		return s
	}
	return p
}

// fails lists a cell's violated properties with their shortest trace
// lengths (≤ for an inferred cell's upper bounds), shortest first, then by
// name.
func (c *CellReport) Fails() string {
	if len(c.Violations) == 0 {
		return "-"
	}
	le := ""
	if c.InferredFrom != nil {
		le = "≤"
	}
	vs := append([]checker.JSONViolation(nil), c.Violations...)
	sort.SliceStable(vs, func(i, j int) bool {
		if vs[i].TraceLength != vs[j].TraceLength {
			return vs[i].TraceLength < vs[j].TraceLength
		}
		return vs[i].Property < vs[j].Property
	})
	var parts []string
	for _, v := range vs {
		parts = append(parts, fmt.Sprintf("%s %s%d", shortName(v.Property), le, v.TraceLength))
	}
	return strings.Join(parts, ", ")
}

// witness says whether a cell reached a witness: yes, no, or ? when the
// search did not say (stopped early, or the cell was inferred).
func (c *CellReport) witness(name string) string {
	reached, known := c.Witnesses[name]
	switch {
	case known && reached:
		return "yes"
	case known && (c.Complete || c.InferredFrom != nil):
		return "no"
	}
	return "?"
}

// note is a cell's label and provenance: its what-if label where the
// header cannot say it, inferred from which cell, its trace file.
func (r *Report) note(c *CellReport) string {
	var parts []string
	if w := r.whatIf(c); w != "" {
		parts = append(parts, w)
	}
	if c.InferredFrom != nil {
		parts = append(parts, fmt.Sprintf("inferred from cell %d", *c.InferredFrom))
	}
	if c.TraceFile != "" {
		parts = append(parts, c.TraceFile)
	}
	return strings.Join(parts, "; ")
}

// row is a cell or a skipped combination, in index order.
type sweepRow struct {
	index  int
	values []string
	cell   *CellReport
	reason string
}

func (r *Report) rows() []sweepRow {
	var out []sweepRow
	for i := range r.Cells {
		out = append(out, sweepRow{index: r.Cells[i].Cell, values: r.Cells[i].Values, cell: &r.Cells[i]})
	}
	for _, s := range r.Skipped {
		out = append(out, sweepRow{index: s.Cell, values: s.Values, reason: s.Reason})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}

// split is where the axes divide into a group's heading and its rows: the
// last two axes are the rows' columns.
func (r *Report) split() int { return max(len(r.Axes)-2, 0) }

// heading is a group's heading: its values on the heading axes.
func (r *Report) heading(values []string, sep string) string {
	var parts []string
	for i := 0; i < r.split(); i++ {
		parts = append(parts, r.Axes[i].Name+"="+values[i])
	}
	return strings.Join(parts, sep)
}

// Totals is the summary in a sentence.
func (r *Report) Totals() string {
	s := r.Summary
	var parts []string
	for _, cat := range categories {
		if n := s.Categories[cat.name]; n > 0 && cat.phrase != "" {
			parts = append(parts, fmt.Sprintf("%d %s", n, cat.phrase))
		}
	}
	out := strings.Join(parts, ", ")
	switch {
	case r.Simulation != nil:
		out += fmt.Sprintf("; %d cells simulated (%s steps, %.0fs), %d skipped as invalid", s.Searched, checker.Commas(s.Steps), s.Seconds, s.Skipped)
	case r.Risk != nil:
		out += fmt.Sprintf("; %d cells measured (%s states, %.0fs), %d skipped as invalid", s.Searched, checker.Commas(s.States), s.Seconds, s.Skipped)
	default:
		out += fmt.Sprintf("; %d cells searched (%s states, %.0fs), %d inferred, %d skipped as invalid",
			s.Searched, checker.Commas(s.States), s.Seconds, s.Inferred, s.Skipped)
	}
	if r.Interrupted {
		out += "; INTERRUPTED before every cell ran"
	}
	return out
}

// sweepLegend explains the tables' columns.
const sweepLegend = "outcome: LOSES COMMITTED (committed-offsets-preserved fails), LOSES ACKED (acked-records-durable\n" +
	"fails, committed data survives), violates (another property fails), refuses writes (every property\n" +
	"holds because no write is ever acknowledged), offline (every property holds; the partition can go\n" +
	"offline), safe, INCONCLUSIVE (a budget ran out before a loss of committed data was found). fails:\n" +
	"each violated property with its shortest counterexample in states (≤: an upper bound, the cell was\n" +
	"inferred from a smaller one). offline, refused: whether the partition went offline with a replica\n" +
	"running, and whether a write was refused (? unknown).\n"
