package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
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
	// ModelLine, RulesLine and BoundsLine describe the configuration.
	ModelLine, RulesLine, BoundsLine string
}

// Replayer adapts one model to ReplayWith.
type Replayer[S any, A any] struct {
	// Init is the initial state; Parse reads an action's text; Step
	// applies an action or says why it is not enabled.
	Init  S
	Parse func(string) (A, error)
	Step  func(*S, A) (S, error)
	// Render prints states and actions.
	Render Renderer[S, A]
	// Property is the named property's violation in a state, or nil; nil
	// when the trace names none. Witness likewise, and WitnessText says
	// the witness's situation in words.
	Property    func(*S) error
	Witness     func(*S) bool
	WitnessText string
	// Model, Rules and Bounds describe the configuration in a line each
	// (Rules may be empty: the replication rules in force).
	Model, Rules, Bounds string
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

// ReplayWith re-runs a trace file's actions through a model: every model
// difference is an Outcome of the result.
func ReplayWith[S any, A any](f *File, r Replayer[S, A]) (*ReplayResult, error) {
	res := &ReplayResult{ModelLine: r.Model, RulesLine: r.Rules, BoundsLine: r.Bounds}
	states := []S{r.Init}
	var actions []A
	diverge := func(step int, reason string, now *S) {
		res.Outcome, res.DivergedAt, res.Reason = Diverges, step, reason
		res.Recorded = f.Steps[step].Text
		if now != nil {
			res.Now = r.Render.Describe(now)
		}
	}
	if !sameState(f.Steps[0].State, r.Render.StateView(&r.Init)) {
		diverge(0, "the initial state differs", &r.Init)
		res.Fields = jsonDiff(f.Steps[0].State, r.Render.StateView(&r.Init))
	}
	for i := 1; i < len(f.Steps) && res.Outcome != Diverges; i++ {
		st := f.Steps[i]
		a, err := r.Parse(st.Action)
		if err != nil {
			// Bad input rather than a model change: a hand-edited step,
			// or a trace of another model.
			return nil, fmt.Errorf("step %d: %q is not an action electcheck knows: %v", i, st.Action, err)
		}
		next, err := r.Step(&states[len(states)-1], a)
		if err != nil {
			diverge(i, err.Error(), nil)
			break
		}
		states, actions = append(states, next), append(actions, a)
		if !sameState(st.State, r.Render.StateView(&next)) {
			diverge(i, fmt.Sprintf("%s leads to a different state", st.Action), &next)
			res.Fields = jsonDiff(st.State, r.Render.StateView(&next))
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
		case r.Property != nil:
			if perr := r.Property(last); perr != nil {
				res.Outcome, res.Message = Reproduces, perr.Error()
			} else {
				res.Outcome = NoLongerFails
			}
		default:
			res.Outcome = Matches
		}
	}
	if r.Witness != nil {
		res.WitnessReached = r.Witness(last)
	}
	res.Text = tr.Text(r.Render)
	doc := Document{Title: f.Title, Description: f.Description, ModelLine: r.Model, RulesLine: r.Rules, BoundsLine: r.Bounds,
		Property: f.Property, Message: f.Message, Witness: f.Witness, WitnessText: r.WitnessText, Command: f.Command}
	if doc.Title == "" {
		doc.Title = "Trace"
	}
	if res.Outcome == Reproduces {
		doc.Message = res.Message
	}
	res.Markdown = tr.Markdown(r.Render, doc)
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
