package explore

import "fmt"

// Edge is a transition of a state graph between state indices.
type Edge[A any] struct {
	From, To int
	Action   A
}

// StateGraph explores every reachable state of a small model breadth
// first and returns them all, in BFS order, with every transition (one per
// enabled action, self-loops included). It fails once more than max states
// are found. With canon, states are orbit representatives; with a View,
// each is the first state found with its view.
func StateGraph[S any, A any](m Model[S, A], canon func(*S), max int) ([]S, []Edge[A], error) {
	index := map[string]int{}
	var states []S
	var edges []Edge[A]
	var enc []byte
	ident := Identity(m)
	add := func(s S) (int, error) {
		if canon != nil {
			canon(&s)
		}
		enc = ident(enc[:0], &s)
		if i, ok := index[string(enc)]; ok {
			return i, nil
		}
		if len(states) >= max {
			return 0, fmt.Errorf("the state graph has more than %d states", max)
		}
		index[string(enc)] = len(states)
		states = append(states, s)
		return len(states) - 1, nil
	}
	for _, s := range m.Init() {
		if _, err := add(s); err != nil {
			return nil, nil, err
		}
	}
	var acts []A
	for i := 0; i < len(states); i++ {
		s := states[i]
		acts = m.Actions(&s, acts[:0])
		for _, a := range acts {
			j, err := add(m.Next(&s, a))
			if err != nil {
				return nil, nil, err
			}
			edges = append(edges, Edge[A]{From: i, To: j, Action: a})
		}
	}
	return states, edges, nil
}
