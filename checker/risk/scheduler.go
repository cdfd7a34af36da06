package risk

import (
	"fmt"
	"math"

	"electcheck/explore"
	"electcheck/markov"
	"electcheck/model"
)

// The scheduler's interval (--scheduler min|max). The uniform scheduler
// splits a family's rate evenly among its members: the controller's
// detection of broker 1 elects broker 2 or broker 3 half the time each.
// Kafka does not promise either; the model leaves the choice open. Here
// the choice is a scheduler's: when a family's rate fires (rate λ_F, the
// same whoever is picked, so the exit rates do not depend on the
// scheduler), the chain enters a choice state (s, F) where the scheduler
// picks the member. The incident chain becomes a Markov decision process
// whose jump probabilities are λ_F / E_s, and the least and greatest
// probabilities of a loss over all schedulers bound what any way of
// resolving the model's choices gives. Choosing per family, in a state
// of its own, is as strong as choosing every family's member at once
// (memoryless deterministic schedulers suffice for reachability), without
// the product of the families' sizes.
//
// Symmetry reduction is off here: a choice state names a broker, which
// the model's canonical renaming does not know. The start distribution
// and the fault-free chain stay uniform.

// SchedulerBounds are the least and greatest per-incident loss
// probabilities over schedulers.
type SchedulerBounds struct {
	PLostMin, PLostMax float64
	// States and Choices are the decision process's size.
	States, Choices, Transitions int
	Residual                     float64
}

// Bounds computes the scheduler interval of the analysis's request (the
// incident chain built again, without symmetry, as a decision process).
func (a *Analysis) Bounds(opts Options) (*SchedulerBounds, error) {
	m, err := a.decisionProcess(opts)
	if err != nil {
		return nil, err
	}
	lost := mdpLabels.MustMask("lost")
	lo, r1 := markov.ReachMin(m, lost, nil)
	hi, r2 := markov.ReachMax(m, lost, nil)
	return &SchedulerBounds{PLostMin: lo[0], PLostMax: hi[0], States: m.N(), Choices: m.Choices(), Transitions: m.Transitions(),
		Residual: math.Max(r1.Max, r2.Max)}, nil
}

// decisionProcess builds the incident chain as a decision process.
func (a *Analysis) decisionProcess(opts Options) (*markov.MDP, error) {
	cm := *a.incModel
	cm.nondet = true
	b, err := markov.NewMDPBuilder(mdpLabels)
	if err != nil {
		return nil, err
	}
	sink := &mdpSink{b: b}
	spec := explore.Spec[rstate, raction]{Model: &cm, Labels: []func(*rstate) bool{tagLabel(lostState), tagLabel(choiceState)}, Weights: cm.weights}
	res, err := explore.Run(spec, explore.Options{Workers: opts.Workers, Graph: sink, Context: opts.Context,
		MaxStates: opts.MaxStates, MaxMemory: opts.MaxMemory, Progress: stage(opts.Progress, "scheduler")})
	if err != nil {
		return nil, err
	}
	if !res.Complete {
		return nil, &Incomplete{Reason: res.StopReason, Stats: res.Stats}
	}
	m, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("risk: %v", err)
	}
	return m, nil
}

var mdpLabels = markov.LabelNames{"lost", "choice"}

// mdpSink builds the decision process: a choice state's successors are
// the scheduler's choices; any other state has one choice, its rates.
type mdpSink struct {
	b      *markov.MDPBuilder
	choice []bool
	edges  []markov.Edge
	chs    [][]markov.Edge
}

func (k *mdpSink) Label(id uint32, labels uint64) error {
	if got := k.b.AddState(markov.Labels(labels)); got != id {
		return fmt.Errorf("risk: state %d numbered %d in the decision process", id, got)
	}
	k.choice = append(k.choice, labels&2 != 0)
	return nil
}

func (k *mdpSink) Row(from uint32, to []uint32, weights []float64) error {
	if len(to) == 0 {
		return k.b.AddChoices()
	}
	if k.choice[from] {
		k.chs = k.chs[:0]
		for _, t := range to {
			k.chs = append(k.chs, []markov.Edge{{To: t, Rate: 1}})
		}
		return k.b.AddChoices(k.chs...)
	}
	k.edges = k.edges[:0]
	for i, t := range to {
		k.edges = append(k.edges, markov.Edge{To: t, Rate: weights[i]})
	}
	return k.b.AddChoices(k.edges)
}

// familyMembers lists s's families with positive rates, in the order
// their first member appears, with their enabled and cut members.
func (c *chainModel) familyMembers(s *model.State) []familyOf {
	var out []familyOf
	var buf [64]model.Action
	_, hasLeader := s.CurrentLeader()
	add := func(a model.Action, cut bool) {
		f := c.m.FamilyOf(s, a)
		if c.rates.Of(f.Class) == 0 || f.Class == model.RateOperator && hasLeader {
			return
		}
		for i := range out {
			if out[i].fam == f {
				out[i].members = append(out[i].members, raction{kind: memberAction, a: a, cut: cut, fam: f})
				return
			}
		}
		out = append(out, familyOf{fam: f, members: []raction{{kind: memberAction, a: a, cut: cut, fam: f}}})
	}
	for _, a := range c.m.Actions(s, buf[:0]) {
		add(a, false)
	}
	for _, a := range c.m.CutKinds(s, buf[:0], c.cutKinds) {
		add(a, true)
	}
	return out
}

type familyOf struct {
	fam     model.Family
	members []raction
}

// familyActions are a model state's actions in a nondet chain: a family
// of one member fires it directly (a cut one truncates); a larger family
// enters its choice state.
func (c *chainModel) familyActions(r *rstate, dst []raction) []raction {
	for _, f := range c.familyMembers(&r.s) {
		switch m := f.members[0]; {
		case len(f.members) > 1:
			dst = append(dst, raction{kind: chooseAction, fam: f.fam})
		case m.cut:
			dst = append(dst, raction{kind: truncateAction, fam: f.fam})
		default:
			dst = append(dst, raction{a: m.a, fam: f.fam})
		}
	}
	return dst
}

// memberActions are a choice state's: its family's members.
func (c *chainModel) memberActions(r *rstate, dst []raction) []raction {
	for _, f := range c.familyMembers(&r.s) {
		if f.fam == r.fam {
			return append(dst, f.members...)
		}
	}
	return dst
}

// nondetWeights: a family's whole rate on its one edge from a model
// state; 1 for each of a choice state's choices (the sink makes them
// choices, not rates).
func (c *chainModel) nondetWeights(r *rstate, acts []raction, dst []float64) []float64 {
	for _, a := range acts {
		if r.tag == choiceState {
			dst = append(dst, 1)
			continue
		}
		dst = append(dst, c.rates.Of(a.fam.Class))
	}
	return dst
}

// SchedulerJSON is the scheduler interval in risk's report.
type SchedulerJSON struct {
	Chosen          string  `json:"chosen"`
	IncidentPLossLo float64 `json:"incident_p_loss_min"`
	IncidentPLossHi float64 `json:"incident_p_loss_max"`
	States          int     `json:"states"`
	Choices         int     `json:"choices"`
	Transitions     int     `json:"transitions"`
}

// SetScheduler puts the scheduler interval in the report; chosen ("min"
// or "max") makes that scheduler's figures the headline ones: P(loss),
// its bound and the MTTDL (the incident's length and offline time stay
// the uniform scheduler's).
func (r *Report) SetScheduler(a *Analysis, chosen string, b *SchedulerBounds) {
	n, horizon := a.renewal(), a.Request.Horizon
	lo, hi := n.pLoss(b.PLostMin, horizon), n.pLoss(b.PLostMax, horizon)
	r.PLossMin, r.PLossMax = &lo, &hi
	r.Rates.Scheduler = chosen
	r.Scheduler = &SchedulerJSON{Chosen: chosen, IncidentPLossLo: b.PLostMin, IncidentPLossHi: b.PLostMax, States: b.States,
		Choices: b.Choices, Transitions: b.Transitions}
	p := b.PLostMin
	if chosen == "max" {
		p = b.PLostMax
	}
	r.Incident.PLoss = p
	r.PLoss = n.pLoss(p, horizon)
	r.PLossUpper = n.pLoss(p+a.PTruncated, horizon)
	r.MTTDLYears = nil
	if p > 0 {
		y := n.mttdlYears(p)
		r.MTTDLYears = &y
	}
	r.schedulerLine = fmt.Sprintf("%s (the loss probabilities are the %s over how the model's open choices are resolved; the other figures the uniform scheduler's)",
		chosen, map[string]string{"min": "least", "max": "greatest"}[chosen])
}
