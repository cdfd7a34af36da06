package model

// The controller: every change it makes to the partition's leader, ISR and
// eligible leader replicas goes through change, as every change in Kafka's
// KRaft controller goes through PartitionChangeBuilder.build() (metadata/
// src/main/java/org/apache/kafka/controller/PartitionChangeBuilder.java)
// and the ZooKeeper controller's elections and ISR removals through
// Election.leaderForOffline and ReplicaStateMachine.doRemoveReplicasFromIsr.
//
// One change, given a target ISR T (the current ISR minus a broker that
// leaves it):
//
//  1. With eligible leader replicas (KIP-966): if |T| >= min ISR the ELR
//     empties; otherwise every replica of the old ISR or ELR that is not in
//     T joins it, except a broker registering after an unclean shutdown
//     (PartitionChangeBuilder.maybePopulateTargetElr).
//  2. The leader stays if it is still in T and acceptable (registered,
//     unfenced, not leaving). Otherwise the controller elects, in order of
//     preference: an acceptable member of T (clean); with T empty, an
//     acceptable ELR member (clean; the ISR becomes it alone); with the ELR
//     empty too, the last known leader (unclean); with unclean leader
//     election enabled, any acceptable replica (unclean; the ISR becomes it
//     alone and the ELR empties). Kafka takes the first candidate in replica
//     order; the model lets the action choose any, which covers every
//     replica order (electAnyLeader, isValidNewLeader).
//  3. Without ELR an empty T is never written: the last ISR member stays
//     while it is down.
//  4. The leader epoch is bumped when the leader changes (also to none),
//     and when the ISR shrinks under the same leader in ZooKeeper mode (a
//     controller-initiated shrink, doRemoveReplicasFromIsr) or in KRaft
//     before metadata version 3.6 (any shrink, KAFKA-15021).
//  5. With ELR, the last known leader is recorded when the partition
//     becomes leaderless and forgotten when it gets a leader
//     (maybeUpdateLastKnownLeader).

// changeOf describes one partition change.
type changeOf struct {
	isr Set // the target ISR
	// remove is a broker leaving (fenced, shutting down): never elected in
	// this change. unclean is a broker registering after an unclean
	// shutdown (with ELR): it leaves the ISR and the ELR and is not elected
	// in this change. add is a broker being unfenced by this change: it
	// counts as acceptable though the controller has not marked it live.
	remove, unclean, add BrokerID
	// leader is the broker the action elects if the change elects one
	// (None: the partition goes, or stays, offline).
	leader BrokerID
	// elect forces an election of leader even if the current leader could
	// stay: a preferred-replica election.
	elect bool
	// byLeader marks an ISR change the leader asked for (it bumps the
	// epoch only in KRaft before 3.6).
	byLeader bool
}

// electionKind is how a leader was chosen.
type electionKind uint8

const (
	noElection electionKind = iota
	cleanElection
	elrElection
	lastLeaderElection
	uncleanElection
)

// acceptable is Kafka's LeaderAcceptor: registered, not fenced, not leaving.
func (c *changeOf) acceptable(s *State, r BrokerID) bool {
	return r != None && r != c.remove && r != c.unclean && (r == c.add || s.Ctrl.Live.Has(r))
}

// targetELR is step 1.
func (m *Model) targetELR(s *State, c *changeOf) Set {
	if !m.has(EligibleLeaderReplicas) {
		return 0
	}
	// ReplicationControlManager.getTopicEffectiveMinIsr (KAFKA-15581, 3.7):
	// min.insync.replicas capped at the replication factor.
	if c.isr.Len() >= min(m.cfg.MinInsyncReplicas, m.cfg.ReplicationFactor) {
		return 0
	}
	elr := (s.Ctrl.ELR | s.Ctrl.ISR) &^ c.isr
	if c.unclean != None {
		elr = elr.Without(c.unclean)
	}
	return elr
}

// minISR is the min ISR the leader enforces (Partition.scala): from 3.7
// (KAFKA-15583, with strict-min-isr, apache/kafka edc7e10a745) its
// effectiveMinIsr, min.insync.replicas capped at the replication factor;
// before, min.insync.replicas as configured, so that one above the
// replication factor refuses every acks=all write.
func (m *Model) minISR() int { return m.minISRv }

// candidates is step 2: whether the leader must change, and if so who may
// be elected and how.
func (m *Model) candidates(s *State, c *changeOf, elr Set) (mustElect bool, cands Set, kind electionKind) {
	valid := func(r BrokerID) bool {
		return (c.isr.Has(r) || c.isr == 0 && elr.Has(r)) && c.acceptable(s, r)
	}
	cur := s.Ctrl.Leader
	if c.elect {
		// A preferred-replica election: the preferred replica, if it is a
		// live ISR member (electPreferredLeader).
		if valid(c.leader) {
			return true, Only(c.leader), cleanElection
		}
		return true, 0, noElection
	}
	if cur != None && valid(cur) {
		return false, 0, noElection
	}
	for r := BrokerID(1); r <= m.rf; r++ {
		if c.isr.Has(r) && c.acceptable(s, r) {
			cands = cands.With(r)
		}
	}
	if cands != 0 {
		return true, cands, cleanElection
	}
	if c.isr == 0 {
		for r := BrokerID(1); r <= m.rf; r++ {
			if elr.Has(r) && c.acceptable(s, r) {
				cands = cands.With(r)
			}
		}
		if cands != 0 {
			return true, cands, elrElection
		}
		if l := s.Ctrl.LastLeader; elr == 0 && m.has(EligibleLeaderReplicas) && l != None &&
			(c.acceptable(s, l) || !m.has(LastLeaderUnfenced) && l != c.remove && l != c.unclean) {
			// KAFKA-19522: 4.0 elected the last known leader even while it
			// was fenced.
			return true, Only(l), lastLeaderElection
		}
	}
	if m.unclean(s) {
		for r := BrokerID(1); r <= m.rf; r++ {
			if c.acceptable(s, r) {
				cands = cands.With(r)
			}
		}
		if cands != 0 {
			return true, cands, uncleanElection
		}
	}
	return cur != None, 0, noElection
}

// change applies one partition change, electing c.leader if the change
// elects. It returns why the change is not possible: the target is not a
// broker the controller could elect, or the leader epoch would pass its
// bound. On a non-empty result *s is left in an unspecified state: callers
// that check use a copy.
func (m *Model) change(s *State, c changeOf) string {
	ctrl := &s.Ctrl
	elr := m.targetELR(s, &c)
	mustElect, cands, kind := m.candidates(s, &c, elr)
	isr := c.isr
	leader := ctrl.Leader
	switch {
	case !mustElect:
		if c.leader != None && c.leader != leader {
			return "the controller keeps the current leader; this change elects no one"
		}
	case cands == 0:
		if c.leader != None {
			return "no replica is eligible for election"
		}
		leader = None
	default:
		if !cands.Has(c.leader) {
			return "the target is not a replica the controller may elect: " + kind.candidatesText() + " " + cands.String()
		}
		leader = c.leader
		switch kind {
		case elrElection:
			isr, elr = Only(leader), elr.Without(leader)
		case lastLeaderElection, uncleanElection:
			isr, elr = Only(leader), 0
		}
	}
	if isr == 0 && !m.has(EligibleLeaderReplicas) {
		isr = ctrl.ISR // the last member stays
	}
	bump := leader != ctrl.Leader
	if !bump && leader != None && ctrl.ISR&^isr != 0 {
		if m.cfg.Controller == ZooKeeper {
			bump = !c.byLeader
		} else {
			bump = !m.has(ISRShrinkKeepsEpoch)
		}
	}
	if bump && int(ctrl.Epoch) >= m.cfg.Bounds.MaxLeaderEpoch {
		return "the change would bump the leader epoch past its bound (--max-leader-epoch)"
	}
	if m.has(EligibleLeaderReplicas) {
		switch {
		case leader != None:
			ctrl.LastLeader = None
		case ctrl.Leader != None && ctrl.LastLeader == None:
			ctrl.LastLeader = ctrl.Leader
		}
	}
	if bump {
		ctrl.History[ctrl.Epoch] = Term{Leader: ctrl.Leader, ISR: ctrl.ISR}
		ctrl.Epoch++
	}
	ctrl.Leader, ctrl.ISR, ctrl.ELR = leader, isr, elr
	return ""
}

func (k electionKind) candidatesText() string {
	switch k {
	case elrElection:
		return "the ISR is empty; the eligible leader replicas to choose from are"
	case lastLeaderElection:
		return "the ISR and ELR are empty; the last known leader is"
	case uncleanElection:
		return "no ISR member can lead; unclean election may choose from"
	}
	return "the live ISR members are"
}

// unclean reports whether unclean leader election is enabled: by the
// configuration, or by the operator since.
func (m *Model) unclean(s *State) bool { return m.cfg.UncleanLeaderElection || s.Ctrl.UncleanEnabled }

// fence: the controller notices broker id is gone (ZooKeeper session
// expiry, missed KRaft heartbeats), marks it not live and takes it out of
// the ISR; if it led, it elects target.
func (m *Model) fence(s *State, id, target BrokerID) string {
	s.Ctrl.Live = s.Ctrl.Live.Without(id)
	return m.change(s, changeOf{isr: s.Ctrl.ISR.Without(id), remove: id, leader: target})
}

// detect: the controller fences broker id, which is down or paused.
func (m *Model) detect(s *State, id, target BrokerID) string { return m.fence(s, id, target) }

// cleanShutdown: controlled shutdown. The controller moves leadership to
// target and takes the broker out of the ISR (into the ELR, below min ISR);
// the broker flushes its log and stops.
func (m *Model) cleanShutdown(s *State, id, target BrokerID) string {
	b := s.Broker(id)
	b.Flushed = b.LEO
	why := m.fence(s, id, target)
	m.stop(s, id, ShutDown)
	return why
}

// restart: a fenced broker comes back with what its disk kept and
// registers; it knows no partition metadata until the controller's reaches
// it. A registration after anything but a clean shutdown is unclean (no
// clean-shutdown marker, KAFKA-15582): with ELR the controller takes the
// broker out of the ISR and the ELR first (ReplicationControlManager.
// handleBrokerShutdown). From 3.5 in KRaft it registers with a new broker
// epoch, and the controller refuses ISR expansions based on fetches from
// before the restart (KIP-903): the leader's record of its old fetch offset
// no longer counts, nor does an expansion of it in flight. Then the broker
// is unfenced, and a leaderless partition may elect it.
func (m *Model) restart(s *State, id, target BrokerID) string {
	b := s.Broker(id)
	unclean := b.Status != ShutDown
	b.Status = Up
	b.Epoch = s.Ctrl.Epoch // it learns the epoch current at registration, or a later one
	if m.has(BrokerEpochISR) {
		for o := BrokerID(1); o <= m.rf; o++ {
			ob := s.Broker(o)
			ob.Remote[id-1] = 0
			ob.Fetched = ob.Fetched.Without(id)
			if ob.Proposed.Has(id) && !ob.ISR.Has(id) {
				ob.Proposed = 0 // the controller will refuse it: a stale broker epoch
			}
		}
	}
	if unclean && m.has(EligibleLeaderReplicas) && (s.Ctrl.ISR.Has(id) || s.Ctrl.ELR.Has(id)) {
		c := changeOf{isr: s.Ctrl.ISR.Without(id), unclean: id}
		if mustElect, cands, _ := m.candidates(s, &c, m.targetELR(s, &c)); mustElect && cands != 0 {
			// The cleanup itself elects (the last known leader, say): the
			// registration that follows keeps that leader.
			c.leader, target = target, None
		}
		if why := m.change(s, c); why != "" {
			return why
		}
	}
	return m.register(s, id, target)
}

// register: the controller sees broker id alive again (a restart, or a
// paused broker back with a new ZooKeeper session or a KRaft heartbeat) and
// unfences it; a leaderless partition may elect it.
func (m *Model) register(s *State, id, target BrokerID) string {
	why := m.change(s, changeOf{isr: s.Ctrl.ISR, add: id, leader: target})
	s.Ctrl.Live = s.Ctrl.Live.With(id)
	return why
}
