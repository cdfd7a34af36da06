package model

// check returns "" if a is enabled in s, or why it is not: the one
// statement of every enabling condition. The reasons of the common cases
// are constants, so that enumerating actions rarely allocates; the
// controller's changes (elections, ISR writes) are checked by applying
// them to a copy of s, so that what is allowed and what happens cannot
// drift apart.
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
	if a.Lost && a.Kind != Fetch || (a.Old || a.Epoch != 0) && a.Kind != Metadata || a.Keep != 0 && a.Kind != PowerLoss ||
		(a.Hit != 0 || a.Keeps != [MaxReplicas]Offset{}) && a.Kind != CorrelatedPowerLoss {
		return "the action has a part its kind does not take"
	}
	if a.Kind == CorrelatedPowerLoss {
		return m.checkCorrelatedPowerLoss(s, a)
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
		return m.checkFetch(s, id)
	case ShrinkISR, ExpandISR:
		return m.checkProposal(s, a)
	case AlterPartition:
		switch {
		case !s.PresumesLeadership(id) || b.Proposed == 0:
			return "the broker has no ISR change in flight"
		}
		return m.simulate(s, a)
	case Metadata:
		if b.Status != Up {
			return "the broker is not running"
		}
		e := s.Ctrl.Epoch
		if a.Old {
			if a.Epoch >= s.Ctrl.Epoch {
				return "that epoch is the controller's current one: apply it without naming an epoch"
			}
			e = a.Epoch
		}
		switch {
		case e < b.Epoch || e == b.Epoch && a.Old && b.Leader != None:
			return "the broker already knows a later epoch"
		}
		l, isr := m.metadataAt(s, id, e)
		if b.Epoch == e && b.Leader == l && b.ISR == isr {
			return "the broker already has that metadata"
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
		return m.simulate(s, a)
	case Detect:
		switch {
		case b.Status == Up:
			return "the broker is running; the controller has nothing to detect"
		case !s.Ctrl.Live.Has(id):
			return "the controller has already fenced the broker"
		}
		return m.simulate(s, a)
	case Restart:
		switch {
		case !b.Status.Down():
			return "the broker is not down"
		case s.Ctrl.Live.Has(id):
			// The controller treats a re-registration as failure plus
			// startup, so a restart is always seen as a failure first.
			return "the controller has not yet detected the failure (detect it first)"
		}
		return m.simulate(s, a)
	case Resume:
		if b.Status != Paused {
			return "the broker is not paused"
		}
	case Register:
		switch {
		case b.Status != Up:
			return "the broker is not running"
		case s.Ctrl.Live.Has(id):
			return "the controller already counts the broker live"
		}
		return m.simulate(s, a)
	case PreferredElection:
		c := &s.Ctrl
		switch {
		case !m.cfg.AutoLeaderRebalance:
			return "auto.leader.rebalance.enable is false"
		case c.Leader == None || c.Leader == id:
			return "the preferred replica already leads, or the partition is offline"
		case !c.ISR.Has(id) || !c.Live.Has(id):
			return "the preferred replica is not a live ISR member"
		}
		return m.simulate(s, a)
	case Elect:
		switch {
		case s.Ctrl.Leader != None:
			return "the partition has a leader"
		case !s.Ctrl.Live.Has(id):
			return "the broker is not live"
		}
		return m.simulate(s, a)
	default:
		return "unknown action kind"
	}
	return ""
}

// controllerStep makes the controller's part of action a: the one
// statement of what these actions do, used by Next and, on a copy, by
// check.
func (m *Model) controllerStep(t *State, a Action) string {
	switch a.Kind {
	case CleanShutdown:
		return m.cleanShutdown(t, a.Broker, a.Target)
	case Detect:
		return m.detect(t, a.Broker, a.Target)
	case Restart:
		return m.restart(t, a.Broker, a.Target)
	case Register:
		return m.register(t, a.Broker, a.Target)
	case PreferredElection:
		return m.change(t, changeOf{isr: t.Ctrl.ISR, leader: a.Broker, elect: true})
	case Elect:
		// An operator's change of unclean.leader.election.enable, which
		// the controller applies to a leaderless partition.
		if why := m.change(t, changeOf{isr: t.Ctrl.ISR, leader: a.Broker}); why != "" {
			return why
		}
		if t.Ctrl.Leader != a.Broker {
			return "the controller would not elect this broker"
		}
	}
	return ""
}

// simulate checks a controller change by making it on a copy of s.
func (m *Model) simulate(s *State, a Action) string {
	t := *s
	switch a.Kind {
	case CleanShutdown, Detect, Restart, Register, PreferredElection, Elect:
		return m.controllerStep(&t, a)
	case AlterPartition:
		b := t.Broker(a.Broker)
		if m.checkISRChange(&t, a.Broker) != "" || m.checkEligible(&t, b.Proposed) != "" {
			return "" // the controller refuses it: always possible
		}
		return m.change(&t, changeOf{isr: b.Proposed, byLeader: true})
	case ShrinkISR, ExpandISR:
		isr := t.Broker(a.Broker).ISR.With(a.Target)
		if a.Kind == ShrinkISR {
			isr = t.Broker(a.Broker).ISR.Without(a.Target)
		}
		return m.change(&t, changeOf{isr: isr, byLeader: true})
	}
	return ""
}

// checkFetch: a follower fetches from the broker it believes leads, which
// must run and believe it leads; from KIP-320 in the same epoch.
func (m *Model) checkFetch(s *State, id BrokerID) string {
	b := s.Broker(id)
	l := b.Leader
	switch {
	case b.Status != Up:
		return "the follower is not running"
	case l == None || l == id:
		return "the broker knows of no other leader to fetch from"
	case !s.PresumesLeadership(l):
		return "the broker it fetches from is not running as leader"
	case m.has(FencedFetch) && b.Epoch != s.Broker(l).Epoch:
		// KIP-320: fetches carry the follower's leader epoch; the leader
		// answers FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH on mismatch.
		return "the follower's leader epoch differs from the leader's (fenced, KIP-320)"
	}
	if m.outOfRangeHalts(s) && m.fetchStart(s, id) < b.LEO {
		return "the follower is ahead of the leader and, with unclean leader election disabled, Kafka 0.10 halts rather than truncate"
	}
	return ""
}

// checkProposal: a leader shrinks or expands its ISR.
func (m *Model) checkProposal(s *State, a Action) string {
	id, f := a.Broker, a.Target
	b := s.Broker(id)
	if f == None {
		return "an ISR change names a follower"
	}
	if why := m.checkISRChange(s, id); why != "" {
		return why
	}
	if f == id {
		return "a leader cannot change its own ISR membership"
	}
	if b.Proposed != 0 {
		return "an ISR change is already in flight (KIP-497: one at a time)"
	}
	fb := s.Broker(f)
	if a.Kind == ShrinkISR {
		switch {
		case !b.ISR.Has(f):
			return "the follower is not in the ISR"
		case b.Fetched.Has(f) && b.Remote[f-1] >= b.LEO:
			// replica.lag.time.max.ms: only a follower that has not caught
			// up to the leader's LEO, or not fetched at all in this
			// leadership, can be timed out of the ISR.
			return "the follower has caught up with the leader's LEO"
		}
	} else {
		switch {
		case b.ISR.Has(f):
			return "the follower is already in the ISR"
		case fb.Status != Up || fb.Leader != id:
			return "the follower is not fetching from this leader"
		case m.has(FencedFetch) && fb.Epoch != b.Epoch:
			return "the follower is not fetching in the leader's epoch (KIP-320)"
		case !b.Fetched.Has(f):
			return "the follower has not fetched from this leader yet: its log end offset is unknown"
		case b.Remote[f-1] < b.HW:
			return "the follower has not reached the leader's high watermark"
		case m.has(ISRJoinEpochStart) && b.Remote[f-1] < b.EpochStartOffset():
			// KAFKA-7128 (2.1): a follower joins only once it has every
			// record of earlier epochs, i.e. reached the epoch start offset.
			return "the follower has not reached the leader's epoch start offset (KAFKA-7128)"
		}
	}
	if m.has(AsyncISR) {
		return ""
	}
	if why := m.checkEligible(s, b.ISR.With(f)); a.Kind == ExpandISR && why != "" {
		return why
	}
	return m.simulate(s, a)
}
