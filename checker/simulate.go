package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
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
	Timeout time.Duration
	// Workers take walks at once (0 or 1: one); the report does not
	// depend on it.
	Workers int
	// Context stops the simulation between walks (Ctrl-C); nil: never.
	Context context.Context
	// Progress, if set, is told after each walk, in walk order.
	Progress func(done, total int)
	// Started, if set, is called once the request is known valid, before
	// the first walk (the command line tells a seed from the clock then).
	Started func()

	// forget judges every walk's history afresh, none from memory (for the
	// package's benchmarks and tests to measure what memory saves).
	forget bool
}

// simulateMemory is how many histories' verdicts each worker keeps: walks
// through a small model repeat one another's histories (history.Judge's
// Remember). A verdict is a few hundred bytes, a history's key about as
// much: some 20 MB a worker when full, and then cleared.
const simulateMemory = 1 << 15

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
	// repeats are the walks whose history's verdict came from a worker's
	// memory of an identical one.
	repeats int
	// header names what was simulated, for the text report (the JSON
	// report's config and bounds say the same).
	header Header
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
	// timeout bounds porcupine when WriteFailingHTML checks the history
	// again for its visualisation (the walk's verdict kept none).
	timeout time.Duration
}

// walkVerdict is what a worker makes of one walk: its anomalies, its
// history's linearizability, the invariant it broke; and, for a failing
// walk, its states and actions, in case it is the shortest.
type walkVerdict struct {
	index, steps       int
	anomalies          []string
	lin                *history.Linearizability
	invariant, message string
	failedAt           int
	failing            bool
	states             []model.State
	actions            []model.Action
}

// Simulate runs seeded random walks through the request's configuration,
// on opts.Workers goroutines; the report is the same with any number.
func Simulate(req Request, opts SimulateOptions) (*SimulateReport, error) {
	if req.Model != "" && req.Model != ModelKafka {
		return nil, badf("simulate runs the %s model only", ModelKafka)
	}
	if opts.Walks < 1 || opts.Depth < 1 {
		return nil, badf("--walks and --depth must be at least 1")
	}
	r, err := newKafkaRun(&req, &Search{})
	if err != nil {
		return nil, err
	}
	if opts.Started != nil {
		opts.Started()
	}
	cfg, bounds := KafkaJSON(req.Kafka)
	cj, _ := json.Marshal(cfg)
	bj, _ := json.Marshal(bounds)
	rep := &SimulateReport{Command: "simulate", Config: cj, Bounds: bj, Seed: opts.Seed, Depth: opts.Depth,
		Violations: map[string]int{}, ShortestViolation: map[string]int{}, Anomalies: map[string]int{}, header: r.header()}
	for _, p := range r.props {
		rep.Properties = append(rep.Properties, p.Name)
	}
	m := r.model
	kafka := render.Kafka{M: m}
	workers := max(opts.Workers, 1)
	// Each worker builds every walk's history in memory of its own, reused
	// from walk to walk: what a failing walk needs is copied into its
	// verdict, and its history built again if it is the shortest.
	histories := make([]render.ClientHistories, workers)
	judges := make([]history.Judge, workers)
	for i := range judges {
		judges[i].Timeout = opts.Timeout
		if !opts.forget {
			judges[i].Remember = simulateMemory
		}
	}
	judge := func(worker int, w *explore.Walk[model.State, model.Action]) (walkVerdict, error) {
		h := histories[worker].Of(kafka, w.Trace.States)
		ops, err := h.Pair()
		if err != nil {
			return walkVerdict{}, fmt.Errorf("internal error: walk %d's history is not well formed: %v", w.Index, err)
		}
		anomalies, lin, err := judges[worker].Check(ops)
		if err != nil {
			return walkVerdict{}, fmt.Errorf("internal error: walk %d: %v", w.Index, err)
		}
		seen := map[string]bool{}
		for _, a := range anomalies {
			// A walk whose clients did nothing is no anomaly of the
			// system's: lincheck refuses such a history file (there is
			// nothing in it to check), a walk simply has nothing to judge.
			if a.Name != history.EmptyTransactionGraph {
				seen[a.Name] = true
			}
		}
		v := walkVerdict{index: w.Index, steps: len(w.Trace.Actions), anomalies: sortedNames(seen), lin: lin,
			invariant: w.Invariant, failedAt: w.FailedAt}
		if w.Err != nil {
			v.message = w.Err.Error()
		}
		v.failing = w.Invariant != "" || (lin.Linearizable != nil && !*lin.Linearizable)
		if v.failing {
			v.states, v.actions = slices.Clone(w.Trace.States), slices.Clone(w.Trace.Actions)
		}
		return v, nil
	}
	fold := func(_ int, v walkVerdict) error {
		if err := rep.add(v, opts, m, kafka); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(v.index+1, opts.Walks)
		}
		return nil
	}
	simOpts := explore.SimOptions{Seed: opts.Seed, Walks: opts.Walks, MaxDepth: opts.Depth, Workers: workers, Context: opts.Context}
	st, err := explore.SimulateEach(r.spec(), simOpts, judge, fold)
	if err != nil {
		return nil, err
	}
	rep.Walks, rep.Steps, rep.Seconds, rep.Interrupted = st.Walks, st.Steps, st.Elapsed.Seconds(), st.Stopped
	for i := range judges {
		rep.repeats += judges[i].Repeats()
	}
	if st.Elapsed > 0 {
		rep.StepsPerSecond = float64(st.Steps) / st.Elapsed.Seconds()
	}
	rep.Result = "ok"
	if rep.Shortest != nil {
		rep.Result = "violation"
	}
	return rep, nil
}

// add counts a walk's verdict, in walk order, and keeps it as the
// shortest failing walk if it is one (the first of the fewest steps).
func (rep *SimulateReport) add(v walkVerdict, opts SimulateOptions, m *model.Model, kafka render.Kafka) error {
	for _, a := range v.anomalies {
		rep.Anomalies[a]++
	}
	switch lin := v.lin; {
	case lin.Linearizable == nil:
		rep.Inconclusive++
	case *lin.Linearizable:
		rep.Linearizable++
	default:
		rep.NotLinearizable++
	}
	if v.invariant != "" {
		rep.Violations[v.invariant]++
		if n, ok := rep.ShortestViolation[v.invariant]; !ok || v.failedAt < n {
			rep.ShortestViolation[v.invariant] = v.failedAt
		}
	}
	if !v.failing || rep.Shortest != nil && v.steps >= rep.Shortest.Steps {
		return nil
	}
	f := &SimulatedFailure{Walk: v.index, Steps: v.steps, Property: v.invariant, FailedAt: v.failedAt,
		Linearizable: v.lin.Linearizable, Anomalies: v.anomalies, Message: v.message}
	if v.lin.Fast != "ok" {
		f.Reason = v.lin.Reason
	}
	tr, err := history.New(v.states, v.actions)
	if err != nil {
		return err
	}
	file, err := history.NewFile(ModelKafka, render.KafkaConfig(m.Config()), tr, kafka)
	if err != nil {
		return err
	}
	file.Property, file.Message = v.invariant, f.Message
	file.Title = fmt.Sprintf("Simulated walk %d (seed %d)", v.index, opts.Seed)
	file.Command = fmt.Sprintf("%s --seed %d (simulate)", KafkaCommand(m.Config()), opts.Seed)
	rep.Shortest, rep.failure = f, &failingWalk{trace: file, history: kafka.ClientHistory(tr), timeout: opts.Timeout}
	return nil
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
// failing walk's history, checking it again for it: the walks' verdicts
// keep none (it costs porcupine as much as its search).
func (r *SimulateReport) WriteFailingHTML(w io.Writer) error {
	if r.failure == nil {
		return fmt.Errorf("no walk failed")
	}
	ops, err := r.failure.history.Pair()
	if err != nil {
		return err
	}
	lin, err := history.Linearize(ops, r.failure.timeout)
	if err != nil {
		return err
	}
	return lin.WriteHTML(w)
}

// WriteJSON prints the report as one JSON object.
func (r *SimulateReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText prints the report for a person: what was simulated, then the
// walks' figures and the shortest failing walk.
func (r *SimulateReport) WriteText(w io.Writer) {
	for _, f := range [][2]string{{"model:", r.header.ModelLine}, {"rules:", r.header.RulesLine}, {"defaults:", r.header.BaseLine},
		{"bounds:", r.header.BoundsLine}, {"properties:", strings.Join(r.Properties, ", ")}} {
		if f[1] != "" {
			fmt.Fprint(w, WrapField(f[0], f[1]))
		}
	}
	fmt.Fprintln(w)
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
