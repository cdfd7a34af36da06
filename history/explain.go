package history

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
	if b.Leader == id && (e.b.Ctrl.Leader != id || e.b.Ctrl.Epoch != b.Epoch) {
		return fmt.Sprintf(" (a stale leader: it still acts on epoch %d, the controller is at epoch %d)", b.Epoch, e.b.Ctrl.Epoch)
	}
	return ""
}

// election describes how the controller's leader changed, if it did.
func (e *explainer) election() string {
	bc, ac := e.b.Ctrl, e.a.Ctrl
	switch {
	case ac.Leader == bc.Leader && ac.Epoch == bc.Epoch:
		return ""
	case ac.Leader == model.None:
		return "finds no eligible replica: the partition is offline"
	case bc.ISR.Has(ac.Leader):
		return fmt.Sprintf("elects broker %d in epoch %d (clean: it is in the ISR %s)", ac.Leader, ac.Epoch, bc.ISR)
	default:
		return fmt.Sprintf("elects broker %d in epoch %d by unclean election: it was not in the ISR %s", ac.Leader, ac.Epoch, bc.ISR)
	}
}

func (e *explainer) isrChange() string {
	if e.b.Ctrl.ISR == e.a.Ctrl.ISR {
		return ""
	}
	return fmt.Sprintf("ISR %s → %s", e.b.Ctrl.ISR, e.a.Ctrl.ISR)
}

func (e *explainer) main() string {
	id := e.act.Broker
	if e.act.Kind == model.EnableUnclean {
		id = 1 // no broker acts; keep the lookups below valid
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
		parts := []string{fmt.Sprintf("broker %d fetches from broker %d", id, l)}
		if keep < before.LEO {
			parts = append(parts, fmt.Sprintf("first truncates %s (%s) where its log diverges from the leader's", offsets(keep, before.LEO), records(before.Log[keep:before.LEO])))
		}
		if after.LEO > keep {
			parts = append(parts, fmt.Sprintf("gets %s at %s", records(after.Log[keep:after.LEO]), offsets(keep, after.LEO)))
		} else {
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
		return fmt.Sprintf("broker %d removes broker %d from the ISR: it fetched only up to offset %d of %d (replica.lag.time.max.ms); %s",
			id, e.act.Target, before.Remote[e.act.Target-1], before.LEO, e.isrChange())
	case model.ExpandISR:
		return fmt.Sprintf("broker %d adds broker %d back to the ISR: it has fetched up to offset %d, reaching the HW %d; %s",
			id, e.act.Target, before.Remote[e.act.Target-1], before.HW, e.isrChange())
	case model.Metadata:
		switch {
		case after.Leader == id && (before.Leader != id || before.Epoch != after.Epoch):
			return fmt.Sprintf("broker %d learns it leads epoch %d, with ISR %s", id, after.Epoch, after.ISR)
		case after.Leader == id:
			return fmt.Sprintf("broker %d, the leader, learns the ISR is now %s", id, after.ISR)
		}
		s := fmt.Sprintf("broker %d learns broker %s leads epoch %d", id, after.Leader, after.Epoch)
		if after.Leader == model.None {
			s = fmt.Sprintf("broker %d learns the partition has no leader (epoch %d)", id, after.Epoch)
		}
		if before.Leader == id {
			s += "; it stops acting as leader"
		}
		if after.LEO < before.LEO {
			s += fmt.Sprintf(", and truncates its log to its HW %d, dropping %s (before KIP-101)", after.LEO, records(before.Log[after.LEO:before.LEO]))
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
		if e.b.Ctrl.ISR != e.a.Ctrl.ISR {
			s += fmt.Sprintf(", and removes it from the ISR (%s → %s)", e.b.Ctrl.ISR, e.a.Ctrl.ISR)
		} else if e.b.Ctrl.ISR.Has(id) {
			s += "; it stays in the ISR as its last member"
		}
		if el := e.election(); el != "" {
			s += "; it led, so the controller " + el
		}
		return s
	case model.Restart:
		s := fmt.Sprintf("broker %d restarts with its log (%s) and registers with the controller", id, records(after.Entries()))
		if el := e.election(); el != "" {
			s += "; the offline partition " + strings.Replace(el, "elects", "elects it:", 1)
		}
		return s
	case model.Resume:
		s := fmt.Sprintf("broker %d resumes, still acting on what it knew (epoch %d)", id, after.Epoch)
		if !e.b.Ctrl.Live.Has(id) {
			s += " and registers again"
		}
		if el := e.election(); el != "" {
			s += "; the controller " + el
		}
		return s
	case model.PreferredElection:
		return fmt.Sprintf("the controller moves leadership back to the preferred replica, broker %d, in epoch %d (auto.leader.rebalance.enable); broker %s does not know yet",
			id, e.a.Ctrl.Epoch, e.b.Ctrl.Leader)
	case model.Elect:
		return "the controller applies the new setting to the offline partition and " + e.election()
	case model.EnableUnclean:
		return "the operator sets unclean.leader.election.enable=true, a dynamic configuration change"
	}
	return e.act.String()
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
