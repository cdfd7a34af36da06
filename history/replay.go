package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"electcheck/invariants"
	"electcheck/model"
	"electcheck/model/tlareplication"
)

// Outcome is what replaying a trace file found.
type Outcome int

const (
	// Reproduces: every step is as recorded and the property still fails
	// at the end.
	Reproduces Outcome = iota
	// NoLongerFails: every step is as recorded, but the property now holds
	// at the end.
	NoLongerFails
	// Matches: a trace without a property replays as recorded.
	Matches
	// Diverges: an action is no longer enabled, or leads to a state other
	// than the one recorded: the model changed.
	Diverges
)

func (o Outcome) String() string {
	return [...]string{"reproduces", "no-longer-fails", "matches", "diverges"}[o]
}

// ReplayResult is the outcome of a replay, rendered for output.
type ReplayResult struct {
	Outcome Outcome
	// Replayed is how many steps were replayed (the initial state is step 0).
	Replayed int
	// For Diverges: the step, why, and the recorded and current states.
	DivergedAt int
	Reason     string
	Recorded   string
	Now        string
	// Fields lists the JSON fields that differ, as "path: recorded, now".
	Fields []string
	// Message is the property's failure now (Reproduces).
	Message string
	// WitnessReached says whether the trace's witness, if any, still holds
	// at the end.
	WitnessReached bool
	// Text and Markdown render the replayed steps (up to a divergence).
	Text     string
	Markdown string
	// ModelLine and BoundsLine describe the configuration.
	ModelLine, BoundsLine string
}

// replayer adapts one model to the generic replay.
type replayer[S any, A any] struct {
	init     S
	parse    func(string) (A, error)
	step     func(*S, A) (S, error)
	render   Renderer[S, A]
	property func(*S) error // the property's violation in a state, or nil
	witness  func(*S) bool
	model    string
	bounds   string
}

// Replay re-runs a trace file's actions through the current model. It
// returns an error (bad input) only when the file names a property or
// witness this electcheck does not know; every model difference is an
// Outcome.
func Replay(f *File) (*ReplayResult, error) {
	mach, err := f.Machine()
	if err != nil {
		return nil, err
	}
	switch m := mach.(type) {
	case *model.Model:
		r := replayer[model.State, model.Action]{
			init:   m.Init()[0],
			parse:  model.ParseAction,
			step:   m.Step,
			render: Kafka{m},
		}
		cfg := m.Config()
		r.model, r.bounds = cfg.String(), cfg.Bounds.String()
		if f.Property != "" {
			props, err := invariants.Select([]string{f.Property})
			if err != nil {
				return nil, fmt.Errorf("the trace names property %q: %v", f.Property, err)
			}
			r.property = func(s *model.State) error { return props[0].Check(m, s) }
		}
		if f.Witness != "" {
			found := false
			for _, w := range invariants.Witnesses() {
				if w.Name == f.Witness {
					reached := w.Reached
					r.witness = func(s *model.State) bool { return reached(m, s) }
					found = true
				}
			}
			if !found {
				return nil, fmt.Errorf("the trace names witness %q, which this electcheck does not know", f.Witness)
			}
		}
		return replay(f, r)
	case *tlareplication.Model:
		r := replayer[tlareplication.State, tlareplication.Action]{
			init:  m.Init()[0],
			parse: m.ParseAction,
			step: func(s *tlareplication.State, a tlareplication.Action) (tlareplication.State, error) {
				for _, b := range m.Actions(s, nil) {
					if b == a {
						return m.Next(s, a), nil
					}
				}
				return *s, fmt.Errorf("%s is not enabled", m.Format(a))
			},
			render: TLA{m},
			model:  fmt.Sprintf("TLA+ KafkaReplication, module %s, %s", m.Variant().Module(), m.Constants()),
			bounds: "the specification's constants",
		}
		if f.Property != "" {
			var prop *tlareplication.Property
			for _, p := range tlareplication.Properties() {
				if p.Name == f.Property {
					prop = &p
				}
			}
			if prop == nil {
				return nil, fmt.Errorf("the trace names property %q, which %s does not check", f.Property, ModelTLA)
			}
			r.property = func(s *tlareplication.State) error { return prop.Check(m, s) }
		}
		return replay(f, r)
	}
	return nil, fmt.Errorf("history: unknown model %T", mach)
}

func sameState(recorded json.RawMessage, now any) bool {
	b, err := json.Marshal(now)
	if err != nil {
		return false
	}
	var x, y bytes.Buffer
	if json.Compact(&x, recorded) != nil || json.Compact(&y, b) != nil {
		return false
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}

func replay[S any, A any](f *File, r replayer[S, A]) (*ReplayResult, error) {
	res := &ReplayResult{ModelLine: r.model, BoundsLine: r.bounds}
	states := []S{r.init}
	var actions []A
	diverge := func(step int, reason string, now *S) {
		res.Outcome, res.DivergedAt, res.Reason = Diverges, step, reason
		res.Recorded = f.Steps[step].Text
		if now != nil {
			res.Now = r.render.Describe(now)
		}
	}
	if !sameState(f.Steps[0].State, r.render.StateView(&r.init)) {
		diverge(0, "the initial state differs", &r.init)
		res.Fields = jsonDiff(f.Steps[0].State, r.render.StateView(&r.init))
	}
	for i := 1; i < len(f.Steps) && res.Outcome != Diverges; i++ {
		st := f.Steps[i]
		a, err := r.parse(st.Action)
		if err != nil {
			diverge(i, fmt.Sprintf("the action %q no longer parses: %v", st.Action, err), nil)
			break
		}
		next, err := r.step(&states[len(states)-1], a)
		if err != nil {
			diverge(i, err.Error(), nil)
			break
		}
		states, actions = append(states, next), append(actions, a)
		if !sameState(st.State, r.render.StateView(&next)) {
			diverge(i, fmt.Sprintf("%s leads to a different state", st.Action), &next)
			res.Fields = jsonDiff(st.State, r.render.StateView(&next))
		}
	}
	res.Replayed = len(states) - 1
	tr, err := New(states, actions)
	if err != nil {
		return nil, err
	}
	last := &states[len(states)-1]
	if res.Outcome != Diverges {
		switch {
		case r.property != nil:
			if perr := r.property(last); perr != nil {
				res.Outcome, res.Message = Reproduces, perr.Error()
			} else {
				res.Outcome = NoLongerFails
			}
		default:
			res.Outcome = Matches
		}
	}
	if r.witness != nil {
		res.WitnessReached = r.witness(last)
	}
	res.Text = tr.Text(r.render)
	doc := Document{Title: f.Title, Description: f.Description, ModelLine: r.model, BoundsLine: r.bounds,
		Property: f.Property, Message: f.Message, Witness: f.Witness, Command: f.Command}
	if doc.Title == "" {
		doc.Title = "Trace"
	}
	if res.Outcome == Reproduces {
		doc.Message = res.Message
	}
	res.Markdown = tr.Markdown(r.render, doc)
	return res, nil
}

// SideBySide prints two texts in two columns, marking with "!" the rows
// that differ.
func SideBySide(leftTitle, left, rightTitle, right string) string {
	l := strings.Split(strings.TrimRight(left, "\n"), "\n")
	r := strings.Split(strings.TrimRight(right, "\n"), "\n")
	width := len(leftTitle)
	for _, line := range l {
		width = max(width, len(line))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "  %-*s | %s\n", width, leftTitle, rightTitle)
	for i := range max(len(l), len(r)) {
		var a, b string
		if i < len(l) {
			a = l[i]
		}
		if i < len(r) {
			b = r[i]
		}
		mark := " "
		if a != b {
			mark = "!"
		}
		fmt.Fprintf(&sb, "%s %-*s | %s\n", mark, width, a, b)
	}
	return sb.String()
}

// jsonDiff lists the paths at which a recorded JSON value and a current one
// differ, with both values.
func jsonDiff(recorded json.RawMessage, now any) []string {
	var a, b any
	nb, _ := json.Marshal(now)
	if json.Unmarshal(recorded, &a) != nil || json.Unmarshal(nb, &b) != nil {
		return nil
	}
	var out []string
	var walk func(path string, x, y any)
	walk = func(path string, x, y any) {
		switch xv := x.(type) {
		case map[string]any:
			if yv, ok := y.(map[string]any); ok {
				keys := map[string]bool{}
				for k := range xv {
					keys[k] = true
				}
				for k := range yv {
					keys[k] = true
				}
				var sorted []string
				for k := range keys {
					sorted = append(sorted, k)
				}
				sort.Strings(sorted)
				for _, k := range sorted {
					walk(path+"."+k, xv[k], yv[k])
				}
				return
			}
		case []any:
			if yv, ok := y.([]any); ok && len(xv) == len(yv) {
				for i := range xv {
					walk(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i])
				}
				return
			}
		}
		xb, _ := json.Marshal(x)
		yb, _ := json.Marshal(y)
		if string(xb) != string(yb) {
			out = append(out, fmt.Sprintf("%s: recorded %s, now %s", strings.TrimPrefix(path, "."), xb, yb))
		}
	}
	walk("", a, b)
	return out
}
