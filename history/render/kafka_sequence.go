package render

import (
	"fmt"
	"strings"

	"electcheck/model"
)

// Participants are the Mermaid participants of a Kafka trace: the
// producer, the brokers, the controller and, if configured, the consumer.
func (k Kafka) Participants() []string {
	out := []string{"participant P as Producer"}
	for b := 1; b <= k.M.RF(); b++ {
		out = append(out, fmt.Sprintf("participant B%d as Broker %d", b, b))
	}
	out = append(out, "participant C as Controller")
	if k.M.Config().Consumer {
		out = append(out, "participant K as Consumer")
	}
	return out
}

// mset prints a broker set for Mermaid, where braces and semicolons are
// best avoided.
func mset(s model.Set) string {
	return strings.Trim(s.String(), "{}")
}

// Sequence is the Mermaid messages and notes of one step.
func (k Kafka) Sequence(before, after *model.State, a model.Action) []string {
	id := a.Broker
	if a.Kind == model.EnableUnclean {
		id = 1 // no broker acts; keep the lookups below valid
	}
	b := fmt.Sprintf("B%d", id)
	var out []string
	acks := func() {
		for r := range after.Ghost.Produced {
			rb, ra := before.Ghost.Records[r], after.Ghost.Records[r]
			if r < before.Ghost.Produced && rb.Fate == ra.Fate {
				continue
			}
			rec := model.RecordID(r + 1)
			switch ra.Fate {
			case model.Acked:
				out = append(out, fmt.Sprintf("B%d-->>P: ack %s (offset %d)", ra.Leader, rec, ra.Offset))
			case model.FailedAfterAppend:
				out = append(out, fmt.Sprintf("B%d--xP: %s NOT_ENOUGH_REPLICAS_AFTER_APPEND", ra.Leader, rec))
			case model.LeaderLost:
				out = append(out, fmt.Sprintf("B%d--xP: %s failed, leader gone", ra.Leader, rec))
			case model.Refused:
				out = append(out, fmt.Sprintf("B%d--xP: %s NotEnoughReplicas", id, rec))
			}
		}
		if after.Ghost.TrueHW > before.Ghost.TrueHW {
			out = append(out, fmt.Sprintf("Note over P,C: committed up to offset %d", after.Ghost.TrueHW-1))
		}
	}
	bb, ba := before.Broker(id), after.Broker(id)
	switch a.Kind {
	case model.Produce:
		rec := model.RecordID(before.Ghost.Produced + 1)
		out = append(out, fmt.Sprintf("P->>%s: produce %s (acks=%s)", b, rec, k.M.Config().Acks))
	case model.Fetch:
		l := fmt.Sprintf("B%d", bb.Leader)
		keep := commonPrefix(bb.Entries(), ba.Entries())
		if keep < bb.LEO {
			out = append(out, fmt.Sprintf("Note over %s: truncates %s", b, offsets(keep, bb.LEO)))
		}
		out = append(out, fmt.Sprintf("%s->>%s: fetch from offset %d", b, l, keep))
		out = append(out, fmt.Sprintf("%s-->>%s: %s, HW %d", l, b, records(ba.Log[keep:ba.LEO]), ba.HW))
	case model.ShrinkISR, model.ExpandISR:
		out = append(out, fmt.Sprintf("%s->>C: ISR %s", b, mset(after.Ctrl.ISR)))
	case model.Metadata:
		out = append(out, fmt.Sprintf("C->>%s: epoch %d, leader %s", b, ba.Epoch, ba.Leader))
		if ba.LEO < bb.LEO {
			out = append(out, fmt.Sprintf("Note over %s: truncates to HW %d", b, ba.LEO))
		}
	case model.Consume:
		out = append(out, fmt.Sprintf("K->>%s: fetch from offset %d", b, before.Ghost.Consumed))
		out = append(out, fmt.Sprintf("%s-->>K: %s", b, records(bb.Log[before.Ghost.Consumed:after.Ghost.Consumed])))
	case model.Crash:
		out = append(out, fmt.Sprintf("Note over %s: process crash", b))
	case model.PowerLoss:
		out = append(out, fmt.Sprintf("Note over %s: power loss, keeps %d of %d records", b, ba.LEO, bb.LEO))
	case model.DiskLoss:
		out = append(out, fmt.Sprintf("Note over %s: disk lost", b))
	case model.Pause:
		out = append(out, fmt.Sprintf("Note over %s: paused", b))
	case model.CleanShutdown:
		out = append(out, fmt.Sprintf("%s->>C: controlled shutdown", b))
	case model.Detect:
		out = append(out, fmt.Sprintf("Note over C: fences broker %d", id))
	case model.Restart:
		out = append(out, fmt.Sprintf("%s->>C: register after restart", b))
	case model.Resume:
		out = append(out, fmt.Sprintf("Note over %s: resumes", b))
	case model.PreferredElection:
		out = append(out, "Note over C: preferred-replica election")
	case model.Elect:
		out = append(out, "Note over C: applies the new setting")
	case model.EnableUnclean:
		out = append(out, "Note over C: operator sets unclean.leader.election.enable=true")
	}
	if ca, cb := after.Ctrl, before.Ctrl; ca.Leader != cb.Leader || ca.Epoch != cb.Epoch {
		switch {
		case ca.Leader == model.None:
			out = append(out, "Note over C: partition offline, no eligible replica")
		case cb.ISR.Has(ca.Leader):
			out = append(out, fmt.Sprintf("Note over C: leader broker %d, epoch %d (clean)", ca.Leader, ca.Epoch))
		default:
			out = append(out, fmt.Sprintf("Note over C: leader broker %d, epoch %d (UNCLEAN, ISR was %s)", ca.Leader, ca.Epoch, mset(cb.ISR)))
		}
	} else if after.Ctrl.ISR != before.Ctrl.ISR && a.Kind != model.ShrinkISR && a.Kind != model.ExpandISR {
		out = append(out, fmt.Sprintf("Note over C: ISR %s", mset(after.Ctrl.ISR)))
	}
	acks()
	return out
}
