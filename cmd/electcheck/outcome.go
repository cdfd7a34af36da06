package main

import (
	"strings"

	"electcheck/explore"
	"electcheck/history"
)

// header names what was checked, for both output formats.
type header struct {
	model      string // "kafka" or "tla-replication"
	modelLine  string // one line: the configuration
	boundsLine string // one line: the bounds
	symmetry   string // one line: the symmetry reduction in effect
	config     any    // JSON "config"
	bounds     any    // JSON "bounds"
}

// propInfo and witnessInfo are what the report needs of a property and a
// witness, whatever the model.
type propInfo struct {
	name   string
	guards []string
}

type witnessInfo struct {
	name, description string
	availability      bool
}

// outcome is a finished check, rendered and model-neutral.
type outcome struct {
	header
	properties []string
	strategy   explore.Strategy
	verdict    explore.Verdict
	complete   bool
	stopReason string
	stats      explore.Stats
	coverage   []explore.Coverage
	violations []violationOut
	witnesses  []witnessOut
	vacuous    []vacuity
	neverFired []string
}

type violationOut struct {
	property, message string
	length            int    // states, the initial one included
	actions           string // the actions, to spot a trace printed already
	text              string
	view              []history.StepView
}

type witnessOut struct {
	witnessInfo
	reached bool
	length  int
}

// vacuity is a property that held while a situation it guards was never
// reached: the "holds" says little.
type vacuity struct {
	Property string   `json:"property"`
	Missing  []string `json:"unreached_witnesses"`
}

// newOutcome renders a search result. configured says whether the
// configuration allows an action kind at all (for the never-fired warning).
func newOutcome[S any, A any](h header, res explore.Result[S, A], r history.Renderer[S, A], strategy explore.Strategy,
	props []propInfo, wits []witnessInfo, configured func(kind int) bool) (*outcome, error) {
	o := &outcome{header: h, strategy: strategy, verdict: res.Verdict, complete: res.Complete,
		stopReason: res.StopReason, stats: res.Stats, coverage: res.Coverage}
	for _, p := range props {
		o.properties = append(o.properties, p.name)
	}
	violated := map[string]bool{}
	for _, v := range res.Violations {
		violated[v.Invariant] = true
		tr, err := history.New(v.Trace.States, v.Trace.Actions)
		if err != nil {
			return nil, err
		}
		var acts []string
		for _, a := range v.Trace.Actions {
			acts = append(acts, r.ActionText(a))
		}
		o.violations = append(o.violations, violationOut{
			property: v.Invariant, message: v.Err.Error(), length: tr.Len(),
			actions: strings.Join(acts, "\n"), text: tr.Text(r), view: tr.View(r),
		})
	}
	reached := map[string]bool{}
	byName := map[string]explore.WitnessResult[S, A]{}
	for _, w := range res.Witnesses {
		byName[w.Name] = w
		reached[w.Name] = w.Reached
	}
	for _, w := range wits {
		wr := byName[w.name]
		wo := witnessOut{witnessInfo: w, reached: wr.Reached}
		if wr.Reached {
			wo.length = len(wr.Trace.States)
		}
		o.witnesses = append(o.witnesses, wo)
	}
	if res.Complete {
		for _, p := range props {
			if violated[p.name] {
				continue
			}
			var missing []string
			for _, g := range p.guards {
				if !reached[g] {
					missing = append(missing, g)
				}
			}
			if len(missing) > 0 {
				o.vacuous = append(o.vacuous, vacuity{p.name, missing})
			}
		}
		for k, c := range res.Coverage {
			if c.Generated == 0 && configured(k) {
				o.neverFired = append(o.neverFired, c.Kind)
			}
		}
	}
	return o, nil
}

func (o *outcome) warnings() []string {
	var w []string
	for _, v := range o.vacuous {
		w = append(w, v.Property+" held, but vacuously in part: "+strings.Join(v.Missing, ", ")+" never reached within these bounds")
	}
	if len(o.neverFired) > 0 {
		w = append(w, "these configured actions never fired: "+strings.Join(o.neverFired, ", "))
	}
	return w
}
