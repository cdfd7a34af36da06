package kraftreplication

import (
	"fmt"
	"strings"
)

// Describe prints a state with the specification's variable names: the
// controller, then each broker (its broker state and its partition
// replica), the messages in flight, the invariant variables and the
// auxiliary ones:
//
//	controller: unfenced {1, 2}; partition leader 1, leader_epoch 1, partition_epoch 1, replicas {1, 2}, isr {1, 2}, elr {}, last_known_elr {}
//	  metadata log: 1 record; registrations: 1 UNFENCED epoch 1 incarnation 1, 2 UNFENCED epoch 2 incarnation 2
//	broker 1: RUNNING epoch 1 incarnation 1 registered, metadata log 1; Leader, log [A@1/1], hwm 1, leo 2, leso 1
//	  metadata: leader 1, leader_epoch 1, partition_epoch 1, replicas {1, 2}, isr {1, 2}, maximal_isr {1, 2}
//	  replica state: 2 leo 1 epoch 2; fetchers: none; pending AlterPartition: none
//	messages: FetchRequest(2 -> 1, broker_epoch 2, ...)
//	inv: sent {A}, pos_acked {}, neg_acked {}, true_hwm 1, consumed <<>>
//	aux: broker_epoch 2, incarn_ctr 3, ... flo 1 IntMax
//
// A record is value@offset/epoch.
func (m *Model) Describe(s *State) string {
	var sb strings.Builder
	p := &s.Part
	fmt.Fprintf(&sb, "controller: unfenced %s; partition %s\n", s.Unfenced, m.PartitionText(p))
	var regs []string
	for b := range m.n {
		r := s.Reg[b]
		status := "UNFENCED"
		if r.Fenced {
			status = "FENCED"
		}
		regs = append(regs, fmt.Sprintf("%s %s epoch %d incarnation %d", BrokerName(b), status, r.BrokerEpoch, r.Incarn))
	}
	fmt.Fprintf(&sb, "  metadata log length %d; registrations: %s\n", s.MetaLen, strings.Join(regs, ", "))
	for b := range m.n {
		m.describeBroker(&sb, s, b)
	}
	var msgs []string
	for i := range s.NMsgs {
		msgs = append(msgs, m.MessageText(&s.Msgs[i]))
	}
	if len(msgs) == 0 {
		msgs = []string{"{}"}
	}
	fmt.Fprintf(&sb, "messages: %s\n", strings.Join(msgs, "; "))
	var consumed []string
	for _, r := range s.Consumed[:s.NConsumed] {
		consumed = append(consumed, m.RecordText(r))
	}
	fmt.Fprintf(&sb, "inv: sent %s, pos_acked %s, neg_acked %s, true_hwm %d, consumed <<%s>>\n",
		m.ValueSetText(s.Sent), m.ValueSetText(s.PosAcked), m.ValueSetText(s.NegAcked), s.TrueHWM, strings.Join(consumed, ", "))
	k := s.Ctrs
	var flo []string
	for b := range m.n {
		flo = append(flo, offsetOrMax(s.FLO[b]))
	}
	fmt.Fprintf(&sb, "aux: broker_epoch %d, incarn_ctr %d, lossy_shutdown_ctr %d, safe_shutdown_ctr %d, fence_broker_ctr %d, leader_shrink_isr_ctr %d, reassignment_ctr %d, flo %s, discarded AlterPartition requests %d\n",
		s.AuxBrokerEpoch, k.Incarn, k.Lossy, k.Safe, k.Fence, k.Shrink, k.Reassign, strings.Join(flo, " "), s.NDiscarded)
	if s.Fault != NoFault {
		fmt.Fprintf(&sb, "fault: %s\n", s.Fault)
	}
	return sb.String()
}

// PartitionText prints the controller's partition metadata.
func (m *Model) PartitionText(p *PartitionMetadata) string {
	t := fmt.Sprintf("leader %s, leader_epoch %d, partition_epoch %d, replicas %s, isr %s",
		BrokerName(p.Leader), p.LeaderEpoch, p.PartitionEpoch, p.Replicas, p.ISR)
	if m.v == KIP966 {
		t += fmt.Sprintf(", elr %s, last_known_elr %s", p.ELR, p.LastKnownELR)
	}
	if p.Adding != 0 || p.Removing != 0 {
		t += fmt.Sprintf(", adding %s, removing %s", p.Adding, p.Removing)
	}
	return t
}

func (m *Model) describeBroker(sb *strings.Builder, s *State, b Broker) {
	bs := s.Broker[b]
	reg := ""
	if bs.Registered {
		reg = " registered"
	}
	d := &s.Data[b]
	var log []string
	for _, r := range d.Log[:d.Len] {
		log = append(log, m.RecordText(r))
	}
	fmt.Fprintf(sb, "broker %s: %s epoch %d incarnation %d%s, metadata log %d; %s, log [%s], hwm %d, leo %d, leso %s\n",
		BrokerName(b), bs.Status, bs.BrokerEpoch, bs.Incarn, reg, s.BrokerLog[b], s.Role[b], strings.Join(log, " "), d.HWM, d.LEO, offsetName(s.LESO[b]))
	md := &s.Meta[b]
	fmt.Fprintf(sb, "  metadata: leader %s, leader_epoch %d, partition_epoch %d, replicas %s, isr %s, maximal_isr %s\n",
		BrokerName(md.Leader), md.LeaderEpoch, md.PartitionEpoch, md.Replicas, md.ISR, md.MaximalISR)
	var peers, fetchers []string
	for b1 := range m.n {
		if p := s.Peers[b][b1]; p != blankPeer {
			peers = append(peers, fmt.Sprintf("%s leo %s epoch %d", BrokerName(b1), offsetName(p.LEO), p.BrokerEpoch))
		}
		f := s.Fetchers[b][b1]
		if f == (Fetcher{}) {
			continue
		}
		t := "to " + BrokerName(b1)
		if f.Added {
			t += fmt.Sprintf(" fetch_offset %d last_fetched_epoch %d", f.FetchOffset, f.LastFetchedEpoch)
			if f.Delayed {
				t += " delayed"
			}
		}
		if f.Pending {
			t += " pending"
		}
		fetchers = append(fetchers, t)
	}
	pending := "none"
	if pa := s.Pending[b]; pa.Has || pa.Epoch != 0 {
		pending = fmt.Sprintf("epoch %d", pa.Epoch)
		if pa.Has {
			pending += " [" + strings.Join(m.apRequestFields(&pa.Req), ", ") + "]"
		}
	}
	fmt.Fprintf(sb, "  replica state: %s; fetchers: %s; pending AlterPartition: %s\n", orNone(peers), orNone(fetchers), pending)
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func offsetOrMax(o int8) string {
	if o == intMax {
		return "IntMax"
	}
	return fmt.Sprint(o)
}

// ValueSetText prints a set of values: {A, B}.
func (m *Model) ValueSetText(vs ValueSet) string {
	var names []string
	for v := range int8(len(m.values)) {
		if vs.Has(v) {
			names = append(names, m.values[v])
		}
	}
	return "{" + strings.Join(names, ", ") + "}"
}
