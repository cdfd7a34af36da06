package risk

import (
	"fmt"

	"electcheck/checker"
	"electcheck/explore"
	"electcheck/history"
	"electcheck/history/render"
	"electcheck/invariants"
	"electcheck/markov"
	"electcheck/model"
)

// LossPath is the most likely way an incident loses committed data: the
// quantitative twin of check's shortest counterexample. Its trace starts
// at the initial state, runs the most likely fault-free way to the state
// the incident began in, then the incident's most likely way to the loss.
type LossPath struct {
	// File is the trace, as replay and the Markdown renderer read it.
	File *history.File
	// Probability is the probability that an incident takes exactly
	// this path (its first fault included); Share is that as a part of
	// all the incidents that lose data.
	Probability, Share float64
	// FaultFreeSteps are the steps before the first fault, IncidentSteps
	// the steps from it to the loss.
	FaultFreeSteps, IncidentSteps int
}

// MostLikelyLoss finds the most likely loss path, or nil when no incident
// loses data.
func (a *Analysis) MostLikelyLoss() (*LossPath, error) {
	if a.PLost == 0 {
		return nil, nil
	}
	ic := a.inc.chain
	lost := ic.Names().MustMask("lost")
	ipath, p := markov.MostLikelyPath(ic, 0, func(s uint32) bool { return ic.Labels(s).Has(lost) })
	if len(ipath) < 2 {
		return nil, fmt.Errorf("risk: p(loss) is %g but no path leads to a loss", a.PLost)
	}
	// The first fault: of the starts that lead to ipath[1], the likeliest.
	best := -1
	for i := range a.starts {
		r := a.incModel.classify(a.incModel.starts[i])
		if a.fingerprint(a.incModel, r) == a.inc.fps[ipath[1]] &&
			(best < 0 || a.incModel.startWeights[i] > a.incModel.startWeights[best]) {
			best = i
		}
	}
	if best < 0 {
		return nil, fmt.Errorf("risk: no incident start leads to state %d", ipath[1])
	}
	start := a.starts[best]
	fc := a.ff.chain
	fpath, _ := markov.MostLikelyPath(fc, 0, func(s uint32) bool { return s == start.ffID })
	if fpath == nil {
		return nil, fmt.Errorf("risk: fault-free state %d is not reachable", start.ffID)
	}
	w := &walk{a: a}
	w.states = append(w.states, a.ffModel.m.Init()[0])
	for _, id := range fpath[1:] {
		if err := w.step(a.ffModel, a.ff.fps[id], false); err != nil {
			return nil, fmt.Errorf("risk: the fault-free path: %v", err)
		}
	}
	faultFree := len(w.actions)
	// The fault that began the incident, then the incident's steps.
	for k, id := range ipath[1:] {
		if err := w.step(a.incModel, a.inc.fps[id], k == 0); err != nil {
			return nil, fmt.Errorf("risk: the incident path: %v", err)
		}
	}
	m := a.incModel.m
	tr, err := history.New(w.states, w.actions)
	if err != nil {
		return nil, err
	}
	file, err := history.NewFile(checker.ModelKafka, render.KafkaConfig(m.Config()), tr, render.Kafka{M: m})
	if err != nil {
		return nil, err
	}
	file.Property = "committed-offsets-preserved"
	if err := invariants.CommittedOffsetsPreserved(m, &w.states[len(w.states)-1]); err != nil {
		file.Message = err.Error()
	}
	file.Title = "The most likely loss of committed data"
	file.Description = fmt.Sprintf("Of the incidents that lose committed data, %.3g%% take this path (an incident takes it with probability %.3g).",
		100*p/a.PLost, p)
	file.Command = checker.KafkaCommand(m.Config()) + " (risk)"
	return &LossPath{File: file, Probability: p, Share: p / a.PLost, FaultFreeSteps: faultFree, IncidentSteps: len(w.actions) - faultFree}, nil
}

// walk rebuilds a concrete path through a chain of canonical states.
type walk struct {
	a       *Analysis
	states  []model.State
	actions []model.Action
	acts    []model.Action
}

// step takes, from the last state, the likeliest action whose successor
// is the chain state with fingerprint fp; fault says the action is the
// incident's first fault (taken in the fault-free state, by the incident
// model).
func (w *walk) step(cm *chainModel, fp uint64, fault bool) error {
	cur := &w.states[len(w.states)-1]
	w.acts = cm.m.Actions(cur, w.acts[:0])
	members := cm.members(cur)
	found, bestRate := false, 0.0
	var act model.Action
	var next model.State
	for _, x := range w.acts {
		f := cm.m.FamilyOf(cur, x)
		rate := cm.rates.Of(f.Class) / members.of(f)
		if rate == 0 || fault && !f.Class.Fault() || !fault && !cm.incident && f.Class.Fault() {
			continue
		}
		t := cm.m.Next(cur, x)
		r := rstate{s: t}
		if cm.incident {
			r = cm.classify(t)
		}
		if w.a.fingerprint(cm, r) != fp || found && rate <= bestRate {
			continue
		}
		found, bestRate, act, next = true, rate, x, t
	}
	if !found {
		return fmt.Errorf("no action of state %d leads to the next state of the path", len(w.states)-1)
	}
	w.actions = append(w.actions, act)
	w.states = append(w.states, next)
	return nil
}

// fingerprint is the explorer's fingerprint of a chain state: canonical
// (with symmetry), encoded.
func (a *Analysis) fingerprint(cm *chainModel, r rstate) uint64 {
	if a.symmetry {
		cm.Canonicalize(&r)
	}
	return explore.Fingerprint(cm.Encode(nil, &r))
}
