// Package history holds behaviours as data: traces (paths of actions and
// the states they lead to) and their text and JSON forms.
package history

import (
	"fmt"
	"strings"

	"electcheck/model"
)

// Step is one state of a trace and the action that led to it (nil for the
// initial state).
type Step struct {
	Action *model.Action
	State  model.State
}

// Trace is a path through the model: Steps[0] is initial and each later
// step's state is the previous one's successor under its action.
type Trace struct {
	Steps []Step
}

// New builds a trace from the states of a path and the actions between
// them.
func New(states []model.State, actions []model.Action) (Trace, error) {
	if len(states) == 0 || len(actions) != len(states)-1 {
		return Trace{}, fmt.Errorf("history: a trace of %d states needs %d actions, got %d", len(states), max(len(states)-1, 0), len(actions))
	}
	t := Trace{Steps: make([]Step, len(states))}
	for i := range states {
		t.Steps[i].State = states[i]
		if i > 0 {
			a := actions[i-1]
			t.Steps[i].Action = &a
		}
	}
	return t, nil
}

// Len is the number of states, the initial one included.
func (t Trace) Len() int { return len(t.Steps) }

// Text renders the trace for a terminal: each step's action, then the state
// it led to, indented.
func (t Trace) Text(m *model.Model) string {
	var sb strings.Builder
	for i, st := range t.Steps {
		if st.Action == nil {
			fmt.Fprintf(&sb, "state %d: initial\n", i)
		} else {
			fmt.Fprintf(&sb, "step %d: %s\n", i, st.Action)
		}
		for _, line := range strings.Split(strings.TrimRight(m.Describe(&st.State), "\n"), "\n") {
			sb.WriteString("  ")
			sb.WriteString(line)
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// StepView is the JSON form of a step.
type StepView struct {
	Step   int       `json:"step"`
	Action string    `json:"action,omitempty"`
	State  StateView `json:"state"`
	Text   string    `json:"text"`
}

// View is the JSON form of the trace.
func (t Trace) View(m *model.Model) []StepView {
	out := make([]StepView, len(t.Steps))
	for i, st := range t.Steps {
		out[i] = StepView{Step: i, State: ViewState(m, &st.State), Text: m.Describe(&st.State)}
		if st.Action != nil {
			out[i].Action = st.Action.String()
		}
	}
	return out
}
