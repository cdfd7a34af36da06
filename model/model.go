package model

import "fmt"

// Model is one partition under one configuration, as a transition system:
// Init gives the initial state, Actions the actions enabled in a state, Next
// the state an action leads to. It is pure: no clocks, no randomness, no I/O,
// and Next never changes its input.
type Model struct {
	cfg     Config
	rf      BrokerID
	feat    Features
	movable []BrokerID // the brokers a renaming may permute (see symmetry.go)
}

// New checks the configuration and builds the model.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, rf: BrokerID(cfg.ReplicationFactor), feat: cfg.Features()}
	m.movable = m.symmetryGroup()
	return m, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

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
// broker, then kind, then target) that depends only on s. It looks only at
// the kinds a broker's status allows and confirms each with check, the one
// statement of every enabling condition; TestActionsMatchCheck compares it
// with checking every candidate action.
func (m *Model) Actions(s *State, dst []Action) []Action {
	add := func(a Action) {
		if m.check(s, a) == "" {
			dst = append(dst, a)
		}
	}
	bd := &m.cfg.Bounds
	crashKinds := func(id BrokerID) {
		if int(s.Used.Crashes) < bd.Crashes {
			add(Action{Kind: Crash, Broker: id})
		}
		if int(s.Used.PowerLosses) < bd.PowerLosses {
			b := s.Broker(id)
			for k := b.Flushed; k <= b.LEO; k++ {
				add(Action{Kind: PowerLoss, Broker: id, Keep: k})
			}
		}
		if int(s.Used.DiskLosses) < bd.DiskLosses {
			add(Action{Kind: DiskLoss, Broker: id})
		}
	}
	targets := func(k Kind, id BrokerID) {
		if s.Ctrl.Leader != id {
			add(Action{Kind: k, Broker: id})
			return
		}
		for t := None; t <= m.rf; t++ {
			add(Action{Kind: k, Broker: id, Target: t})
		}
	}
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		switch {
		case b.Status == Up:
			leads := b.Leader == id
			if leads {
				add(Action{Kind: Produce, Broker: id})
			} else if b.Leader != None {
				add(Action{Kind: Fetch, Broker: id})
			}
			if leads && m.checkISRChange(s, id) == "" {
				for f := BrokerID(1); f <= m.rf; f++ {
					if f != id {
						add(Action{Kind: ShrinkISR, Broker: id, Target: f})
					}
				}
				for f := BrokerID(1); f <= m.rf; f++ {
					if f != id {
						add(Action{Kind: ExpandISR, Broker: id, Target: f})
					}
				}
			}
			add(Action{Kind: Metadata, Broker: id})
			if leads {
				add(Action{Kind: Consume, Broker: id})
			}
			crashKinds(id)
			if int(s.Used.Pauses) < bd.Pauses {
				add(Action{Kind: Pause, Broker: id})
			}
			if int(s.Used.CleanShutdowns) < bd.CleanShutdowns {
				targets(CleanShutdown, id)
			}
		case b.Status == Paused:
			crashKinds(id)
			if s.Ctrl.Live.Has(id) {
				targets(Detect, id)
			}
			add(Action{Kind: Resume, Broker: id})
		default: // down
			if s.Ctrl.Live.Has(id) {
				targets(Detect, id)
			} else {
				add(Action{Kind: Restart, Broker: id})
			}
		}
		if s.Ctrl.Leader == None {
			add(Action{Kind: Elect, Broker: id})
		}
	}
	if m.cfg.AutoLeaderRebalance {
		add(Action{Kind: PreferredElection, Broker: m.cfg.InitialLeader})
	}
	if m.cfg.OperatorMayEnableUnclean {
		add(Action{Kind: EnableUnclean})
	}
	return dst
}

// allActions appends every action the model could name for s, enabled or
// not, in the order Actions lists enabled ones.
func (m *Model) allActions(dst []Action) []Action {
	for id := BrokerID(1); id <= m.rf; id++ {
		for k := Produce; k < numKinds; k++ {
			switch k {
			case PreferredElection:
				continue
			case ShrinkISR, ExpandISR, Detect, CleanShutdown:
				first := BrokerID(1)
				if k == Detect || k == CleanShutdown {
					first = None
				}
				for t := first; t <= m.rf; t++ {
					dst = append(dst, Action{Kind: k, Broker: id, Target: t})
				}
			case PowerLoss:
				for keep := Offset(0); keep <= Offset(m.cfg.Bounds.Records); keep++ {
					dst = append(dst, Action{Kind: k, Broker: id, Keep: keep})
				}
			default:
				dst = append(dst, Action{Kind: k, Broker: id})
			}
		}
	}
	return append(dst, Action{Kind: PreferredElection, Broker: m.cfg.InitialLeader}, Action{Kind: EnableUnclean})
}

// Step applies a after checking that it is enabled in s; the error says why
// it is not. Scenario scripts and trace replay use it.
func (m *Model) Step(s *State, a Action) (State, error) {
	if (a.Broker == None) != (a.Kind == EnableUnclean) || a.Broker > m.rf || a.Target > m.rf {
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
		m.fetch(t, a.Broker)
	case ShrinkISR:
		m.setISR(t, a.Broker, t.Ctrl.ISR.Without(a.Target))
	case ExpandISR:
		m.setISR(t, a.Broker, t.Ctrl.ISR.With(a.Target))
	case Metadata:
		m.applyMetadata(t, a.Broker)
	case Consume:
		// A fetch returns everything up to the HW. Reading everything
		// available at once also loses nothing for checking: reading more
		// only adds records that must stay stable.
		g := &t.Ghost
		b := t.Broker(a.Broker)
		for ; Offset(g.Consumed) < b.HW; g.Consumed++ {
			g.Read[g.Consumed] = b.Log[g.Consumed].Rec
		}
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
		m.cleanShutdown(t, a.Broker, a.Target)
	case Detect:
		m.detect(t, a.Broker, a.Target)
	case Restart:
		m.restart(t, a.Broker)
	case Resume:
		t.Broker(a.Broker).Status = Up
		if !t.Ctrl.Live.Has(a.Broker) {
			m.register(t, a.Broker)
		}
	case PreferredElection, Elect:
		m.elect(t, a.Broker)
	case EnableUnclean:
		t.Ctrl.UncleanEnabled = true
	}
	m.normalize(t)
}

// check returns "" if a is enabled in s, or why it is not. The reasons are
// constants so that enumerating actions never allocates.
func (m *Model) check(s *State, a Action) string {
	if a.Kind == EnableUnclean {
		switch {
		case !m.cfg.OperatorMayEnableUnclean:
			return "the configuration does not let the operator change the setting (--operator-may-enable-unclean)"
		case m.unclean(s):
			return "unclean leader election is already enabled"
		}
		return ""
	}
	id := a.Broker
	b := s.Broker(id)
	bd := &m.cfg.Bounds
	switch a.Kind {
	case Produce:
		switch {
		case int(s.Ghost.Produced) >= bd.Records:
			return "the producers have sent every record the bounds allow (--records)"
		case !s.PresumesLeadership(id):
			return "producers only send to a running broker that believes it leads"
		}
	case Fetch:
		l := b.Leader
		switch {
		case b.Status != Up:
			return "the follower is not running"
		case l == None || l == id:
			return "the broker knows of no other leader to fetch from"
		case !s.PresumesLeadership(l):
			return "the broker it fetches from is not running as leader"
		case m.feat.Truncation == TruncateToLeaderEpoch && b.Epoch != s.Broker(l).Epoch:
			// KIP-320: fetches carry the follower's leader epoch; the leader
			// answers FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH on mismatch.
			return "the follower's leader epoch differs from the leader's (fenced, KIP-320)"
		}
	case ShrinkISR, ExpandISR:
		if a.Target == None {
			return "an ISR change names a follower"
		}
		if why := m.checkISRChange(s, id); why != "" {
			return why
		}
		f, fb := a.Target, s.Broker(a.Target)
		if f == id {
			return "a leader cannot change its own ISR membership"
		}
		if a.Kind == ShrinkISR {
			switch {
			case !b.ISR.Has(f):
				return "the follower is not in the ISR"
			case b.Remote[f-1] >= b.LEO:
				// replica.lag.time.max.ms: only a follower that has not caught
				// up to the leader's LEO can be timed out of the ISR.
				return "the follower has caught up with the leader's LEO"
			}
			return ""
		}
		switch {
		case b.ISR.Has(f):
			return "the follower is already in the ISR"
		case fb.Status != Up || fb.Leader != id:
			return "the follower is not fetching from this leader"
		case m.feat.Truncation == TruncateToLeaderEpoch && fb.Epoch != b.Epoch:
			return "the follower is not fetching in the leader's epoch (KIP-320)"
		case b.Remote[f-1] < b.HW:
			return "the follower has not reached the leader's high watermark"
		case m.feat.Truncation == TruncateToLeaderEpoch && b.Remote[f-1] < b.EpochStartOffset():
			// KAFKA-7128 (2.1): a follower joins only once it has every
			// record of earlier epochs, i.e. reached the epoch start offset.
			return "the follower has not reached the leader's epoch start offset (KAFKA-7128)"
		}
	case Metadata:
		if b.Status != Up {
			return "the broker is not running"
		}
		e, l, isr := m.metadataFor(s, id)
		if b.Epoch == e && b.Leader == l && b.ISR == isr {
			return "the broker already has the controller's metadata"
		}
	case Consume:
		switch {
		case !m.cfg.Consumer:
			return "the configuration has no consumer"
		case !s.PresumesLeadership(id):
			return "consumers only read from a running broker that believes it leads"
		case Offset(s.Ghost.Consumed) >= b.HW:
			return "the consumer has read everything below this broker's high watermark"
		}
	case Crash, PowerLoss, DiskLoss:
		used, bound := s.Used.Crashes, bd.Crashes
		if a.Kind == PowerLoss {
			used, bound = s.Used.PowerLosses, bd.PowerLosses
		} else if a.Kind == DiskLoss {
			used, bound = s.Used.DiskLosses, bd.DiskLosses
		}
		switch {
		case int(used) >= bound:
			return "the bound on faults of this kind is spent"
		case b.Status != Up && b.Status != Paused:
			return "the broker is already down"
		case a.Kind == PowerLoss && (a.Keep < b.Flushed || a.Keep > b.LEO):
			return "a power loss keeps at least what Kafka fsynced and at most the whole log"
		case a.Kind != PowerLoss && a.Keep != 0:
			return "only a power loss keeps a number of records"
		}
	case Pause:
		switch {
		case int(s.Used.Pauses) >= bd.Pauses:
			return "the bound on pauses is spent (--pauses)"
		case b.Status != Up:
			return "the broker is not running"
		}
	case CleanShutdown:
		switch {
		case int(s.Used.CleanShutdowns) >= bd.CleanShutdowns:
			return "the bound on clean shutdowns is spent (--clean-shutdowns)"
		case b.Status != Up:
			return "the broker is not running"
		}
		if s.Ctrl.Leader != id {
			if a.Target != None {
				return "only the leader's shutdown elects a new leader"
			}
			return ""
		}
		// Controlled shutdown moves leadership to another live ISR member;
		// it never elects uncleanly.
		cands := s.Ctrl.Live.Without(id) & s.Ctrl.ISR.Without(id)
		return m.checkElection(s, cands, a.Target)
	case Detect:
		switch {
		case b.Status == Up:
			return "the broker is running; the controller has nothing to detect"
		case !s.Ctrl.Live.Has(id):
			return "the controller has already fenced the broker"
		}
		if s.Ctrl.Leader != id {
			if a.Target != None {
				return "only the leader's failure elects a new leader"
			}
			return ""
		}
		cands, _ := m.failoverCandidates(s, id)
		return m.checkElection(s, cands, a.Target)
	case Restart:
		switch {
		case !b.Status.Down():
			return "the broker is not down"
		case s.Ctrl.Live.Has(id):
			// The controller treats a re-registration as failure plus
			// startup, so a restart is always seen as a failure first.
			return "the controller has not yet detected the failure (detect it first)"
		}
		return m.checkRegister(s, id)
	case Resume:
		if b.Status != Paused {
			return "the broker is not paused"
		}
		if !s.Ctrl.Live.Has(id) {
			return m.checkRegister(s, id)
		}
	case PreferredElection:
		c := &s.Ctrl
		switch {
		case !m.cfg.AutoLeaderRebalance:
			return "auto.leader.rebalance.enable is false"
		case c.Leader == None || c.Leader == id:
			return "the preferred replica already leads, or the partition is offline"
		case !c.ISR.Has(id) || !c.Live.Has(id):
			return "the preferred replica is not a live ISR member"
		case !m.epochLeft(s):
			return "the bound on leader epochs is reached (--max-leader-epoch)"
		}
	case Elect:
		c := &s.Ctrl
		switch {
		case c.Leader != None:
			return "the partition has a leader"
		case !c.Live.Has(id) || !m.eligibleOnRegister(s, id):
			return "the broker is not a live, eligible replica"
		case !m.epochLeft(s):
			return "the bound on leader epochs is reached (--max-leader-epoch)"
		}
	default:
		return "unknown action kind"
	}
	return ""
}

// checkISRChange: only the true leader changes the ISR. The controller
// accepts the update only from the leader of its current epoch whose view of
// the ISR is current (the zkVersion check in ZooKeeper mode, the partition
// epoch in KRaft's AlterPartition).
func (m *Model) checkISRChange(s *State, id BrokerID) string {
	b := s.Broker(id)
	switch {
	case !s.PresumesLeadership(id):
		return "only a running leader changes the ISR"
	case s.Ctrl.Leader != id || b.Epoch != s.Ctrl.Epoch || b.ISR != s.Ctrl.ISR:
		return "the controller rejects ISR changes from a leader with stale metadata"
	}
	return ""
}

// checkElection checks that target is one of cands, or None when cands is
// empty, and that the election fits in the epoch bound.
func (m *Model) checkElection(s *State, cands Set, target BrokerID) string {
	switch {
	case cands == 0 && target != None:
		return "no replica is eligible for election"
	case cands != 0 && !cands.Has(target):
		return "the target is not an eligible replica"
	case cands != 0 && !m.epochLeft(s):
		return "the election would exceed the bound on leader epochs (--max-leader-epoch)"
	}
	return ""
}

// checkRegister: registering a broker with an offline partition elects it if
// it is eligible, which must fit in the epoch bound.
func (m *Model) checkRegister(s *State, id BrokerID) string {
	if s.Ctrl.Leader == None && m.eligibleOnRegister(s, id) && !m.epochLeft(s) {
		return "the election it would cause exceeds the bound on leader epochs (--max-leader-epoch)"
	}
	return ""
}

func (m *Model) epochLeft(s *State) bool { return int(s.Ctrl.Epoch) < m.cfg.Bounds.MaxLeaderEpoch }

func (m *Model) powerLossPossible(s *State) bool {
	return !m.cfg.FlushEveryMessage && int(s.Used.PowerLosses) < m.cfg.Bounds.PowerLosses
}

// failoverCandidates is who the controller may elect when leader id fails:
// the live ISR members (a clean election); if there are none and unclean
// election is enabled, any live replica (unclean is then true).
func (m *Model) failoverCandidates(s *State, id BrokerID) (cands Set, unclean bool) {
	live := s.Ctrl.Live.Without(id)
	isr := s.Ctrl.ISR
	if isr.Len() > 1 {
		isr = isr.Without(id)
	}
	if c := live & isr; c != 0 {
		return c, false
	}
	if m.unclean(s) {
		return live, true
	}
	return 0, false
}

// unclean reports whether unclean leader election is enabled: by the
// configuration, or by the operator since.
func (m *Model) unclean(s *State) bool { return m.cfg.UncleanLeaderElection || s.Ctrl.UncleanEnabled }

// eligibleOnRegister: when a broker registers while the partition is
// offline, the controller elects it if it is in the ISR, or if unclean
// election is enabled (no ISR member is live, or the partition would not be
// offline).
func (m *Model) eligibleOnRegister(s *State, id BrokerID) bool {
	return s.Ctrl.ISR.Has(id) || m.unclean(s)
}

// metadataFor is the partition metadata the controller would send broker id.
// Followers do not track the ISR.
func (m *Model) metadataFor(s *State, id BrokerID) (Epoch, BrokerID, Set) {
	c := &s.Ctrl
	if c.Leader == id {
		return c.Epoch, c.Leader, c.ISR
	}
	return c.Epoch, c.Leader, 0
}

// KindConfigured reports whether the configuration allows actions of kind k
// at all. The coverage report warns about a configured kind that never
// fired: a sign the bounds cut it off or the model has a bug.
func (m *Model) KindConfigured(k Kind) bool {
	c := &m.cfg
	b := &c.Bounds
	faults := b.Crashes+b.PowerLosses+b.DiskLosses+b.CleanShutdowns+b.Pauses > 0
	switch k {
	case Produce:
		return b.Records > 0
	case Fetch, ShrinkISR, ExpandISR:
		return c.ReplicationFactor > 1
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
	case Pause, Resume:
		return b.Pauses > 0
	case CleanShutdown:
		return b.CleanShutdowns > 0
	case Detect:
		return faults
	case Restart:
		return b.Crashes+b.PowerLosses+b.DiskLosses+b.CleanShutdowns > 0
	case PreferredElection:
		return c.AutoLeaderRebalance && c.ReplicationFactor > 1 && faults
	case Elect:
		return c.OperatorMayEnableUnclean && !c.UncleanLeaderElection
	case EnableUnclean:
		return c.OperatorMayEnableUnclean && !c.UncleanLeaderElection
	}
	return false
}

// RF is the replication factor.
func (m *Model) RF() int { return int(m.rf) }
