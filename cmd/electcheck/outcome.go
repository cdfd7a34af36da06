package main

import (
	"strings"

	"electcheck/explore"
	"electcheck/history"
)

// header names what was checked, for every output format.
type header struct {
	model      string // "kafka" or "tla-replication"
	modelLine  string // one line: the configuration
	rulesLine  string // one line: the protocol rules in force ("" if none apply)
	baseLine   string // one line: where unset settings come from ("" if nothing to say)
	boundsLine string // one line: the bounds
	symmetry   string // one line: the symmetry reduction in effect
	config     any    // JSON "config"
	bounds     any    // JSON "bounds"
	// fileConfig is the configuration in trace-file form, and command the
	// flags that reproduce it (without --invariants).
	fileConfig map[string]string
	command    string
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
	// primary is the trace --trace-out writes and --format markdown
	// renders: the one --show names, else the first counterexample; nil if
	// there is none. primaryMarkdown is its Markdown document.
	primary         *history.File
	primaryMarkdown string
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
// configuration allows an action kind at all (for the never-fired warning);
// show names the witness whose trace is the primary one, if any.
func newOutcome[S any, A any](h header, res explore.Result[S, A], r history.Renderer[S, A], strategy explore.Strategy,
	props []propInfo, wits []witnessInfo, configured func(kind int) bool, show string) (*outcome, error) {
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
	if err := setPrimary(o, res, r, show); err != nil {
		return nil, err
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

// setPrimary prepares the trace --trace-out and --format markdown use: the
// shortest trace to the witness show names, or the first counterexample.
func setPrimary[S any, A any](o *outcome, res explore.Result[S, A], r history.Renderer[S, A], show string) error {
	var tr explore.Trace[S, A]
	doc := history.Document{ModelLine: o.modelLine, BoundsLine: o.boundsLine}
	switch {
	case show != "":
		for _, w := range res.Witnesses {
			if w.Name == show && w.Reached {
				tr = w.Trace
				doc.Witness = show
				doc.Title = "Witness: " + show
				doc.Command = o.command + " --show " + show
			}
		}
		if doc.Witness == "" {
			return nil
		}
	case len(res.Violations) > 0:
		v := res.Violations[0]
		tr = v.Trace
		doc.Property, doc.Message = v.Invariant, v.Err.Error()
		doc.Title = "Counterexample: " + v.Invariant
		doc.Command = o.command + " --invariants " + v.Invariant
	default:
		return nil
	}
	t, err := history.New(tr.States, tr.Actions)
	if err != nil {
		return err
	}
	f, err := history.NewFile(o.model, o.fileConfig, t, r)
	if err != nil {
		return err
	}
	f.Title, f.Property, f.Message, f.Witness, f.Command = doc.Title, doc.Property, doc.Message, doc.Witness, doc.Command
	o.primary, o.primaryMarkdown = f, t.Markdown(r, doc)
	return nil
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
