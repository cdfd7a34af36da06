package checker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"electcheck/history"
)

// Lincheck: a client history (electcheck's JSON Lines, or a history.edn
// Jepsen's Kafka workload recorded) checked for Jepsen's named anomalies
// and for linearizability by two checkers.

// LincheckOptions say how to check a history.
type LincheckOptions struct {
	// Format is "jsonl", "edn", or "" to tell from the data.
	Format string
	// Timeout bounds porcupine's search (0: none).
	Timeout time.Duration
	// MaxWitnesses caps the witnesses listed per anomaly (0: 8).
	MaxWitnesses int
	// Assume are the assumptions about consumers the linearizability
	// check makes (the zero value: all of them).
	Assume history.Assumptions
	// Context stops the check (Ctrl-C): the anomalies are reported, and
	// linearizability as unknown.
	Context context.Context
	// Cycles says which dependencies the cycle search draws (the zero
	// value: Jepsen's defaults).
	Cycles history.AnalyzeOptions
}

// LincheckCycles is what the cycle search drew, as the report names it.
type LincheckCycles struct {
	WWDeps bool   `json:"ww_deps"`
	RWDeps bool   `json:"rw_deps"`
	Order  string `json:"order"`
}

// LincheckReport is `electcheck lincheck --format json`.
type LincheckReport struct {
	Command string `json:"command"`
	File    string `json:"file"`
	Format  string `json:"format"`
	// Result is "ok", "anomalies", "not-linearizable" or "inconclusive".
	Result     string `json:"result"`
	Operations int    `json:"operations"`
	Processes  int    `json:"processes"`
	Keys       int    `json:"keys"`
	// Indeterminate counts operations that completed info, or never.
	Indeterminate int `json:"indeterminate"`
	// Anomalies maps each anomaly found to its witnesses (capped; Counts
	// has the totals); Informational are those Jepsen does not count
	// against a history.
	Anomalies     map[string][]history.Anomaly `json:"anomalies"`
	Counts        map[string]int               `json:"anomaly_counts"`
	Informational []string                     `json:"informational"`
	// Linearizable is null when porcupine did not answer in time.
	Linearizable *bool `json:"linearizable"`
	// Cycles are the dependencies the cycle search drew.
	Cycles   LincheckCycles `json:"cycles"`
	Checkers LincheckJudges `json:"checkers"`
	// Key and Reason say where and why linearizability fails: the key as
	// the history wrote it (a number, or a string for any other key).
	Key     json.RawMessage `json:"key,omitempty"`
	Reason  string          `json:"reason,omitempty"`
	Notes   []string        `json:"notes"`
	lin     *history.Linearizability
	keyText string
}

// keyList names keys, the first few of many.
func keyList(keys []string) string {
	if len(keys) > 6 {
		return fmt.Sprintf("%d keys (%s, ...)", len(keys), strings.Join(keys[:6], ", "))
	}
	return plural(len(keys), "key", "keys") + " (" + strings.Join(keys, ", ") + ")"
}

// LincheckJudges are each linearizability checker's own verdict.
type LincheckJudges struct {
	Fast             string  `json:"fast"`
	Porcupine        string  `json:"porcupine"`
	PorcupineSeconds float64 `json:"porcupine_seconds"`
	// Porcupine checks each key within the timeout: the keys it answered,
	// and those it did not (as written); the static pass decides some
	// before any search.
	StaticKeys        int               `json:"static_keys"`
	PorcupineAnswered int               `json:"porcupine_answered_keys"`
	PorcupineUnknown  []json.RawMessage `json:"porcupine_unknown_keys"`
	unknownText       []string
}

// ReadClientHistory reads a history file, in the format given or the one
// its first line shows. The error (bad input) names the line.
func ReadClientHistory(data []byte, source, format string) (*history.ClientHistory, string, error) {
	if format == "" {
		format = "jsonl"
		if first := firstLine(data); bytes.HasPrefix(first, []byte("{:")) || bytes.HasPrefix(first, []byte(";")) {
			format = "edn"
		}
	}
	var h *history.ClientHistory
	var err error
	switch format {
	case "jsonl":
		h, err = history.ReadJSONL(data, source)
	case "edn":
		h, err = history.ReadEDN(data, source)
	default:
		return nil, format, badf("--input must be jsonl or edn, not %q", format)
	}
	if err != nil {
		return nil, format, &BadRequest{err.Error()}
	}
	return h, format, nil
}

func firstLine(data []byte) []byte {
	for _, l := range bytes.Split(data, []byte("\n")) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			return l
		}
	}
	return nil
}

// Lincheck checks a history. A history that is not well formed is a
// BadRequest; two checkers that disagree an internal error.
func Lincheck(h *history.ClientHistory, format string, opts LincheckOptions) (*LincheckReport, error) {
	ops, err := h.Pair()
	if err != nil {
		return nil, &BadRequest{err.Error()}
	}
	rep := &LincheckReport{Command: "lincheck", File: h.Source, Format: format, Operations: len(ops),
		Anomalies: map[string][]history.Anomaly{}, Counts: map[string]int{}, Informational: []string{}, Notes: []string{}}
	for _, a := range []struct {
		off  bool
		name string
	}{{opts.Assume.NoSeekStart, "seek-start"}, {opts.Assume.NoPollContinues, "poll-continues"}} {
		if a.off {
			rep.Notes = append(rep.Notes, fmt.Sprintf("--assume %s=false: polls are not held to that assumption about consumers' positions (docs/histories.md)", a.name))
		}
	}
	order := opts.Cycles.Order
	switch order {
	case "":
		order = history.OrderRealtime
	case history.OrderRealtime, history.OrderProcess, history.OrderNone:
	default:
		return nil, badf("the cycle search's order must be realtime, process or none, not %q", order)
	}
	rep.Cycles = LincheckCycles{WWDeps: opts.Cycles.WWDeps, RWDeps: opts.Cycles.RWDeps, Order: string(order)}
	procs := map[int64]bool{}
	subscribes := false
	for _, op := range ops {
		procs[op.Call.Process] = true
		subscribes = subscribes || op.Call.F == history.FSubscribe
		if op.Ret == nil || op.Ret.Type == history.Info {
			rep.Indeterminate++
		}
		if op.Ret == nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("event %d (process %d's %s) never completed: taken as indeterminate", op.Call.Index, op.Call.Process, op.Call.F))
		}
	}
	rep.Processes, rep.Keys = len(procs), len(h.Keys())
	max := opts.MaxWitnesses
	if max <= 0 {
		max = 8
	}
	bad := false
	for _, a := range history.AnalyzeWith(ops, opts.Cycles) {
		rep.Counts[a.Name]++
		if len(rep.Anomalies[a.Name]) < max {
			rep.Anomalies[a.Name] = append(rep.Anomalies[a.Name], a)
		}
		if opts.Cycles.Informational(a.Name, subscribes) {
			if rep.Counts[a.Name] == 1 {
				rep.Informational = append(rep.Informational, a.Name)
			}
			continue
		}
		bad = true
	}
	lin, err := linearize(ops, opts)
	if lin == nil && err == nil {
		rep.Result = "inconclusive"
		rep.Notes = append(rep.Notes, "interrupted before the linearizability checkers answered: the anomalies above are complete, linearizability unknown")
		return rep, nil
	}
	rep.lin = lin
	if lin != nil {
		rep.Checkers = LincheckJudges{Fast: lin.Fast, Porcupine: lin.Porcupine, PorcupineSeconds: lin.PorcupineTime.Seconds(),
			PorcupineUnknown: []json.RawMessage{}}
		for _, kv := range lin.Keys {
			if kv.Porcupine == "unknown" {
				rep.Checkers.PorcupineUnknown = append(rep.Checkers.PorcupineUnknown, history.KeyJSON(kv.Key))
				rep.Checkers.unknownText = append(rep.Checkers.unknownText, history.KeyText(kv.Key))
			} else if kv.Static {
				rep.Checkers.StaticKeys++
			} else {
				rep.Checkers.PorcupineAnswered++
			}
		}
		rep.Linearizable = lin.Linearizable
		if lin.Fast != "ok" {
			rep.Key, rep.Reason = history.KeyJSON(lin.Key), lin.Reason
			rep.keyText = history.KeyText(lin.Key)
		}
	}
	if err != nil {
		return rep, fmt.Errorf("internal error: %v", err)
	}
	switch {
	case bad:
		rep.Result = "anomalies"
		if lin.Fast != "ok" {
			rep.Result = "not-linearizable"
		}
	case lin.Linearizable == nil && lin.Fast != "ok":
		rep.Result = "not-linearizable"
		rep.Notes = append(rep.Notes, fmt.Sprintf("porcupine did not answer within %s on each of %s; the fast checker alone finds the history not linearizable", opts.Timeout, keyList(rep.Checkers.unknownText)))
	case lin.Linearizable == nil:
		rep.Result = "inconclusive"
		rep.Notes = append(rep.Notes, fmt.Sprintf("porcupine did not answer within %s on each of %s; the fast checker alone finds the history linearizable, which is not a pass", opts.Timeout, keyList(rep.Checkers.unknownText)))
	case !*lin.Linearizable:
		rep.Result = "not-linearizable"
	default:
		rep.Result = "ok"
	}
	return rep, nil
}

// linearize runs the linearizability checkers, or returns nil, nil when
// the context ends first (their goroutine then finishes on its own, within
// the timeout).
func linearize(ops []history.Operation, opts LincheckOptions) (*history.Linearizability, error) {
	if opts.Context == nil {
		return history.LinearizeWith(ops, history.LinOptions{Timeout: opts.Timeout, Assume: opts.Assume})
	}
	type answer struct {
		lin *history.Linearizability
		err error
	}
	done := make(chan answer, 1)
	go func() {
		lin, err := history.LinearizeWith(ops, history.LinOptions{Timeout: opts.Timeout, Assume: opts.Assume})
		done <- answer{lin, err}
	}()
	select {
	case a := <-done:
		return a.lin, a.err
	case <-opts.Context.Done():
		return nil, nil
	}
}

// WriteHTML writes porcupine's visualisation of the check.
func (r *LincheckReport) WriteHTML(w io.Writer) error {
	if r.lin == nil {
		return fmt.Errorf("there is no linearizability check to show: it was interrupted")
	}
	return r.lin.WriteHTML(w)
}

// WriteJSON prints the report as one JSON object.
func (r *LincheckReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText prints the report for a person.
func (r *LincheckReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "history:   %s (%s): %s by %s on %s, %d indeterminate\n", r.File, r.Format,
		plural(r.Operations, "operation", "operations"), plural(r.Processes, "process", "processes"), plural(r.Keys, "key", "keys"), r.Indeterminate)
	verdict := map[string]string{"ok": "no anomaly, linearizable", "anomalies": "ANOMALIES",
		"not-linearizable": "NOT LINEARIZABLE", "inconclusive": "inconclusive"}[r.Result]
	fmt.Fprintf(w, "result:    %s\n", verdict)
	lin := "unknown (porcupine did not answer)"
	if r.Linearizable != nil {
		lin = fmt.Sprint(*r.Linearizable)
	}
	fmt.Fprintf(w, "linearizable: %s (fast checker: %s; porcupine: %s)\n", lin, r.Checkers.Fast, r.Checkers.Porcupine)
	fmt.Fprintf(w, "  keys:    %d decided before any search, %d searched by porcupine in %.2fs", r.Checkers.StaticKeys,
		r.Checkers.PorcupineAnswered+len(r.Checkers.unknownText), r.Checkers.PorcupineSeconds)
	if n := len(r.Checkers.unknownText); n > 0 {
		fmt.Fprintf(w, ", no answer on %s", keyList(r.Checkers.unknownText))
	}
	fmt.Fprintln(w)
	if r.Reason != "" {
		fmt.Fprintf(w, "  key %s: %s\n", r.keyText, r.Reason)
	}
	names := make([]string, 0, len(r.Counts))
	for n := range r.Counts {
		names = append(names, n)
	}
	sort.SliceStable(names, func(i, j int) bool { return anomalyRank(names[i]) < anomalyRank(names[j]) })
	for _, n := range names {
		tag := ""
		for _, inf := range r.Informational {
			if inf == n {
				tag = " (informational)"
			}
		}
		fmt.Fprintf(w, "\n%s: %d%s\n", n, r.Counts[n], tag)
		for _, a := range r.Anomalies[n] {
			ev := ""
			if len(a.Events) > 0 {
				var s []string
				for _, e := range a.Events {
					s = append(s, fmt.Sprint(e))
				}
				ev = " (event " + s[0] + ")"
				if len(s) > 1 {
					ev = " (events " + strings.Join(s, ", ") + ")"
				}
			}
			if len(a.Steps) == 0 {
				fmt.Fprintf(w, "  %s%s\n", a.Says, ev)
				continue
			}
			fmt.Fprintf(w, "  a cycle of %s%s:\n", plural(len(a.Steps), "operation", "operations"), ev)
			for _, st := range a.Steps {
				fmt.Fprintf(w, "    %s\n", st.Says)
			}
			if strings.HasSuffix(a.Says, history.CycleBudgetNote) {
				fmt.Fprintf(w, "    %s\n", history.CycleBudgetNote)
			}
		}
		if more := r.Counts[n] - len(r.Anomalies[n]); more > 0 {
			fmt.Fprintf(w, "  … and %d more\n", more)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
}

func anomalyRank(name string) int {
	for i, n := range history.AnomalyNames {
		if n == name {
			return i
		}
	}
	return len(history.AnomalyNames)
}

// plural is n and the noun for n: "1 key", "2 keys".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
