package checker

import (
	"strings"

	"electcheck/explore"
	"electcheck/history"
)

// Header names what was checked, for every output format.
type Header struct {
	// Model is the model's name ("kafka", "tla-replication").
	Model string
	// ModelLine, RulesLine, BaseLine and BoundsLine describe the
	// configuration in a line each (RulesLine and BaseLine may be empty);
	// Symmetry the symmetry reduction in effect.
	ModelLine, RulesLine, BaseLine, BoundsLine, Symmetry string
	// Config and Bounds are the JSON "config" and "bounds".
	Config, Bounds any
	// FileConfig is the configuration in trace-file form, and Command the
	// check command that reproduces it (without --invariants).
	FileConfig map[string]string
	Command    string
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

// Outcome is a finished check, rendered and model-neutral.
type Outcome struct {
	Header
	Properties []string
	Strategy   explore.Strategy
	Verdict    explore.Verdict
	Complete   bool
	StopReason string
	Stats      explore.Stats
	Coverage   []explore.Coverage
	Violations []Violation
	Witnesses  []WitnessOutcome
	Vacuous    []Vacuity
	NeverFired []string
	// Show is the witness whose trace is the primary one, if asked for.
	Show string
	// Primary is the trace --trace-out writes and --format markdown
	// renders: the one Show names, else the first counterexample; nil if
	// there is none. PrimaryMarkdown is its Markdown document.
	Primary         *history.File
	PrimaryMarkdown string
}

// Violation is a property's shortest (or, depth first, some) counterexample.
type Violation struct {
	Property, Message string
	// Length counts states, the initial one included.
	Length int
	// Actions are the trace's actions, one per line; Text the trace as
	// text; View its steps for JSON.
	Actions string
	Text    string
	View    []history.StepView
}

// WitnessOutcome says whether a witness was reached, and the shortest trace
// to it (Length states; Text and View only for the witness Show names).
type WitnessOutcome struct {
	Name, Description string
	Availability      bool
	Reached           bool
	Length            int
	Text              string
	View              []history.StepView
}

// Vacuity is a property that held while a situation it guards was never
// reached: the "holds" says little.
type Vacuity struct {
	Property string   `json:"property"`
	Missing  []string `json:"unreached_witnesses"`
}

// newOutcome renders a search result. configured says whether the
// configuration allows an action kind at all (for the never-fired warning);
// show names the witness whose trace is the primary one, if any.
func newOutcome[S any, A any](h Header, res explore.Result[S, A], r history.Renderer[S, A], strategy explore.Strategy,
	props []propInfo, wits []witnessInfo, configured func(kind int) bool, show string) (*Outcome, error) {
	o := &Outcome{Header: h, Strategy: strategy, Verdict: res.Verdict, Complete: res.Complete,
		StopReason: res.StopReason, Stats: res.Stats, Coverage: res.Coverage, Show: show}
	for _, p := range props {
		o.Properties = append(o.Properties, p.name)
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
		o.Violations = append(o.Violations, Violation{
			Property: v.Invariant, Message: v.Err.Error(), Length: tr.Len(),
			Actions: strings.Join(acts, "\n"), Text: tr.Text(r), View: tr.View(r),
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
		wo := WitnessOutcome{Name: w.name, Description: w.description, Availability: w.availability, Reached: wr.Reached}
		if wr.Reached {
			wo.Length = len(wr.Trace.States)
			if w.name == show {
				tr, err := history.New(wr.Trace.States, wr.Trace.Actions)
				if err != nil {
					return nil, err
				}
				wo.Text, wo.View = tr.Text(r), tr.View(r)
			}
		}
		o.Witnesses = append(o.Witnesses, wo)
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
				o.Vacuous = append(o.Vacuous, Vacuity{p.name, missing})
			}
		}
		for k, c := range res.Coverage {
			if c.Generated == 0 && configured(k) {
				o.NeverFired = append(o.NeverFired, c.Kind)
			}
		}
	}
	return o, nil
}

// setPrimary prepares the trace --trace-out and --format markdown use: the
// shortest trace to the witness show names, or the first counterexample.
func setPrimary[S any, A any](o *Outcome, res explore.Result[S, A], r history.Renderer[S, A], show string) error {
	var tr explore.Trace[S, A]
	doc := history.Document{ModelLine: o.ModelLine, RulesLine: o.RulesLine, BoundsLine: o.BoundsLine}
	switch {
	case show != "":
		for _, w := range res.Witnesses {
			if w.Name == show && w.Reached {
				tr = w.Trace
				doc.Witness = show
				for _, wo := range o.Witnesses {
					if wo.Name == show {
						doc.WitnessText = wo.Description
					}
				}
				doc.Title = "Witness: " + show
				doc.Command = o.Command + " --show " + show
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
		doc.Command = o.Command + " --invariants " + v.Invariant
	default:
		return nil
	}
	t, err := history.New(tr.States, tr.Actions)
	if err != nil {
		return err
	}
	f, err := history.NewFile(o.Model, o.FileConfig, t, r)
	if err != nil {
		return err
	}
	f.Title, f.Property, f.Message, f.Witness, f.Command = doc.Title, doc.Property, doc.Message, doc.Witness, doc.Command
	o.Primary, o.PrimaryMarkdown = f, t.Markdown(r, doc)
	return nil
}

// Warnings are what a reader should know about a result: properties that
// held only vacuously, configured actions that never fired.
func (o *Outcome) Warnings() []string {
	var w []string
	for _, v := range o.Vacuous {
		w = append(w, v.Property+" held, but vacuously in part: "+strings.Join(v.Missing, ", ")+" never reached within these bounds")
	}
	if len(o.NeverFired) > 0 {
		w = append(w, "these configured actions never fired: "+strings.Join(o.NeverFired, ", "))
	}
	return w
}

// Violated reports whether property p failed, and its counterexample.
func (o *Outcome) Violated(p string) (*Violation, bool) {
	for i := range o.Violations {
		if o.Violations[i].Property == p {
			return &o.Violations[i], true
		}
	}
	return nil, false
}

// Reached reports whether witness w was reached.
func (o *Outcome) Reached(w string) bool {
	for _, wo := range o.Witnesses {
		if wo.Name == w {
			return wo.Reached
		}
	}
	return false
}
