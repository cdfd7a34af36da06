package model

import "fmt"

// Model is one partition under one configuration, as a transition system:
// Init gives the initial state, Actions the actions enabled in a state, Next
// the state an action leads to. It is pure: no clocks, no randomness, no I/O,
// and Next never changes its input.
type Model struct {
	cfg     Config
	rf      BrokerID
	feat    FeatureSet
	movable []BrokerID // the brokers a renaming may permute (see symmetry.go)
	minISRv int        // cfg.EffectiveMinISR(), which every HW advance asks
	// unbounded is this model without fault budgets or epoch bound (for
	// Cut).
	unbounded *Model
}

// New checks the configuration and builds the model.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, rf: BrokerID(cfg.ReplicationFactor), feat: cfg.Features(), minISRv: cfg.EffectiveMinISR()}
	m.movable = m.symmetryGroup()
	m.unbounded = m.withoutBounds()
	return m, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// Features are the protocol rules in force.
func (m *Model) Features() FeatureSet { return m.feat }

// has reports whether a feature is in force.
func (m *Model) has(f Feature) bool { return m.feat.Has(f) }

// RF is the replication factor.
func (m *Model) RF() int { return int(m.rf) }

// Init is the one initial state: a healthy partition with empty logs, the
// initial leader leading epoch 0, every replica in the ISR and every broker
// aware of it.
func (m *Model) Init() []State {
	var s State
	all := AllBrokers(m.cfg.ReplicationFactor)
	lead := m.cfg.InitialLeader
	s.Ctrl = Controller{Leader: lead, Epoch: 0, ISR: all, Live: all}
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		b.Leader = lead
		if id == lead {
			b.ISR = all
		}
	}
	return []State{s}
}

// Actions appends to dst the actions enabled in s, in a fixed order (by
// broker, then kind, then target; the actions of the whole partition
// last) that depends only on s: the candidates
// that check, the one statement of every enabling condition, confirms.
// TestActionsMatchCheck compares it with checking every action the model
// can name.
func (m *Model) Actions(s *State, dst []Action) []Action {
	start := len(dst)
	dst = m.Candidates(s, dst)
	n := start
	for _, a := range dst[start:] {
		if m.check(s, a) == "" {
			dst[n] = a
			n++
		}
	}
	return dst[:n]
}

// Enabled reports whether a is enabled in s.
func (m *Model) Enabled(s *State, a Action) bool { return m.check(s, a) == "" }

// Candidates appends to dst the actions that may be enabled in s, in
// Actions' order: those of the kinds a broker's status allows, with every
// target and part; Enabled confirms each. A random walk picks among them
// without checking them all.
func (m *Model) Candidates(s *State, dst []Action) []Action {
	// add appends an action of kind k by broker id with target t, and
	// returns it for its rarer parts. It fills the new element in place:
	// an Action built apart and copied in is 13 bytes written a byte at a
	// time and read back a word at a time, a stalled copy per candidate.
	add := func(k Kind, id, t BrokerID) *Action {
		dst = append(dst, Action{})
		a := &dst[len(dst)-1]
		a.Kind, a.Broker, a.Target = k, id, t
		return a
	}
	bd := &m.cfg.Bounds
	crashKinds := func(id BrokerID) {
		if int(s.Used.Crashes) < bd.Crashes {
			add(Crash, id, None)
		}
		if int(s.Used.PowerLosses) < bd.PowerLosses {
			b := s.Broker(id)
			for k := b.Flushed; k <= b.LEO; k++ {
				add(PowerLoss, id, None).Keep = k
			}
		}
		if int(s.Used.DiskLosses) < bd.DiskLosses {
			add(DiskLoss, id, None)
		}
	}
	// elections adds kind k for broker id with every target the controller
	// might elect, or none.
	elections := func(k Kind, id BrokerID) {
		add(k, id, None)
		for t := BrokerID(1); t <= m.rf; t++ {
			add(k, id, t)
		}
	}
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		switch {
		case b.Status == Up:
			leads := b.Leader == id
			if leads {
				add(Produce, id, None)
			} else if b.Leader != None {
				add(Fetch, id, None)
				add(Fetch, id, None).Lost = true
			}
			if leads && m.checkISRChange(s, id) == "" {
				for f := BrokerID(1); f <= m.rf; f++ {
					if f != id {
						add(ShrinkISR, id, f)
					}
				}
				for f := BrokerID(1); f <= m.rf; f++ {
					if f != id {
						add(ExpandISR, id, f)
					}
				}
			}
			if leads && b.Proposed != 0 {
				add(AlterPartition, id, None)
			}
			add(Metadata, id, None)
			for e := b.Epoch; e < s.Ctrl.Epoch; e++ {
				a := add(Metadata, id, None)
				a.Old, a.Epoch = true, e
			}
			if leads {
				add(Consume, id, None)
			}
			crashKinds(id)
			if int(s.Used.Pauses) < bd.Pauses {
				add(Pause, id, None)
			}
			if int(s.Used.CleanShutdowns) < bd.CleanShutdowns {
				elections(CleanShutdown, id)
			}
			if !s.Ctrl.Live.Has(id) {
				elections(Register, id)
			}
		case b.Status == Paused:
			crashKinds(id)
			if s.Ctrl.Live.Has(id) {
				elections(Detect, id)
			}
			add(Resume, id, None)
		default: // down
			if s.Ctrl.Live.Has(id) {
				elections(Detect, id)
			} else {
				elections(Restart, id)
			}
		}
		if s.Ctrl.Leader == None {
			add(Elect, id, None)
		}
	}
	if m.cfg.AutoLeaderRebalance {
		add(PreferredElection, m.cfg.InitialLeader, None)
	}
	if m.cfg.OperatorMayEnableUnclean {
		add(EnableUnclean, None, None)
	}
	if int(s.Used.CorrelatedPowerLosses) < bd.CorrelatedPowerLosses {
		dst = m.correlatedPowerLosses(s, dst)
	}
	return dst
}

// allActions appends every action the model could name for s, enabled or
// not, in the order Actions lists enabled ones.
func (m *Model) allActions(dst []Action) []Action {
	for id := BrokerID(1); id <= m.rf; id++ {
		for k := Produce; k < numKinds; k++ {
			switch k {
			case PreferredElection, EnableUnclean, CorrelatedPowerLoss:
				continue
			case ShrinkISR, ExpandISR, Detect, CleanShutdown, Restart, Register:
				first := BrokerID(1)
				if k != ShrinkISR && k != ExpandISR {
					first = None
				}
				for t := first; t <= m.rf; t++ {
					dst = append(dst, Action{Kind: k, Broker: id, Target: t})
				}
			case PowerLoss:
				for keep := Offset(0); keep <= Offset(m.cfg.Bounds.Records); keep++ {
					dst = append(dst, Action{Kind: k, Broker: id, Keep: keep})
				}
			case Fetch:
				dst = append(dst, Action{Kind: k, Broker: id}, Action{Kind: k, Broker: id, Lost: true})
			case Metadata:
				dst = append(dst, Action{Kind: k, Broker: id})
				for e := range Epoch(m.cfg.Bounds.MaxLeaderEpoch + 1) {
					dst = append(dst, Action{Kind: k, Broker: id, Old: true, Epoch: e})
				}
			default:
				dst = append(dst, Action{Kind: k, Broker: id})
			}
		}
	}
	dst = append(dst, Action{Kind: PreferredElection, Broker: m.cfg.InitialLeader}, Action{Kind: EnableUnclean})
	if m.cfg.Bounds.CorrelatedPowerLosses == 0 {
		// check refuses every one at its budget; there are (records+2)^RF
		// of them to name, for nothing.
		return dst
	}
	return m.everyCorrelatedPowerLoss(dst)
}

// Step applies a after checking that it is enabled in s; the error says why
// it is not. Scenario scripts and trace replay use it.
func (m *Model) Step(s *State, a Action) (State, error) {
	if (a.Broker == None) != a.Kind.partitionWide() || a.Broker > m.rf || a.Target > m.rf || a.Hit&^AllBrokers(int(m.rf)) != 0 {
		return *s, fmt.Errorf("%s: the partition has brokers 1 to %d", a, m.rf)
	}
	if why := m.check(s, a); why != "" {
		return *s, fmt.Errorf("%s is not enabled: %s", a, why)
	}
	return m.Next(s, a), nil
}

// Next returns the state that action a, enabled in s, leads to.
func (m *Model) Next(s *State, a Action) State {
	t := *s
	m.apply(&t, a)
	return t
}

// NextInto is Next writing the successor into *dst (dst and s must not
// overlap).
func (m *Model) NextInto(dst, s *State, a Action) {
	*dst = *s
	m.apply(dst, a)
}

// apply changes t, a copy of the state a is enabled in, into a's successor.
func (m *Model) apply(t *State, a Action) {
	switch a.Kind {
	case Produce:
		m.produce(t, a.Broker)
	case Fetch:
		m.fetch(t, a.Broker, a.Lost)
	case ShrinkISR:
		m.proposeISR(t, a.Broker, t.Broker(a.Broker).ISR.Without(a.Target))
	case ExpandISR:
		m.proposeISR(t, a.Broker, t.Broker(a.Broker).ISR.With(a.Target))
	case AlterPartition:
		m.alterPartition(t, a.Broker)
	case Metadata:
		e := t.Ctrl.Epoch
		if a.Old {
			e = a.Epoch
		}
		m.applyMetadata(t, a.Broker, e)
	case Consume:
		m.consume(t, a.Broker)
	case Crash:
		t.Used.Crashes++
		m.stop(t, a.Broker, Crashed)
	case PowerLoss:
		t.Used.PowerLosses++
		t.Broker(a.Broker).truncate(a.Keep)
		m.stop(t, a.Broker, PowerLost)
	case DiskLoss:
		t.Used.DiskLosses++
		m.stop(t, a.Broker, DiskLost)
	case Pause:
		t.Used.Pauses++
		t.Broker(a.Broker).Status = Paused
	case CleanShutdown:
		t.Used.CleanShutdowns++
		m.controllerStep(t, a)
	case Detect, Restart, Register, PreferredElection, Elect:
		m.controllerStep(t, a)
	case Resume:
		t.Broker(a.Broker).Status = Up
	case EnableUnclean:
		t.Ctrl.UncleanEnabled = true
	case CorrelatedPowerLoss:
		m.correlatedPowerLoss(t, a)
	}
	m.normalize(t)
}

// KindConfigured reports whether the configuration allows actions of kind k
// at all. The coverage report warns about a configured kind that never
// fired: a sign the bounds cut it off or the model has a bug.
func (m *Model) KindConfigured(k Kind) bool {
	c := &m.cfg
	b := &c.Bounds
	faults := b.Crashes+b.PowerLosses+b.DiskLosses+b.CleanShutdowns+b.Pauses+b.CorrelatedPowerLosses > 0
	switch k {
	case Produce:
		return b.Records > 0
	case Fetch, ShrinkISR, ExpandISR:
		return c.ReplicationFactor > 1
	case AlterPartition:
		return c.ReplicationFactor > 1 && m.has(AsyncISR)
	case Metadata:
		return c.ReplicationFactor > 1 && (faults || c.AutoLeaderRebalance)
	case Consume:
		return c.Consumer && b.Records > 0
	case Crash:
		return b.Crashes > 0
	case PowerLoss:
		return b.PowerLosses > 0
	case DiskLoss:
		return b.DiskLosses > 0
	case CorrelatedPowerLoss:
		return b.CorrelatedPowerLosses > 0
	case Pause, Resume:
		return b.Pauses > 0
	case Register:
		return b.Pauses > 0 && c.ReplicationFactor > 1
	case CleanShutdown:
		return b.CleanShutdowns > 0
	case Detect:
		return faults
	case Restart:
		return b.Crashes+b.PowerLosses+b.DiskLosses+b.CleanShutdowns+b.CorrelatedPowerLosses > 0
	case PreferredElection:
		return c.AutoLeaderRebalance && c.ReplicationFactor > 1 && faults
	case Elect, EnableUnclean:
		return c.OperatorMayEnableUnclean && !c.UncleanLeaderElection
	}
	return false
}
