package render

import (
	"encoding/json"
	"strings"
	"testing"

	"electcheck/history"
	"electcheck/model"
)

// walk applies actions, given as text, from m's initial state.
func walk(t testing.TB, m *model.Model, texts ...string) ([]model.State, []model.Action) {
	t.Helper()
	states := []model.State{m.Init()[0]}
	var actions []model.Action
	for _, text := range texts {
		a, err := model.ParseAction(text)
		if err != nil {
			t.Fatal(err)
		}
		next, err := m.Step(&states[len(states)-1], a)
		if err != nil {
			t.Fatal(err)
		}
		states, actions = append(states, next), append(actions, a)
	}
	return states, actions
}

func TestTraceForms(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Acks = model.AcksLeader
	m, err := model.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	states, actions := walk(t, m, "produce 1", "crash 1", "detect 1 elect 2")
	tr, err := history.New(states, actions)
	if err != nil || tr.Len() != 4 {
		t.Fatalf("New: %v, %d states", err, tr.Len())
	}
	text := tr.Text(Kafka{m})
	for _, want := range []string{"state 0: initial", "step 1: produce 1", "step 3: detect 1 elect 2", "* controller: leader 2, epoch 1",
		"the controller fences broker 1, which it can no longer reach, and takes it out of the ISR (ISR {1,2,3} → {2,3}); it led, so the controller elects broker 2 in epoch 1 (clean: it is in the ISR {1,2,3})"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// Step 1 grows broker 1's log, which widens the log column of every
	// broker line; only broker 1's line changed.
	step1 := text[strings.Index(text, "step 1:"):strings.Index(text, "step 2:")]
	if !strings.Contains(step1, "* broker 1") || strings.Contains(step1, "* broker 2") {
		t.Errorf("step 1 marks the wrong lines:\n%s", step1)
	}
	view := tr.View(Kafka{m})
	if view[0].Action != "" || view[3].Action != "detect 1 elect 2" || view[3].Text != m.Describe(&states[3]) {
		t.Errorf("view steps: %+v", view)
	}
	var last StateView
	if err := json.Unmarshal(view[3].State, &last); err != nil {
		t.Fatal(err)
	}
	if last.Controller.Leader != 2 || last.Controller.Epoch != 1 || len(last.Brokers) != 3 {
		t.Errorf("controller/brokers: %+v", last)
	}
	if b := last.Brokers[0]; b.Status != "crashed" || b.LEO != 1 || b.Log[0].Record != "a" {
		t.Errorf("broker 1: %+v", b)
	}
	if r := last.Records[0]; r.Fate != "acked" || r.Offset == nil || *r.Offset != 0 || r.Leader != 1 {
		t.Errorf("record a: %+v", r)
	}
	if _, err := json.Marshal(view); err != nil {
		t.Error(err)
	}
	if _, err := history.New(states, actions[:1]); err == nil {
		t.Error("New accepted a trace with too few actions")
	}
	if _, err := history.New[model.State, model.Action](nil, nil); err == nil {
		t.Error("New accepted an empty trace")
	}
}
