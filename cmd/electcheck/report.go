package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/invariants"
	"electcheck/model"
)

// report is the outcome of a check, ready to print as text or JSON.
type report struct {
	run        *checkRun
	res        explore.Result[model.State, model.Action]
	witnesses  []invariants.Witness // in report order
	reached    map[string]explore.WitnessResult[model.State, model.Action]
	vacuous    []vacuity
	neverFired []string
}

// vacuity is a property that held while a situation it guards was never
// reached: the "holds" says little.
type vacuity struct {
	Property string   `json:"property"`
	Missing  []string `json:"unreached_witnesses"`
}

func newReport(r *checkRun, res explore.Result[model.State, model.Action]) *report {
	rep := &report{run: r, res: res, witnesses: invariants.WitnessesFor(r.props), reached: map[string]explore.WitnessResult[model.State, model.Action]{}}
	for _, w := range res.Witnesses {
		rep.reached[w.Name] = w
	}
	violated := map[string]bool{}
	for _, v := range res.Violations {
		violated[v.Invariant] = true
	}
	if res.Complete {
		for _, p := range r.props {
			if violated[p.Name] {
				continue
			}
			var missing []string
			for _, g := range p.Guards {
				if !rep.reached[g].Reached {
					missing = append(missing, g)
				}
			}
			if len(missing) > 0 {
				rep.vacuous = append(rep.vacuous, vacuity{p.Name, missing})
			}
		}
		for _, c := range res.Coverage {
			if c.Generated == 0 && r.model.KindConfigured(kindByName(c.Kind)) {
				rep.neverFired = append(rep.neverFired, c.Kind)
			}
		}
	}
	return rep
}

func kindByName(name string) model.Kind {
	for k, n := range model.KindNames() {
		if n == name {
			return model.Kind(k)
		}
	}
	return model.Kind(len(model.KindNames()))
}

func (rep *report) warnings() []string {
	var w []string
	for _, v := range rep.vacuous {
		w = append(w, fmt.Sprintf("%s held, but vacuously in part: %s never reached within these bounds", v.Property, strings.Join(v.Missing, ", ")))
	}
	if len(rep.neverFired) > 0 {
		w = append(w, fmt.Sprintf("these configured actions never fired: %s", strings.Join(rep.neverFired, ", ")))
	}
	return w
}

func (rep *report) writeText(w io.Writer) {
	r, res := rep.run, rep.res
	cfg := r.model.Config()
	fmt.Fprintf(w, "model:      %s\n", cfg.String())
	fmt.Fprintf(w, "bounds:     %s\n", cfg.Bounds)
	names := make([]string, len(r.props))
	for i, p := range r.props {
		names[i] = p.Name
	}
	fmt.Fprintf(w, "properties: %s\n\n", strings.Join(names, ", "))

	st := res.Stats
	search := "complete search"
	if !res.Complete {
		search = "search stopped: " + res.StopReason
	}
	statsLine := fmt.Sprintf("%s distinct states, %s generated, depth %d, %s (%s, %.1fs, %s states/s)",
		commas(st.Distinct), commas(st.Generated), st.Depth, search, r.opts.Strategy, st.Elapsed.Seconds(), commas(int64(st.StatesPerSecond())))

	switch res.Verdict {
	case explore.OK:
		fmt.Fprintf(w, "result: all properties hold within these bounds\n  %s\n", statsLine)
	case explore.Inconclusive:
		fmt.Fprintf(w, "result: inconclusive: no violation found, but %s\n  %s, %s states left in the queue\n", res.StopReason, statsLine, commas(st.Queue))
	case explore.Violation:
		var vs []string
		for _, v := range res.Violations {
			vs = append(vs, v.Invariant)
		}
		fmt.Fprintf(w, "result: VIOLATION of %s\n  %s\n", strings.Join(vs, ", "), statsLine)
	}
	fmt.Fprintf(w, "  probability that a fingerprint collision hid a state (TLC's optimistic estimate): %.1e\n", st.CollisionProbability)

	var prev *explore.Trace[model.State, model.Action]
	for _, v := range res.Violations {
		fmt.Fprintf(w, "\nviolated: %s: %v\n", v.Invariant, v.Err)
		if prev != nil && sameTrace(*prev, v.Trace) {
			fmt.Fprintf(w, "  (same %d-state trace as above)\n", len(v.Trace.States))
			continue
		}
		kind := "shortest trace"
		if r.opts.Strategy == explore.DFS {
			kind = "trace (depth-first: not necessarily shortest)"
		}
		fmt.Fprintf(w, "%s, %d states:\n\n", kind, len(v.Trace.States))
		tr, _ := history.New(v.Trace.States, v.Trace.Actions)
		fmt.Fprint(w, indent(tr.Text(r.model), "  "))
		t := v.Trace
		prev = &t
	}

	fmt.Fprintf(w, "\nwitnesses (the situations the properties guard, and the other side of the trade-off):\n")
	for _, wi := range rep.witnesses {
		wr := rep.reached[wi.Name]
		status := "not reached"
		if wr.Reached {
			status = fmt.Sprintf("reached in %d states", len(wr.Trace.States))
		} else if !res.Complete {
			status = "not reached (search incomplete)"
		}
		tag := ""
		if wi.Availability {
			tag = " [availability]"
		}
		fmt.Fprintf(w, "  %-32s %-28s %s%s\n", wi.Name, status, wi.Description, tag)
	}
	if r.flags.coverage {
		fmt.Fprintf(w, "\ncoverage (successors generated, of which new states):\n")
		for _, c := range res.Coverage {
			fmt.Fprintf(w, "  %-20s %14s %14s\n", c.Kind, commas(c.Generated), commas(c.Distinct))
		}
	}
	if warns := rep.warnings(); len(warns) > 0 {
		fmt.Fprintln(w)
		for _, s := range warns {
			fmt.Fprintf(w, "warning: %s\n", s)
		}
	}
}

func sameTrace(a, b explore.Trace[model.State, model.Action]) bool {
	if len(a.Actions) != len(b.Actions) {
		return false
	}
	for i := range a.Actions {
		if a.Actions[i] != b.Actions[i] {
			return false
		}
	}
	return true
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var sb strings.Builder
	for _, l := range lines {
		if l != "" && l != "\n" {
			sb.WriteString(prefix)
		}
		sb.WriteString(l)
	}
	return sb.String()
}

type jsonConfig struct {
	KafkaVersion          string   `json:"kafka_version"`
	Features              []string `json:"features"`
	ReplicationFactor     int      `json:"replication_factor"`
	MinInsyncReplicas     int      `json:"min_insync_replicas"`
	Acks                  string   `json:"acks"`
	UncleanLeaderElection bool     `json:"unclean_leader_election"`
	FlushEveryMessage     bool     `json:"flush_every_message"`
	AutoLeaderRebalance   bool     `json:"auto_leader_rebalance"`
	Consumer              bool     `json:"consumer"`
	InitialLeader         int      `json:"initial_leader"`
}

type jsonBounds struct {
	Records        int `json:"records"`
	Crashes        int `json:"crashes"`
	PowerLosses    int `json:"power_losses"`
	DiskLosses     int `json:"disk_losses"`
	CleanShutdowns int `json:"clean_shutdowns"`
	Pauses         int `json:"pauses"`
	MaxLeaderEpoch int `json:"max_leader_epoch"`
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

type jsonReport struct {
	Command              string          `json:"command"`
	Model                string          `json:"model"`
	Config               jsonConfig      `json:"config"`
	Bounds               jsonBounds      `json:"bounds"`
	Strategy             string          `json:"strategy"`
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
	Violations           []jsonViolation `json:"violations"`
	Witnesses            map[string]bool `json:"witnesses"`
	WitnessDetails       []jsonWitness   `json:"witness_details"`
	Vacuous              []vacuity       `json:"vacuous"`
	Coverage             []jsonCoverage  `json:"coverage"`
	Warnings             []string        `json:"warnings"`
}

func (rep *report) json() jsonReport {
	r, res := rep.run, rep.res
	cfg := r.model.Config()
	f := cfg.Features()
	features := []string{f.Truncation.String()}
	if f.BrokerEpochs {
		features = append(features, "KIP-903 broker epochs on ISR join")
	}
	if f.StrictMinISR {
		features = append(features, "KAFKA-15583 HW held below min ISR")
	}
	b := cfg.Bounds
	out := jsonReport{
		Command: "check",
		Model:   "kafka",
		Config: jsonConfig{
			KafkaVersion: cfg.Version.String(), Features: features,
			ReplicationFactor: cfg.ReplicationFactor, MinInsyncReplicas: cfg.MinInsyncReplicas,
			Acks: cfg.Acks.String(), UncleanLeaderElection: cfg.UncleanLeaderElection,
			FlushEveryMessage: cfg.FlushEveryMessage, AutoLeaderRebalance: cfg.AutoLeaderRebalance,
			Consumer: cfg.Consumer, InitialLeader: int(cfg.InitialLeader),
		},
		Bounds:               jsonBounds{b.Records, b.Crashes, b.PowerLosses, b.DiskLosses, b.CleanShutdowns, b.Pauses, b.MaxLeaderEpoch},
		Strategy:             r.opts.Strategy.String(),
		Result:               res.Verdict.String(),
		Complete:             res.Complete,
		StopReason:           res.StopReason,
		DistinctStates:       res.Stats.Distinct,
		GeneratedStates:      res.Stats.Generated,
		Depth:                res.Stats.Depth,
		Queue:                res.Stats.Queue,
		ElapsedSeconds:       res.Stats.Elapsed.Seconds(),
		StatesPerSecond:      res.Stats.StatesPerSecond(),
		CollisionProbability: res.Stats.CollisionProbability,
		Violations:           []jsonViolation{},
		Witnesses:            map[string]bool{},
		WitnessDetails:       []jsonWitness{},
		Vacuous:              rep.vacuous,
		Coverage:             []jsonCoverage{},
		Warnings:             rep.warnings(),
	}
	if out.Vacuous == nil {
		out.Vacuous = []vacuity{}
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, p := range r.props {
		out.Properties = append(out.Properties, p.Name)
	}
	for _, v := range res.Violations {
		tr, _ := history.New(v.Trace.States, v.Trace.Actions)
		out.Violations = append(out.Violations, jsonViolation{
			Property: v.Invariant, Message: v.Err.Error(), TraceLength: tr.Len(), Trace: tr.View(r.model),
		})
	}
	for _, wi := range rep.witnesses {
		wr := rep.reached[wi.Name]
		out.Witnesses[wi.Name] = wr.Reached
		jw := jsonWitness{Name: wi.Name, Description: wi.Description, Availability: wi.Availability, Reached: wr.Reached}
		if wr.Reached {
			jw.TraceLength = len(wr.Trace.States)
		}
		out.WitnessDetails = append(out.WitnessDetails, jw)
	}
	for _, c := range res.Coverage {
		out.Coverage = append(out.Coverage, jsonCoverage{c.Kind, c.Generated, c.Distinct})
	}
	return out
}

func (rep *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep.json())
}
