package checker

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/history/render"
	"electcheck/model"
)

// Simulation: seeded random walks through the Kafka model, for
// configurations too large to search whole. Each walk is checked by the
// invariants, and its client history by lincheck.

// SimulateOptions bound a simulation.
type SimulateOptions struct {
	Seed  uint64
	Walks int
	Depth int
	// Timeout bounds porcupine on each walk's history (0: none).
	Timeout  time.Duration
	Progress func(done, total int)
}

// SimulateReport is `electcheck simulate --format json`.
type SimulateReport struct {
	Command        string          `json:"command"`
	Config         json.RawMessage `json:"config"`
	Bounds         json.RawMessage `json:"bounds"`
	Properties     []string        `json:"properties"`
	Seed           uint64          `json:"seed"`
	Walks          int64           `json:"walks"`
	Depth          int             `json:"depth"`
	Steps          int64           `json:"steps"`
	Seconds        float64         `json:"seconds"`
	StepsPerSecond float64         `json:"steps_per_second"`
	// Result is "ok" when no walk broke an invariant and every history
	// was linearizable, "violation" otherwise.
	Result string `json:"result"`
	// Violations counts the walks that broke each invariant;
	// ShortestViolation is the fewest steps a walk took to break it.
	Violations        map[string]int `json:"violations"`
	ShortestViolation map[string]int `json:"shortest_violation"`
	// Linearizable, NotLinearizable and Inconclusive count the walks'
	// histories; Anomalies the walks showing each anomaly.
	Linearizable    int            `json:"linearizable"`
	NotLinearizable int            `json:"not_linearizable"`
	Inconclusive    int            `json:"inconclusive"`
	Anomalies       map[string]int `json:"anomalies"`
	// Shortest is the shortest failing walk (an invariant broken, or a
	// history not linearizable), if any.
	Shortest *SimulatedFailure `json:"shortest_failing,omitempty"`
	// Interrupted is set when the simulation was stopped before every
	// walk ran.
	Interrupted bool `json:"interrupted,omitempty"`
	failure     *failingWalk
}

// SimulatedFailure describes a failing walk.
type SimulatedFailure struct {
	Walk  int `json:"walk"`
	Steps int `json:"steps"`
	// Property failed first at step FailedAt (-1: none did).
	Property  string   `json:"property,omitempty"`
	FailedAt  int      `json:"failed_at"`
	Message   string   `json:"message,omitempty"`
	Anomalies []string `json:"anomalies"`
	// Linearizable is false when the history is not, null when porcupine
	// did not answer.
	Linearizable *bool  `json:"linearizable"`
	Reason       string `json:"reason,omitempty"`
}

type failingWalk struct {
	trace   *history.File
	history *history.ClientHistory
	lin     *history.Linearizability
}

// Simulate runs seeded random walks through the request's configuration.
func Simulate(req Request, opts SimulateOptions) (*SimulateReport, error) {
	if req.Model != "" && req.Model != ModelKafka {
		return nil, badf("simulate runs the %s model only", ModelKafka)
	}
	if opts.Walks < 1 || opts.Depth < 1 {
		return nil, badf("--walks and --depth must be at least 1")
	}
	r, err := newKafkaRun(&req)
	if err != nil {
		return nil, err
	}
	cfg, bounds := KafkaJSON(req.Kafka)
	cj, _ := json.Marshal(cfg)
	bj, _ := json.Marshal(bounds)
	rep := &SimulateReport{Command: "simulate", Config: cj, Bounds: bj, Seed: opts.Seed, Depth: opts.Depth,
		Violations: map[string]int{}, ShortestViolation: map[string]int{}, Anomalies: map[string]int{}}
	for _, p := range r.props {
		rep.Properties = append(rep.Properties, p.Name)
	}
	m := r.model
	kafka := render.Kafka{M: m}
	// One trace serves every walk: what a failing walk needs of it (its
	// file, its client history) is copied out before the next walk.
	var tr history.Trace[model.State, model.Action]
	visit := func(w *explore.Walk[model.State, model.Action]) error {
		if err := tr.Fill(w.Trace.States, w.Trace.Actions); err != nil {
			return err
		}
		h := kafka.ClientHistory(tr)
		ops, err := h.Pair()
		if err != nil {
			return fmt.Errorf("internal error: walk %d's history is not well formed: %v", w.Index, err)
		}
		seen := map[string]bool{}
		for _, a := range history.Analyze(ops) {
			if !seen[a.Name] {
				seen[a.Name] = true
				rep.Anomalies[a.Name]++
			}
		}
		lin, err := history.Linearize(ops, opts.Timeout)
		if err != nil {
			return fmt.Errorf("internal error: walk %d: %v", w.Index, err)
		}
		switch {
		case lin.Linearizable == nil:
			rep.Inconclusive++
		case *lin.Linearizable:
			rep.Linearizable++
		default:
			rep.NotLinearizable++
		}
		if w.Invariant != "" {
			rep.Violations[w.Invariant]++
			if n, ok := rep.ShortestViolation[w.Invariant]; !ok || w.FailedAt < n {
				rep.ShortestViolation[w.Invariant] = w.FailedAt
			}
		}
		failing := w.Invariant != "" || (lin.Linearizable != nil && !*lin.Linearizable)
		if failing && (rep.Shortest == nil || len(w.Trace.Actions) < rep.Shortest.Steps) {
			f := &SimulatedFailure{Walk: w.Index, Steps: len(w.Trace.Actions), Property: w.Invariant, FailedAt: w.FailedAt, Linearizable: lin.Linearizable, Anomalies: sortedNames(seen)}
			if w.Err != nil {
				f.Message = w.Err.Error()
			}
			if lin.Fast != "ok" {
				f.Reason = lin.Reason
			}
			file, err := history.NewFile(ModelKafka, render.KafkaConfig(m.Config()), tr, kafka)
			if err != nil {
				return err
			}
			file.Property, file.Message = w.Invariant, f.Message
			file.Title = fmt.Sprintf("Simulated walk %d (seed %d)", w.Index, opts.Seed)
			file.Command = fmt.Sprintf("%s --seed %d (simulate)", KafkaCommand(m.Config()), opts.Seed)
			rep.Shortest, rep.failure = f, &failingWalk{trace: file, history: h, lin: lin}
		}
		if opts.Progress != nil {
			opts.Progress(w.Index+1, opts.Walks)
		}
		return nil
	}
	st, err := explore.Simulate(r.spec(), explore.SimOptions{Seed: opts.Seed, Walks: opts.Walks, MaxDepth: opts.Depth, Context: req.Search.Context}, visit)
	if err != nil {
		return nil, err
	}
	rep.Walks, rep.Steps, rep.Seconds, rep.Interrupted = st.Walks, st.Steps, st.Elapsed.Seconds(), st.Stopped
	if st.Elapsed > 0 {
		rep.StepsPerSecond = float64(st.Steps) / st.Elapsed.Seconds()
	}
	rep.Result = "ok"
	if rep.Shortest != nil {
		rep.Result = "violation"
	}
	return rep, nil
}

func sortedNames(set map[string]bool) []string {
	out := []string{}
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// FailingTrace, FailingHistory and WriteFailingHTML give the shortest
// failing walk as a trace file, its client history, and porcupine's
// visualisation; nil (or an error) when no walk failed.
func (r *SimulateReport) FailingTrace() *history.File {
	if r.failure == nil {
		return nil
	}
	return r.failure.trace
}

// FailingHistory is the shortest failing walk's client history.
func (r *SimulateReport) FailingHistory() *history.ClientHistory {
	if r.failure == nil {
		return nil
	}
	return r.failure.history
}

// WriteFailingHTML writes porcupine's visualisation of the shortest
// failing walk's history.
func (r *SimulateReport) WriteFailingHTML(w io.Writer) error {
	if r.failure == nil {
		return fmt.Errorf("no walk failed")
	}
	return r.failure.lin.WriteHTML(w)
}

// WriteJSON prints the report as one JSON object.
func (r *SimulateReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText prints the report for a person.
func (r *SimulateReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "simulate: %s walks of up to %d steps, seed %d (rerun with --seed %d)\n", Commas(r.Walks), r.Depth, r.Seed, r.Seed)
	fmt.Fprintf(w, "  %s steps in %.1fs, %s steps/s\n", Commas(r.Steps), r.Seconds, Commas(int64(r.StepsPerSecond)))
	if r.Interrupted {
		fmt.Fprintf(w, "  INTERRUPTED after %s walks\n", Commas(r.Walks))
	}
	fmt.Fprintf(w, "histories: %d linearizable, %d not, %d inconclusive\n", r.Linearizable, r.NotLinearizable, r.Inconclusive)
	list := func(m map[string]int) string {
		if len(m) == 0 {
			return "none"
		}
		var parts []string
		for _, k := range sortedKeysOf(m) {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
		return strings.Join(parts, ", ")
	}
	fmt.Fprintf(w, "invariant violations (walks): %s\n", list(r.Violations))
	fmt.Fprintf(w, "anomalies (walks): %s\n", list(r.Anomalies))
	if f := r.Shortest; f != nil {
		fmt.Fprintf(w, "\nshortest failing walk: %d, %d steps", f.Walk, f.Steps)
		if f.Property != "" {
			fmt.Fprintf(w, "; breaks %s at step %d: %s", f.Property, f.FailedAt, f.Message)
		}
		if f.Reason != "" {
			fmt.Fprintf(w, "; history not linearizable: %s", f.Reason)
		}
		fmt.Fprintln(w)
		fmt.Fprint(w, indent(r.failure.traceText(), "  "))
	}
}

func (f *failingWalk) traceText() string {
	var sb strings.Builder
	for _, st := range f.trace.Steps[1:] {
		fmt.Fprintf(&sb, "step %d: %s\n", st.Step, st.Action)
	}
	return sb.String()
}

func sortedKeysOf(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
