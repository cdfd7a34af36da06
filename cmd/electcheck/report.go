package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"electcheck/explore"
	"electcheck/history"
)

func (o *outcome) writeText(w io.Writer, showCoverage bool) {
	fmt.Fprintf(w, "model:      %s\n", o.modelLine)
	if o.rulesLine != "" {
		fmt.Fprintf(w, "rules:      %s\n", o.rulesLine)
	}
	if o.baseLine != "" {
		fmt.Fprintf(w, "defaults:   %s\n", o.baseLine)
	}
	fmt.Fprintf(w, "bounds:     %s\n", o.boundsLine)
	fmt.Fprintf(w, "symmetry:   %s\n", o.symmetry)
	fmt.Fprintf(w, "properties: %s\n\n", strings.Join(o.properties, ", "))

	st := o.stats
	search := "complete search"
	if !o.complete {
		search = "search stopped: " + o.stopReason
	}
	statsLine := fmt.Sprintf("%s distinct states, %s generated, depth %d, %s (%s; %s)",
		commas(st.Distinct), commas(st.Generated), st.Depth, search, o.strategy, o.timing())
	switch o.verdict {
	case explore.OK:
		fmt.Fprintf(w, "result: all properties hold within these bounds\n  %s\n", statsLine)
	case explore.Inconclusive:
		fmt.Fprintf(w, "result: inconclusive: no violation found, but %s\n  %s, %s states left in the queue\n", o.stopReason, statsLine, commas(st.Queue))
	case explore.Violation:
		var vs []string
		for _, v := range o.violations {
			vs = append(vs, v.property)
		}
		fmt.Fprintf(w, "result: VIOLATION of %s\n  %s\n", strings.Join(vs, ", "), statsLine)
	}
	fmt.Fprintf(w, "  probability that a fingerprint collision hid a state (TLC's optimistic estimate): %.1e\n", st.CollisionProbability)

	printed := map[string]bool{}
	for _, v := range o.violations {
		fmt.Fprintf(w, "\nviolated: %s: %s\n", v.property, v.message)
		if printed[v.actions] {
			fmt.Fprintf(w, "  (the same %d-state trace as above)\n", v.length)
			continue
		}
		printed[v.actions] = true
		kind := "shortest trace"
		if o.strategy == explore.DFS {
			kind = "trace (depth-first: not necessarily shortest)"
		}
		fmt.Fprintf(w, "%s, %d states:\n\n", kind, v.length)
		fmt.Fprint(w, indent(v.text, "  "))
	}

	fmt.Fprintf(w, "\nwitnesses (the situations the properties guard, and the other side of the trade-off):\n")
	for _, wo := range o.witnesses {
		status := "not reached"
		if wo.reached {
			status = fmt.Sprintf("reached in %d states", wo.length)
		} else if !o.complete {
			status = "not reached (search incomplete)"
		}
		tag := ""
		if wo.availability {
			tag = " [availability]"
		}
		fmt.Fprintf(w, "  %-32s %-28s %s%s\n", wo.name, status, wo.description, tag)
	}
	if showCoverage {
		fmt.Fprintf(w, "\ncoverage (successors generated, of which new states):\n")
		for _, c := range o.coverage {
			if c.Kind == "-" {
				continue
			}
			fmt.Fprintf(w, "  %-36s %14s %14s\n", c.Kind, commas(c.Generated), commas(c.Distinct))
		}
	}
	if warns := o.warnings(); len(warns) > 0 {
		fmt.Fprintln(w)
		for _, s := range warns {
			fmt.Fprintf(w, "warning: %s\n", s)
		}
	}
}

// timing is the part of the statistics that varies between identical runs:
// wall time, rate, workers and memory.
func (o *outcome) timing() string {
	workers := "1 worker"
	if o.stats.Workers > 1 {
		workers = fmt.Sprintf("%d workers", o.stats.Workers)
	}
	return fmt.Sprintf("%s, %.1fs, %s states/s, peak memory %s", workers, o.stats.Elapsed.Seconds(), commas(int64(o.stats.StatesPerSecond())), mib(o.stats.PeakMemory))
}

// writeMarkdown prints the primary trace as a document, or, without one,
// the verdict and witnesses as a short document.
func (o *outcome) writeMarkdown(w io.Writer) {
	if o.primaryMarkdown != "" {
		fmt.Fprint(w, o.primaryMarkdown)
		return
	}
	fmt.Fprintf(w, "# %s\n\n- **Configuration:** %s\n- **Bounds:** %s\n- **Properties:** %s\n- **Reproduce:** `%s`\n\n",
		strings.ToUpper(o.verdict.String()[:1])+o.verdict.String()[1:], o.modelLine, o.boundsLine, strings.Join(o.properties, ", "), o.command)
	switch o.verdict {
	case explore.OK:
		fmt.Fprintf(w, "All properties hold within these bounds: %s distinct states, complete search.\n\n", commas(o.stats.Distinct))
	case explore.Inconclusive:
		fmt.Fprintf(w, "Inconclusive: %s.\n\n", o.stopReason)
	}
	fmt.Fprintf(w, "| witness | reached | shortest trace | meaning |\n|---|---|---|---|\n")
	for _, wo := range o.witnesses {
		length := ""
		if wo.reached {
			length = fmt.Sprintf("%d states", wo.length)
		}
		fmt.Fprintf(w, "| `%s` | %t | %s | %s |\n", wo.name, wo.reached, length, wo.description)
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

type jsonViolation struct {
	Property    string             `json:"property"`
	Message     string             `json:"message"`
	TraceLength int                `json:"trace_length"`
	Trace       []history.StepView `json:"trace"`
}

type jsonWitness struct {
	Name         string `json:"name"`
	Description  string `json:"description"`
	Availability bool   `json:"availability"`
	Reached      bool   `json:"reached"`
	TraceLength  int    `json:"trace_length,omitempty"`
}

type jsonCoverage struct {
	Action    string `json:"action"`
	Generated int64  `json:"generated"`
	Distinct  int64  `json:"distinct"`
}

// jsonReport is the JSON output of check (docs/cli.md). Config and Bounds
// depend on the model; json.RawMessage keeps them decodable in tests.
type jsonReport struct {
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
	Violations           []jsonViolation `json:"violations"`
	Witnesses            map[string]bool `json:"witnesses"`
	WitnessDetails       []jsonWitness   `json:"witness_details"`
	Vacuous              []vacuity       `json:"vacuous"`
	Coverage             []jsonCoverage  `json:"coverage"`
	Warnings             []string        `json:"warnings"`
}

func (o *outcome) json() (jsonReport, error) {
	cfg, err := json.Marshal(o.config)
	if err != nil {
		return jsonReport{}, err
	}
	bounds, err := json.Marshal(o.bounds)
	if err != nil {
		return jsonReport{}, err
	}
	out := jsonReport{
		Command: "check", Model: o.model, Config: cfg, Bounds: bounds,
		Strategy:             o.strategy.String(),
		Symmetry:             o.symmetry,
		Properties:           o.properties,
		Result:               o.verdict.String(),
		Complete:             o.complete,
		StopReason:           o.stopReason,
		DistinctStates:       o.stats.Distinct,
		GeneratedStates:      o.stats.Generated,
		Depth:                o.stats.Depth,
		Queue:                o.stats.Queue,
		ElapsedSeconds:       o.stats.Elapsed.Seconds(),
		StatesPerSecond:      o.stats.StatesPerSecond(),
		CollisionProbability: o.stats.CollisionProbability,
		Workers:              o.stats.Workers,
		PeakMemoryBytes:      o.stats.PeakMemory,
		VisitedBytes:         o.stats.VisitedBytes,
		Violations:           []jsonViolation{},
		Witnesses:            map[string]bool{},
		WitnessDetails:       []jsonWitness{},
		Vacuous:              append([]vacuity{}, o.vacuous...),
		Coverage:             []jsonCoverage{},
		Warnings:             append([]string{}, o.warnings()...),
	}
	for _, v := range o.violations {
		out.Violations = append(out.Violations, jsonViolation{v.property, v.message, v.length, v.view})
	}
	for _, wo := range o.witnesses {
		out.Witnesses[wo.name] = wo.reached
		out.WitnessDetails = append(out.WitnessDetails, jsonWitness{wo.name, wo.description, wo.availability, wo.reached, wo.length})
	}
	for _, c := range o.coverage {
		if c.Kind != "-" {
			out.Coverage = append(out.Coverage, jsonCoverage{c.Kind, c.Generated, c.Distinct})
		}
	}
	return out, nil
}

func (o *outcome) writeJSON(w io.Writer) error {
	rep, err := o.json()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
