// Package history holds behaviours as data: traces (paths of actions and
// the states they lead to) and their text, JSON and Markdown forms, trace
// files and their replay, and client operation histories with Jepsen's
// anomalies and linearizability. It is generic: a model's renderings live
// in history/render.
package history

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Renderer prints one model's states and actions.
type Renderer[S any, A any] interface {
	// Describe is the state's canonical text.
	Describe(s *S) string
	// ActionText is the action's text.
	ActionText(a A) string
	// StateView is the state's JSON form.
	StateView(s *S) any
}

// Step is one state of a trace and the action that led to it (nil for the
// initial state).
type Step[S any, A any] struct {
	Action *A
	State  S
}

// Trace is a path through a model: Steps[0] is initial and each later
// step's state is the previous one's successor under its action.
type Trace[S any, A any] struct {
	Steps []Step[S, A]
	acts  []A // what the steps' actions point to
}

// New builds a trace from the states of a path and the actions between
// them.
func New[S any, A any](states []S, actions []A) (Trace[S, A], error) {
	var t Trace[S, A]
	err := t.Fill(states, actions)
	return t, err
}

// Fill makes t the trace of states and actions, reusing its memory: a
// trace filled again changes, with every copy of it. Random walks fill one
// trace per walk.
func (t *Trace[S, A]) Fill(states []S, actions []A) error {
	if len(states) == 0 || len(actions) != len(states)-1 {
		return fmt.Errorf("history: a trace of %d states needs %d actions, got %d", len(states), max(len(states)-1, 0), len(actions))
	}
	t.Steps = slices.Grow(t.Steps[:0], len(states))[:len(states)]
	t.acts = append(t.acts[:0], actions...)
	for i := range states {
		t.Steps[i].State = states[i]
		t.Steps[i].Action = nil
		if i > 0 {
			t.Steps[i].Action = &t.acts[i-1]
		}
	}
	return nil
}

// Len is the number of states, the initial one included.
func (t Trace[S, A]) Len() int { return len(t.Steps) }

// Explainer is an optional Renderer extension: one line saying, in the
// model's terms, what an action did.
type Explainer[S any, A any] interface {
	Explain(before, after *S, a A) string
}

// Text renders the trace for a terminal: each step's action and what it
// did, then the state it led to, indented, with "* " marking the lines that
// changed.
func (t Trace[S, A]) Text(r Renderer[S, A]) string {
	var sb strings.Builder
	var prev []string
	for i, st := range t.Steps {
		if st.Action == nil {
			fmt.Fprintf(&sb, "state %d: initial\n", i)
		} else {
			fmt.Fprintf(&sb, "step %d: %s\n", i, r.ActionText(*st.Action))
			if x, ok := r.(Explainer[S, A]); ok {
				fmt.Fprintf(&sb, "  %s\n", x.Explain(&t.Steps[i-1].State, &st.State, *st.Action))
			}
		}
		lines := stateLines(r, &st.State)
		for _, line := range lines {
			mark := "  "
			if i > 0 && !contains(prev, squeeze(line)) {
				mark = "* "
			}
			sb.WriteString("  ")
			sb.WriteString(mark)
			sb.WriteString(line)
			sb.WriteByte('\n')
		}
		prev = squeezeAll(lines)
	}
	return sb.String()
}

// squeeze collapses runs of blanks, so that a line whose columns only
// moved (another broker's log grew) does not count as changed.
func squeeze(line string) string { return strings.Join(strings.Fields(line), " ") }

func squeezeAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = squeeze(l)
	}
	return out
}

func contains(lines []string, line string) bool {
	for _, l := range lines {
		if l == line {
			return true
		}
	}
	return false
}

func stateLines[S any, A any](r Renderer[S, A], s *S) []string {
	return strings.Split(strings.TrimRight(r.Describe(s), "\n"), "\n")
}

// StepView is the JSON form of a step.
type StepView struct {
	Step   int    `json:"step"`
	Action string `json:"action,omitempty"`
	// Explanation says in Kafka's words what the action did (for models
	// that explain their steps).
	Explanation string `json:"explanation,omitempty"`
	// State is the state's JSON, as the renderer's StateView gives it
	// (kept as bytes, so that a view read back prints the same).
	State json.RawMessage `json:"state"`
	Text  string          `json:"text"`
}

// View is the JSON form of the trace.
func (t Trace[S, A]) View(r Renderer[S, A]) []StepView {
	out := make([]StepView, len(t.Steps))
	for i, st := range t.Steps {
		state, err := json.Marshal(r.StateView(&st.State))
		if err != nil {
			panic(fmt.Sprintf("history: a state view does not marshal: %v", err)) // views are plain data
		}
		out[i] = StepView{Step: i, State: state, Text: r.Describe(&st.State)}
		if st.Action != nil {
			out[i].Action = r.ActionText(*st.Action)
			if x, ok := r.(Explainer[S, A]); ok {
				out[i].Explanation = x.Explain(&t.Steps[i-1].State, &st.State, *st.Action)
			}
		}
	}
	return out
}
