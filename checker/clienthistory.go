package checker

import (
	"fmt"

	"electcheck/history"
	"electcheck/history/render"
	"electcheck/model"
)

// ClientHistoryOf is the client history of a Kafka-model trace file: what
// its producers and consumer invoked and saw, and a final consumer's poll
// of what is left (render.Kafka.ClientHistory). The TLA+ port has no
// clients.
func ClientHistoryOf(f *history.File) (*history.ClientHistory, error) {
	if f.Model != ModelKafka {
		return nil, badf("only the %s model has clients; this trace is of %s", ModelKafka, f.Model)
	}
	req, err := kafkaFromFile(f.Config)
	if err != nil {
		return nil, err
	}
	m, err := model.New(req.Kafka)
	if err != nil {
		return nil, err
	}
	states := []model.State{m.Init()[0]}
	var actions []model.Action
	for i, st := range f.Steps[1:] {
		a, err := model.ParseAction(st.Action)
		if err != nil {
			return nil, fmt.Errorf("step %d: %v", i+1, err)
		}
		next, err := m.Step(&states[len(states)-1], a)
		if err != nil {
			return nil, fmt.Errorf("step %d (%s) no longer replays: %v", i+1, st.Action, err)
		}
		states, actions = append(states, next), append(actions, a)
	}
	tr, err := history.New(states, actions)
	if err != nil {
		return nil, err
	}
	h := render.Kafka{M: m}.ClientHistory(tr)
	h.Source = f.Title
	if h.Source == "" {
		h.Source = "a trace of the Kafka model"
	}
	return h, nil
}
