package checker

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"electcheck/explore"
	"electcheck/history"
)

// reportWidth is where the text report wraps its header lines.
const reportWidth = 100

// WriteText prints the human report: what was checked, the result, the
// counterexamples (or the trace to the witness Show names), the witnesses
// and the warnings; with coverage, how often each action fired.
func (o *Outcome) WriteText(w io.Writer, coverage bool) {
	field := func(name, value string) {
		if value != "" {
			fmt.Fprint(w, wrap(name, value, reportWidth))
		}
	}
	field("model:", o.ModelLine)
	field("rules:", o.RulesLine)
	field("defaults:", o.BaseLine)
	field("bounds:", o.BoundsLine)
	field("symmetry:", o.Symmetry)
	field("properties:", strings.Join(o.Properties, ", "))
	fmt.Fprintln(w)

	st := o.Stats
	search := "complete search"
	if !o.Complete {
		search = "search stopped: " + o.StopReason
	}
	statsLine := fmt.Sprintf("%s distinct states, %s generated, depth %d, %s (%s; %s)",
		Commas(st.Distinct), Commas(st.Generated), st.Depth, search, o.Strategy, o.timing())
	switch o.Verdict {
	case explore.OK:
		fmt.Fprintf(w, "result: all properties hold within these bounds\n  %s\n", statsLine)
	case explore.Inconclusive:
		fmt.Fprintf(w, "result: inconclusive: no violation found, but %s\n  %s, %s states left in the queue\n", o.StopReason, statsLine, Commas(st.Queue))
	case explore.Violation:
		var vs []string
		for _, v := range o.Violations {
			vs = append(vs, v.Property)
		}
		fmt.Fprintf(w, "result: VIOLATION of %s\n  %s\n", strings.Join(vs, ", "), statsLine)
	}
	fmt.Fprintf(w, "  probability that a fingerprint collision hid a state (TLC's optimistic estimate): %.1e\n", st.CollisionProbability)

	printed := map[string]bool{}
	for _, v := range o.Violations {
		fmt.Fprintf(w, "\nviolated: %s: %s\n", v.Property, v.Message)
		if printed[v.Actions] {
			fmt.Fprintf(w, "  (the same %d-state trace as above)\n", v.Length)
			continue
		}
		printed[v.Actions] = true
		kind := "shortest trace"
		if o.Strategy == explore.DFS {
			kind = "trace (depth-first: not necessarily shortest)"
		}
		fmt.Fprintf(w, "%s, %d states:\n\n", kind, v.Length)
		fmt.Fprint(w, indent(v.Text, "  "))
	}
	for _, wo := range o.Witnesses {
		if wo.Name == o.Show && wo.Reached {
			fmt.Fprintf(w, "\nwitness %s: %s\nshortest trace, %d states:\n\n", wo.Name, wo.Description, wo.Length)
			fmt.Fprint(w, indent(wo.Text, "  "))
		}
	}

	fmt.Fprintf(w, "\nwitnesses (the situations the properties guard, and the other side of the trade-off):\n")
	for _, wo := range o.Witnesses {
		status := "not reached"
		if wo.Reached {
			status = fmt.Sprintf("shortest path: %d states", wo.Length)
		} else if !o.Complete {
			status = "not reached (search incomplete)"
		}
		tag := ""
		if wo.Availability {
			tag = " [availability]"
		}
		fmt.Fprintf(w, "  %-32s %-26s %s%s\n", wo.Name, status, wo.Description, tag)
	}
	if coverage {
		fmt.Fprintf(w, "\ncoverage (successors generated, of which new states):\n")
		for _, c := range o.Coverage {
			if c.Kind == "-" {
				continue
			}
			fmt.Fprintf(w, "  %-36s %14s %14s\n", c.Kind, Commas(c.Generated), Commas(c.Distinct))
		}
	}
	if warns := o.Warnings(); len(warns) > 0 {
		fmt.Fprintln(w)
		for _, s := range warns {
			fmt.Fprintf(w, "warning: %s\n", s)
		}
	}
}

// WrapField is "name value" with value wrapped at the reports' width,
// continuation lines indented under it: a header line of a text report.
func WrapField(name, value string) string { return wrap(name, value, reportWidth) }

// wrap prints "name value" with value wrapped at width, continuation lines
// indented under it.
func wrap(name, value string, width int) string {
	const col = 12
	var sb strings.Builder
	line := fmt.Sprintf("%-*s", col, name)
	for i, word := range strings.Fields(value) {
		if i > 0 && len(line)+1+len(word) > width {
			sb.WriteString(strings.TrimRight(line, " ") + "\n")
			line = strings.Repeat(" ", col)
		} else if i > 0 {
			line += " "
		}
		line += word
	}
	sb.WriteString(line + "\n")
	return sb.String()
}

// timing is the part of the statistics that varies between identical runs:
// wall time, rate, workers and memory.
func (o *Outcome) timing() string {
	workers := "1 worker"
	if o.Stats.Workers > 1 {
		workers = fmt.Sprintf("%d workers", o.Stats.Workers)
	}
	return fmt.Sprintf("%s, %.1fs, %s states/s, peak memory %s", workers, o.Stats.Elapsed.Seconds(), Commas(int64(o.Stats.StatesPerSecond())), MiB(o.Stats.PeakMemory))
}

// WriteMarkdown prints the primary trace as a document, or, without one,
// the verdict and witnesses as a short document.
func (o *Outcome) WriteMarkdown(w io.Writer) {
	if o.PrimaryMarkdown != "" {
		fmt.Fprint(w, o.PrimaryMarkdown)
		return
	}
	fmt.Fprintf(w, "# %s\n\n- **Configuration:** %s\n", strings.ToUpper(o.Verdict.String()[:1])+o.Verdict.String()[1:], o.ModelLine)
	if o.RulesLine != "" {
		fmt.Fprintf(w, "- **Rules in force:** %s\n", o.RulesLine)
	}
	fmt.Fprintf(w, "- **Bounds:** %s\n- **Properties:** %s\n- **Reproduce:** `%s`\n\n", o.BoundsLine, strings.Join(o.Properties, ", "), o.Command)
	switch o.Verdict {
	case explore.OK:
		fmt.Fprintf(w, "All properties hold within these bounds: %s distinct states, complete search.\n\n", Commas(o.Stats.Distinct))
	case explore.Inconclusive:
		fmt.Fprintf(w, "Inconclusive: %s.\n\n", o.StopReason)
	}
	fmt.Fprintf(w, "| witness | reached | shortest path | meaning |\n|---|---|---|---|\n")
	for _, wo := range o.Witnesses {
		length := ""
		if wo.Reached {
			length = fmt.Sprintf("%d states", wo.Length)
		}
		fmt.Fprintf(w, "| `%s` | %t | %s | %s |\n", wo.Name, wo.Reached, length, wo.Description)
	}
}

func indent(s, prefix string) string {
	var sb strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" && l != "\n" {
			sb.WriteString(prefix)
		}
		sb.WriteString(l)
	}
	return sb.String()
}

// JSONViolation is a violation in the JSON report.
type JSONViolation struct {
	Property    string             `json:"property"`
	Message     string             `json:"message"`
	TraceLength int                `json:"trace_length"`
	Trace       []history.StepView `json:"trace"`
}

// JSONWitness is a witness in the JSON report; Trace is the shortest trace
// to the witness the request showed.
type JSONWitness struct {
	Name         string             `json:"name"`
	Description  string             `json:"description"`
	Availability bool               `json:"availability"`
	Reached      bool               `json:"reached"`
	TraceLength  int                `json:"trace_length,omitempty"`
	Trace        []history.StepView `json:"trace,omitempty"`
}

// JSONCoverage is an action kind's coverage.
type JSONCoverage struct {
	Action    string `json:"action"`
	Generated int64  `json:"generated"`
	Distinct  int64  `json:"distinct"`
}

// JSONReport is the object `check --format json` prints (docs/cli.md).
// Config and Bounds depend on the model; json.RawMessage keeps them
// decodable.
type JSONReport struct {
	Command              string          `json:"command"`
	Model                string          `json:"model"`
	Config               json.RawMessage `json:"config"`
	Bounds               json.RawMessage `json:"bounds"`
	Strategy             string          `json:"strategy"`
	Symmetry             string          `json:"symmetry"`
	Properties           []string        `json:"properties"`
	Result               string          `json:"result"`
	Complete             bool            `json:"complete"`
	StopReason           string          `json:"stop_reason,omitempty"`
	DistinctStates       int64           `json:"distinct_states"`
	GeneratedStates      int64           `json:"generated_states"`
	Depth                int             `json:"depth"`
	Queue                int64           `json:"queue"`
	ElapsedSeconds       float64         `json:"elapsed_seconds"`
	StatesPerSecond      float64         `json:"states_per_second"`
	CollisionProbability float64         `json:"collision_probability"`
	Workers              int             `json:"workers"`
	PeakMemoryBytes      int64           `json:"peak_memory_bytes"`
	VisitedBytes         int64           `json:"visited_bytes"`
	Violations           []JSONViolation `json:"violations"`
	Witnesses            map[string]bool `json:"witnesses"`
	WitnessDetails       []JSONWitness   `json:"witness_details"`
	Vacuous              []Vacuity       `json:"vacuous"`
	Coverage             []JSONCoverage  `json:"coverage"`
	Warnings             []string        `json:"warnings"`
}

// JSON is the outcome as the JSON report.
func (o *Outcome) JSON() (JSONReport, error) {
	cfg, err := json.Marshal(o.Config)
	if err != nil {
		return JSONReport{}, err
	}
	bounds, err := json.Marshal(o.Bounds)
	if err != nil {
		return JSONReport{}, err
	}
	out := JSONReport{
		Command: "check", Model: o.Model, Config: cfg, Bounds: bounds,
		Strategy:             o.Strategy.String(),
		Symmetry:             o.Symmetry,
		Properties:           o.Properties,
		Result:               o.Verdict.String(),
		Complete:             o.Complete,
		StopReason:           o.StopReason,
		DistinctStates:       o.Stats.Distinct,
		GeneratedStates:      o.Stats.Generated,
		Depth:                o.Stats.Depth,
		Queue:                o.Stats.Queue,
		ElapsedSeconds:       o.Stats.Elapsed.Seconds(),
		StatesPerSecond:      o.Stats.StatesPerSecond(),
		CollisionProbability: o.Stats.CollisionProbability,
		Workers:              o.Stats.Workers,
		PeakMemoryBytes:      o.Stats.PeakMemory,
		VisitedBytes:         o.Stats.VisitedBytes,
		Violations:           []JSONViolation{},
		Witnesses:            map[string]bool{},
		WitnessDetails:       []JSONWitness{},
		Vacuous:              append([]Vacuity{}, o.Vacuous...),
		Coverage:             []JSONCoverage{},
		Warnings:             append([]string{}, o.Warnings()...),
	}
	for _, v := range o.Violations {
		out.Violations = append(out.Violations, JSONViolation{v.Property, v.Message, v.Length, v.View})
	}
	for _, wo := range o.Witnesses {
		out.Witnesses[wo.Name] = wo.Reached
		out.WitnessDetails = append(out.WitnessDetails, JSONWitness{wo.Name, wo.Description, wo.Availability, wo.Reached, wo.Length, wo.View})
	}
	for _, c := range o.Coverage {
		if c.Kind != "-" {
			out.Coverage = append(out.Coverage, JSONCoverage{c.Kind, c.Generated, c.Distinct})
		}
	}
	return out, nil
}

// WriteJSON prints the JSON report, indented, with a final newline.
func (o *Outcome) WriteJSON(w io.Writer) error {
	rep, err := o.JSON()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// Commas prints n with thousands separators.
func Commas(n int64) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		// -n overflows for the smallest int64; the unsigned negation
		// does not.
		sign, u = "-", -u
	}
	s := fmt.Sprint(u)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}

// MiB prints a byte count in mebibytes.
func MiB(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
