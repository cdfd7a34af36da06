package risk

import (
	"fmt"

	"electcheck/invariants"
	"electcheck/model"
)

// The chains risk builds are searches of the Kafka model wrapped in a few
// states and actions of their own (explore.Model over rstate): in the
// fault-free chain, a reset from a quiescent state to the initial one
// (the next batch of records); in the incident chain, a start state whose
// actions are the incidents' first faults, and three absorbing states
// that end an incident: lost (a committed record is gone), healed (every
// broker back, in the ISR, with every committed record) and truncated
// (a fault budget or the epoch bound cut an action off).

// tag says which kind of state an rstate is.
type tag uint8

const (
	modelState tag = iota
	startState
	lostState
	healedState
	truncatedState
	// choiceState: a model state after a family's rate fired, before the
	// scheduler picks the member (--scheduler min|max; nondet chains).
	choiceState
)

// rstate is a state of a risk chain: a model state, or one of its own.
type rstate struct {
	s   model.State
	tag tag
	fam model.Family // a choiceState's family
}

// akind says which kind of action a raction is.
type akind uint8

const (
	modelAction    akind = iota
	resetAction          // fault-free: the next batch, from a quiescent state
	truncateAction       // incident: what the bounds cut off
	startAction          // incident: the start state's i-th incident start
	chooseAction         // nondet: a family with several members fires (fam)
	memberAction         // nondet: the scheduler picks member a (or a cut one: cut)
)

type raction struct {
	a    model.Action
	kind akind
	i    int32
	fam  model.Family // chooseAction, and a nondet chain's single-member truncateAction
	cut  bool         // memberAction: a member the bounds cut off
	// w is the rate of a uniform chain's model, reset and truncate
	// actions, worked out with the state's actions (weights reads it), so
	// that the model's actions and cut actions are enumerated once a state.
	w float64
}

// chainModel is a risk chain as explore.Model.
type chainModel struct {
	m     *model.Model
	rates *Rates
	// incident is the incident chain (else the fault-free one); starts
	// and startWeights are its start state's successors and their rates.
	incident     bool
	cutKinds     model.KindSet // the kinds whose cut actions have a rate (Rates.cutKinds)
	starts       []model.State
	startWeights []float64
	// nondet leaves the choice of a family's member to a scheduler
	// (scheduler.go): an incident chain whose choice states are an MDP's.
	nondet bool
}

func (c *chainModel) Init() []rstate {
	if c.incident {
		return []rstate{{tag: startState}}
	}
	return []rstate{{s: c.m.Init()[0]}}
}

func (c *chainModel) Actions(r *rstate, dst []raction) []raction {
	switch r.tag {
	case startState:
		for i := range c.starts {
			dst = append(dst, raction{kind: startAction, i: int32(i)})
		}
		return dst
	case choiceState:
		return c.memberActions(r, dst)
	case modelState:
		if c.nondet {
			return c.familyActions(r, dst)
		}
	default:
		return dst // absorbing
	}
	var acts, cut [64]model.Action
	enabled := c.m.Actions(&r.s, acts[:0])
	var cutOff []model.Action
	if c.incident {
		cutOff = c.m.CutKinds(&r.s, cut[:0], c.cutKinds)
	}
	var buf [64]actionRate
	rated, cutRate := c.rates.split(c.m, &r.s, enabled, cutOff, buf[:0])
	for i, a := range enabled {
		if !c.incident && rated[i].fault {
			continue // the fault-free chain: a fault starts an incident
		}
		if rated[i].rate > 0 {
			dst = append(dst, raction{a: a, w: rated[i].rate})
		}
	}
	if !c.incident && c.m.Quiescent(&r.s) {
		return append(dst, raction{kind: resetAction, w: c.rates.Produce})
	}
	if cutRate > 0 {
		dst = append(dst, raction{kind: truncateAction, w: cutRate})
	}
	return dst
}

func (c *chainModel) Next(r *rstate, a raction) rstate {
	switch a.kind {
	case resetAction:
		return c.Init()[0]
	case truncateAction:
		return rstate{tag: truncatedState}
	case startAction:
		return c.classify(c.starts[a.i])
	case chooseAction:
		return rstate{s: r.s, tag: choiceState, fam: a.fam}
	case memberAction:
		if a.cut {
			return rstate{tag: truncatedState}
		}
	}
	return c.classify(c.m.Next(&r.s, a.a))
}

// classify ends an incident where it ends: a loss, or healed.
func (c *chainModel) classify(s model.State) rstate {
	if !c.incident {
		return rstate{s: s}
	}
	if invariants.CommittedOffsetsPreserved(c.m, &s) != nil {
		return rstate{tag: lostState}
	}
	if c.m.Healed(&s) {
		return rstate{tag: healedState}
	}
	return rstate{s: s}
}

func (c *chainModel) Encode(dst []byte, r *rstate) []byte {
	dst = append(dst, byte(r.tag))
	if r.tag == choiceState {
		dst = append(dst, byte(r.fam.Class), byte(r.fam.Broker))
	}
	if r.tag == modelState || r.tag == choiceState {
		dst = c.m.Encode(dst, &r.s)
	}
	return dst
}

func (c *chainModel) Decode(b []byte) (rstate, error) {
	var r rstate
	return r, c.DecodeInto(&r, b)
}

func (c *chainModel) DecodeInto(r *rstate, b []byte) error {
	if len(b) == 0 || tag(b[0]) > choiceState || tag(b[0]) == choiceState && len(b) < 3 {
		return fmt.Errorf("risk: a chain state does not decode")
	}
	r.tag, r.fam = tag(b[0]), model.Family{}
	b = b[1:]
	switch r.tag {
	case modelState:
	case choiceState:
		r.fam = model.Family{Class: model.RateClass(b[0]), Broker: model.BrokerID(b[1])}
		b = b[2:]
	default:
		r.s = model.State{}
		return nil
	}
	return c.m.DecodeInto(&r.s, b)
}

func (c *chainModel) Canonicalize(r *rstate) {
	if r.tag == modelState {
		c.m.Canonicalize(&r.s)
	}
}

// weights are the rates of a state's actions: a family's rate split
// evenly among its members, those the bounds cut off included (their
// share goes to the truncate action).
func (c *chainModel) weights(r *rstate, acts []raction, dst []float64) []float64 {
	if r.tag == startState {
		return append(dst, c.startWeights...)
	}
	if c.nondet {
		return c.nondetWeights(r, acts, dst)
	}
	for _, a := range acts {
		dst = append(dst, a.w)
	}
	return dst
}

// actionRate is an enabled action's rate, and whether it is a fault.
type actionRate struct {
	rate  float64
	fault bool
}

// split gives each enabled action of s its rate, and the cut actions
// their total: each family's rate split evenly among its members, the cut
// ones included (their share is the truncate action's). An action has
// rate 0 when its class has none, and the operator's while the partition
// has a leader (it steps in only while it is offline). The one statement
// of the rates, for the chains (chainModel) and the walks (walker).
func (rt *Rates) split(m *model.Model, s *model.State, enabled, cut []model.Action, dst []actionRate) ([]actionRate, float64) {
	var famBuf [64]model.Family
	fams := famBuf[:0]
	var members familyCount
	for _, a := range enabled {
		fams = append(fams, m.FamilyOf(s, a))
		members.add(fams[len(fams)-1])
	}
	for _, a := range cut {
		fams = append(fams, m.FamilyOf(s, a))
		members.add(fams[len(fams)-1])
	}
	_, hasLeader := s.CurrentLeader()
	for _, f := range fams[:len(enabled)] {
		r := actionRate{fault: f.Class.Fault()}
		if rate := rt.Of(f.Class); rate > 0 && !(f.Class == model.RateOperator && hasLeader) {
			r.rate = rate / members.of(f)
		}
		dst = append(dst, r)
	}
	cutRate := 0.0
	for _, f := range fams[len(enabled):] {
		cutRate += rt.Of(f.Class) / members.of(f)
	}
	return dst, cutRate
}

// familyCount counts actions by family.
type familyCount [model.NumRateClasses][model.MaxReplicas + 1]uint16

func (n *familyCount) add(f model.Family)        { n[f.Class][f.Broker]++ }
func (n *familyCount) of(f model.Family) float64 { return float64(n[f.Class][f.Broker]) }

// members counts each family's actions in s: enabled, and in the
// incident chain cut off by a bound.
func (c *chainModel) members(s *model.State) *familyCount {
	var n familyCount
	var buf [64]model.Action
	for _, a := range c.m.Actions(s, buf[:0]) {
		n.add(c.m.FamilyOf(s, a))
	}
	if c.incident {
		for _, a := range c.m.CutKinds(s, buf[:0], c.cutKinds) {
			n.add(c.m.FamilyOf(s, a))
		}
	}
	return &n
}
