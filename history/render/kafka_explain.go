package render

import (
	"fmt"
	"strings"

	"electcheck/model"
)

// Explain says, in Kafka's words, what action a did to state before,
// leading to after: one line such as "the controller fences broker 1 and
// elects broker 3 in epoch 2 by unclean election: it was not in the ISR
// {1,2}".
func (k Kafka) Explain(before, after *model.State, a model.Action) string {
	e := explainer{m: k.M, cfg: k.M.Config(), b: before, a: after, act: a}
	var parts []string
	parts = append(parts, e.main())
	parts = append(parts, e.consequences()...)
	return strings.Join(nonEmpty(parts), "; ")
}

type explainer struct {
	m    *model.Model
	cfg  model.Config
	b, a *model.State
	act  model.Action
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func records(es []model.Entry) string {
	if len(es) == 0 {
		return "nothing"
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Rec.String())
	}
	return strings.Join(names, ", ")
}

func offsets(from, to model.Offset) string {
	if to == from+1 {
		return fmt.Sprintf("offset %d", from)
	}
	return fmt.Sprintf("offsets %d-%d", from, to-1)
}

// commonPrefix is how many entries two logs share from the start.
func commonPrefix(x, y []model.Entry) model.Offset {
	n := 0
	for n < len(x) && n < len(y) && x[n] == y[n] {
		n++
	}
	return model.Offset(n)
}

func (e *explainer) stale(id model.BrokerID) string {
	b := e.b.Broker(id)
	if b.Leader == id && !e.b.StillLeads(id) {
		return fmt.Sprintf(" (a stale leader: it still acts on epoch %d, the controller is at epoch %d)", b.Epoch, e.b.Ctrl.Epoch)
	}
	return ""
}

// electionKind is how the controller's leader changed in a step.
type electionKind uint8

const (
	noElection         electionKind = iota // same leader, same epoch
	epochBump                              // same leader, a new epoch
	goesOffline                            // no leader
	cleanElection                          // a member of the ISR
	elrElection                            // an eligible leader replica (KIP-966)
	lastLeaderElection                     // the last known leader, ISR and ELR empty (KIP-966)
	uncleanElection                        // a replica outside the ISR
)

// classifyElection says how the controller's leader changed from bc to ac.
func classifyElection(bc, ac *model.Controller) electionKind {
	switch {
	case ac.Leader == bc.Leader && ac.Epoch == bc.Epoch:
		return noElection
	case ac.Leader == model.None:
		return goesOffline
	case ac.Leader == bc.Leader:
		return epochBump
	case bc.ISR.Has(ac.Leader):
		return cleanElection
	case bc.ELR.Has(ac.Leader) || ac.ISR == model.Only(ac.Leader) && ac.ELR != 0:
		return elrElection
	case bc.LastLeader == ac.Leader && bc.ISR == 0:
		return lastLeaderElection
	}
	return uncleanElection
}

// electionBefore is the controller an election in action a starts from. A
// broker registering after an unclean shutdown leaves the ISR and the ELR
// first, in the same step (with eligible leader replicas; model's
// restart), so an election that follows is never from them: the
// registering broker elected then is the last known leader.
func electionBefore(m *model.Model, before *model.State, a model.Action) model.Controller {
	bc := before.Ctrl
	if a.Kind == model.Restart && before.Broker(a.Broker).Status != model.ShutDown && m.Features().Has(model.EligibleLeaderReplicas) {
		bc.ISR, bc.ELR = bc.ISR.Without(a.Broker), bc.ELR.Without(a.Broker)
	}
	return bc
}

// election describes how the controller's leader changed, if it did.
func (e *explainer) election() string {
	bc, ac := electionBefore(e.m, e.b, e.act), e.a.Ctrl
	switch classifyElection(&bc, &ac) {
	case goesOffline:
		return "finds no eligible replica: the partition is offline"
	case cleanElection:
		return fmt.Sprintf("elects broker %d in epoch %d (clean: it is in the ISR %s)", ac.Leader, ac.Epoch, bc.ISR)
	case elrElection:
		return fmt.Sprintf("elects broker %d in epoch %d from the eligible leader replicas %s (the ISR being empty), and the ISR becomes {%d}", ac.Leader, ac.Epoch, bc.ELR, ac.Leader)
	case lastLeaderElection:
		return fmt.Sprintf("elects broker %d, the last known leader, in epoch %d: with the ISR and ELR empty this is an unclean election (KIP-966), whatever its log lost%s", ac.Leader, ac.Epoch, e.recovering())
	case uncleanElection:
		return fmt.Sprintf("elects broker %d in epoch %d by unclean election: it was not in the ISR %s%s", ac.Leader, ac.Epoch, bc.ISR, e.recovering())
	}
	return ""
}

func (e *explainer) isrChange() string {
	var parts []string
	bc, ac := &e.b.Ctrl, &e.a.Ctrl
	if bc.ISR != ac.ISR {
		parts = append(parts, fmt.Sprintf("ISR %s → %s", bc.ISR, ac.ISR))
	}
	if bc.ELR != ac.ELR {
		parts = append(parts, fmt.Sprintf("ELR %s → %s", bc.ELR, ac.ELR))
	}
	if ac.Leader == bc.Leader && ac.Epoch != bc.Epoch {
		parts = append(parts, fmt.Sprintf("leader epoch bumped to %d", ac.Epoch))
	}
	return strings.Join(parts, ", ")
}

func (e *explainer) main() string {
	id := e.act.Broker
	if id == model.None {
		id = 1 // the whole partition acts; keep the lookups below valid
	}
	before, after := e.b.Broker(id), e.a.Broker(id)
	switch e.act.Kind {
	case model.Produce:
		rec := model.RecordID(e.b.Ghost.Produced + 1)
		r := e.a.Ghost.Records[rec-1]
		if r.Fate == model.Refused {
			return fmt.Sprintf("the producer sends %s to broker %d (acks=%s)%s: refused with NotEnoughReplicas, the ISR %s is smaller than min.insync.replicas=%d",
				rec, id, e.cfg.Acks, e.stale(id), before.ISR, e.cfg.MinInsyncReplicas)
		}
		s := fmt.Sprintf("the producer sends %s to broker %d (acks=%s)%s; broker %d appends it at offset %d in epoch %d", rec, id, e.cfg.Acks, e.stale(id), id, r.Offset, before.Epoch)
		switch e.cfg.Acks {
		case model.AcksNone:
			s += " (acks=0: the producer never hears back)"
		case model.AcksLeader:
			s += " and acknowledges it at once"
		}
		return s
	case model.Fetch:
		l := before.Leader
		keep := commonPrefix(before.Entries(), after.Entries())
		parts := []string{fmt.Sprintf("broker %d fetches from broker %d%s", id, l, e.stale(l))}
		if keep < before.LEO {
			parts = append(parts, fmt.Sprintf("first truncates %s (%s) where its log diverges from the leader's", offsets(keep, before.LEO), records(before.Log[keep:before.LEO])))
		}
		switch {
		case e.act.Lost:
			parts = append(parts, "but the response is lost: it gets nothing")
		case after.LEO > keep:
			parts = append(parts, fmt.Sprintf("gets %s at %s", records(after.Log[keep:after.LEO]), offsets(keep, after.LEO)))
		default:
			parts = append(parts, "gets nothing new")
		}
		if after.HW != before.HW {
			parts = append(parts, fmt.Sprintf("its HW becomes %d", after.HW))
		}
		lb, la := e.b.Broker(l), e.a.Broker(l)
		leader := fmt.Sprintf("broker %d records its fetch offset %d", l, la.Remote[id-1])
		if la.HW != lb.HW {
			leader += fmt.Sprintf(" and advances its HW to %d", la.HW)
		}
		return strings.Join(append(parts, leader), ", ")
	case model.ShrinkISR:
		why := fmt.Sprintf("it fetched only up to offset %d of %d", before.Remote[e.act.Target-1], before.LEO)
		if !before.Fetched.Has(e.act.Target) {
			why = "it has not fetched in this leadership"
		}
		return fmt.Sprintf("broker %d %s broker %d from the ISR: %s (replica.lag.time.max.ms)%s", id, e.proposes("remove"), e.act.Target, why, e.after())
	case model.ExpandISR:
		return fmt.Sprintf("broker %d %s broker %d to the ISR: it has fetched up to offset %d, reaching the HW %d%s",
			id, e.proposes("add"), e.act.Target, before.Remote[e.act.Target-1], before.HW, e.after())
	case model.AlterPartition:
		if e.a.Ctrl.ISR == before.Proposed || e.a.Ctrl.Epoch != e.b.Ctrl.Epoch {
			return fmt.Sprintf("the controller accepts broker %d's ISR change%s", id, e.after())
		}
		return fmt.Sprintf("the controller refuses broker %d's ISR change %s (its epoch or ISR is stale, or a replica is ineligible); it keeps ISR %s", id, before.Proposed, after.ISR)
	case model.Metadata:
		s := fmt.Sprintf("broker %d learns that %s", id, e.learns(id, before, after))
		if e.act.Old {
			s = fmt.Sprintf("broker %d applies the metadata of epoch %d late (a delayed LeaderAndIsr, or a metadata log replayed late): %s", id, e.act.Epoch, e.learns(id, before, after))
		} else if after.Leader == id && before.Leader == id && before.Epoch == after.Epoch {
			s = fmt.Sprintf("broker %d, the leader, learns the ISR is now %s", id, after.ISR)
		}
		if after.LEO < before.LEO {
			s += fmt.Sprintf(", and truncates its log to its HW %d, dropping %s (before KIP-101)", after.LEO, records(before.Log[after.LEO:before.LEO]))
		}
		if after.Truncating {
			s += "; before it fetches it will ask the leader where its log diverges (OffsetsForLeaderEpoch)"
		}
		return s
	case model.Consume:
		from, to := model.Offset(e.b.Ghost.Consumed), model.Offset(e.a.Ghost.Consumed)
		return fmt.Sprintf("the consumer fetches from broker %d%s and reads %s (%s), everything below its HW", id, e.stale(id), offsets(from, to), records(before.Log[from:to]))
	case model.Crash:
		return fmt.Sprintf("broker %d's process crashes; its log survives in the OS page cache", id)
	case model.PowerLoss:
		if after.LEO == before.LEO {
			return fmt.Sprintf("broker %d loses power; the OS had written all %d of its records to disk, so nothing is lost", id, before.LEO)
		}
		return fmt.Sprintf("broker %d loses power; the OS had written %d of its %d records to disk: %s lost", id, after.LEO, before.LEO, records(before.Log[after.LEO:before.LEO]))
	case model.DiskLoss:
		return fmt.Sprintf("broker %d's disk fails: its log (%s) is gone", id, records(before.Entries()))
	case model.CorrelatedPowerLoss:
		return explainCorrelated(e.m.RF(), e.b, e.a, e.act)
	case model.Pause:
		return fmt.Sprintf("broker %d stalls (a long GC pause or a network partition); it keeps believing what it knew", id)
	case model.CleanShutdown:
		s := fmt.Sprintf("broker %d shuts down cleanly, its log fsynced", id)
		if el := e.election(); el != "" {
			s = fmt.Sprintf("broker %d shuts down cleanly; the controller first %s", id, el)
		}
		if c := e.isrChange(); c != "" {
			s += "; " + c
		}
		return s
	case model.Detect:
		s := fmt.Sprintf("the controller fences broker %d, which it can no longer reach", id)
		if c := e.isrChange(); c != "" {
			s += ", and takes it out of the ISR (" + c + ")"
		}
		if e.b.Ctrl.ISR == e.a.Ctrl.ISR && e.b.Ctrl.ISR.Has(id) {
			s += "; it stays in the ISR as its last member"
		}
		if el := e.election(); el != "" {
			s += "; it led, so the controller " + el
		}
		return s
	case model.Restart:
		s := fmt.Sprintf("broker %d restarts with its log (%s) and registers with the controller", id, records(after.Entries()))
		if before.Status != model.ShutDown {
			s += " after an unclean shutdown"
			if (e.b.Ctrl.ISR | e.b.Ctrl.ELR).Has(id) && e.cfg.EligibleLeaderReplicas {
				s += ", so the controller takes it out of the ISR and ELR"
			}
		}
		if c := e.isrChange(); c != "" {
			s += " (" + c + ")"
		}
		if el := e.election(); el != "" {
			s += "; the leaderless partition: the controller " + el
		}
		return s
	case model.Resume:
		s := fmt.Sprintf("broker %d resumes, still acting on what it knew (epoch %d)", id, after.Epoch)
		if !e.b.Ctrl.Live.Has(id) {
			s += "; the controller has fenced it, and it has yet to register again"
		}
		return s
	case model.Register:
		s := fmt.Sprintf("broker %d registers with the controller again and is unfenced", id)
		if el := e.election(); el != "" {
			s += "; the controller " + el
		}
		return s
	case model.Elect:
		return "the controller applies the new setting to the leaderless partition and " + e.election()
	case model.PreferredElection:
		return fmt.Sprintf("the controller moves leadership back to the preferred replica, broker %d, in epoch %d (auto.leader.rebalance.enable); broker %s does not know yet",
			id, e.a.Ctrl.Epoch, e.b.Ctrl.Leader)
	case model.EnableUnclean:
		return "the operator sets unclean.leader.election.enable=true, a dynamic configuration change"
	}
	return e.act.String()
}

// recovering notes KIP-704's leader recovery state after an unclean
// election.
func (e *explainer) recovering() string {
	if e.m.Features().Has(model.LeaderRecovery) {
		return "; the partition is RECOVERING until its new leader reports it recovered, which it does at once (KIP-704)"
	}
	return ""
}

// proposes says what a leader does with an ISR change: makes it at once,
// or, from KIP-497, asks the controller.
func (e *explainer) proposes(verb string) string {
	if e.m.Features().Has(model.AsyncISR) {
		return "asks the controller (AlterPartition) to " + verb
	}
	return verb + "s"
}

// after describes the controller's change, if any, with a leading "; ".
func (e *explainer) after() string {
	if c := e.isrChange(); c != "" {
		return "; " + c
	}
	if e.a.Broker(e.act.Broker).Proposed != 0 {
		return "; the change is in flight, and the high watermark counts the maximal ISR " + (e.a.Broker(e.act.Broker).ISR | e.a.Broker(e.act.Broker).Proposed).String()
	}
	return ""
}

// learns describes what a broker took from metadata.
func (e *explainer) learns(id model.BrokerID, before, after *model.Broker) string {
	switch {
	case after.Leader == id:
		return fmt.Sprintf("it leads epoch %d, with ISR %s", after.Epoch, after.ISR)
	case after.Leader == model.None:
		return fmt.Sprintf("the partition had no leader in epoch %d", after.Epoch)
	}
	s := fmt.Sprintf("broker %s leads epoch %d", after.Leader, after.Epoch)
	if before.Leader == id {
		s += "; it stops acting as leader"
	}
	return s
}

// consequences lists what clients learned in the step: acknowledgements,
// failures, and the committed HW moving.
func (e *explainer) consequences() []string {
	var out []string
	gb, ga := &e.b.Ghost, &e.a.Ghost
	for k := range ga.Produced {
		rb, ra := gb.Records[k], ga.Records[k]
		if k >= gb.Produced || rb.Fate == ra.Fate {
			continue
		}
		rec := model.RecordID(k + 1)
		switch ra.Fate {
		case model.Acked:
			out = append(out, fmt.Sprintf("%s is acknowledged", rec))
		case model.FailedAfterAppend:
			out = append(out, fmt.Sprintf("%s fails with NOT_ENOUGH_REPLICAS_AFTER_APPEND (the ISR shrank below min.insync.replicas), though it is in the log", rec))
		case model.LeaderLost:
			out = append(out, fmt.Sprintf("the write of %s fails: its leader is gone", rec))
		}
	}
	if ga.TrueHW > gb.TrueHW {
		out = append(out, fmt.Sprintf("clients now see HW %d: %s committed", ga.TrueHW, records(ga.Committed[gb.TrueHW:ga.TrueHW])))
	}
	return out
}
