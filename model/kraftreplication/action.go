package kraftreplication

import (
	"fmt"
	"strings"
)

// Kind is a disjunct of Next; its TLA+ name depends on the variant only
// for the two shutdowns.
type Kind uint8

const (
	BrokerStart Kind = iota
	ReceiveBrokerRegResponse
	ReceiveMetadataUpdate
	SendAlterPartitionRequest
	ReceiveAlterPartitionResponse
	SendFetchRequest
	ReceiveFetchRequest
	ReceiveFetchResponse
	WriteRecordToLeader
	LossyShutdown // DataLossShutdown (kip-966), UncleanShutdown (v3.5)
	SafeShutdown  // NoDataLossShutdown (kip-966), CleanShutdown (v3.5)
	ReceiveBrokerRegRequest
	ReceiveAlterPartitionRequest
	FenceBroker
	UnfenceBroker
	PerformPartitionReassignment
	numKinds
)

// KindNames are the TLA+ action names of the variant's Next, indexed by
// Kind, in the order Next lists them.
func (m *Model) KindNames() []string {
	lossy, safe := "DataLossShutdown", "NoDataLossShutdown"
	if m.v == V35 {
		lossy, safe = "UncleanShutdown", "CleanShutdown"
	}
	return []string{"BrokerStart", "ReceiveBrokerRegResponse", "ReceiveMetadataUpdate", "SendAlterPartitionRequest",
		"ReceiveAlterPartitionResponse", "SendFetchRequest", "ReceiveFetchRequest", "ReceiveFetchResponse",
		"WriteRecordToLeader", lossy, safe, "ReceiveBrokerRegRequest", "ReceiveAlterPartitionRequest",
		"FenceBroker", "UnfenceBroker", "PerformPartitionReassignment"}
}

// Configured reports whether the constants let actions of kind k happen at
// all: a limit of 0 disables its action.
func (m *Model) Configured(k Kind) bool {
	switch k {
	case LossyShutdown:
		return m.lossyLimit() > 0
	case SafeShutdown:
		return m.safeLimit() > 0
	case FenceBroker:
		return m.c.FenceBrokerLimit > 0
	case PerformPartitionReassignment:
		return m.c.ReassignmentLimit > 0
	}
	return true
}

// KindOf is an action's kind, for coverage.
func KindOf(a Action) int { return int(a.Kind) }

// noChoice marks an action without the controller's choice of leader.
const noChoice = -2

// Action is one binding of one disjunct of Next: the unit TLC counts a
// generated state for. B is \E b \in Brokers (unused by
// PerformPartitionReassignment); Msg the message m of \E m \in Messages,
// by value; Arg the action's own quantifier (md_offset of
// ReceiveMetadataUpdate, to of SendFetchRequest, v of WriteRecordToLeader
// as an index into Values, timed_out_isr of SendAlterPartitionRequest as a
// set, is_clean_shutdown of NoDataLossShutdown as 0 or 1, adding of
// PerformPartitionReassignment as a set) and Arg2 removing; Leader the
// leader the controller chose where it chooses one (candidate of
// MaybeUpdatePartitionOnBrokerChange, new_leader of
// ReceiveAlterPartitionRequest and PerformPartitionReassignment), which
// may be NoLeader, or noChoice; Alt which of the ways the action holds it
// takes, where it holds in several.
type Action struct {
	Kind   Kind
	B      Broker
	Arg    int8
	Arg2   int8
	Leader Broker
	Alt    int8 // the way the action holds, where several do (see Actions)
	Msg    Message
}

// hasMsg reports whether the kind binds a message.
func (k Kind) hasMsg() bool {
	switch k {
	case ReceiveBrokerRegResponse, ReceiveAlterPartitionResponse, ReceiveFetchRequest, ReceiveFetchResponse,
		ReceiveBrokerRegRequest, ReceiveAlterPartitionRequest:
		return true
	}
	return false
}

// Format prints the action with its TLA+ name and bindings, brokers by
// their ids: "ReceiveFetchRequest(b = 1, m = FetchRequest(2 -> 1, ...))",
// "FenceBroker(b = 1, leader = 2)".
func (m *Model) Format(a Action) string {
	name := m.KindNames()[a.Kind]
	var args []string
	if a.Kind != PerformPartitionReassignment {
		args = append(args, "b = "+BrokerName(a.B))
	}
	switch a.Kind {
	case ReceiveMetadataUpdate:
		args = append(args, fmt.Sprintf("md_offset = %d", a.Arg))
	case SendAlterPartitionRequest:
		if a.Arg >= 0 {
			args = append(args, "timed_out_isr = "+Set(a.Arg).String())
		}
	case SendFetchRequest:
		args = append(args, "to = "+BrokerName(a.Arg))
	case WriteRecordToLeader:
		args = append(args, "v = "+m.values[a.Arg])
	case SafeShutdown:
		if m.v == KIP966 {
			args = append(args, "is_clean_shutdown = "+strings.ToUpper(fmt.Sprint(a.Arg == 1)))
		}
	case PerformPartitionReassignment:
		args = append(args, "adding = "+Set(a.Arg).String(), "removing = "+Set(a.Arg2).String())
	}
	if a.Kind.hasMsg() {
		args = append(args, "m = "+m.MessageText(&a.Msg))
	}
	if a.Leader != noChoice {
		args = append(args, "leader = "+BrokerName(a.Leader))
	}
	if a.Alt > 0 {
		args = append(args, fmt.Sprintf("disjunct %d", a.Alt+1))
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}

// FindAction reads the text Format writes for an action enabled in s. A
// binding of \E m \in Messages is a message of s, so an action's text is
// read against the state it is taken in.
func (m *Model) FindAction(s *State, text string) (Action, error) {
	open := strings.IndexByte(text, '(')
	if open < 0 || !strings.HasSuffix(text, ")") {
		return Action{}, fmt.Errorf("malformed %s action %q: write Name(arguments), as in FenceBroker(b = 1)", m.v.Module(), text)
	}
	known := false
	for _, n := range m.KindNames() {
		known = known || n == text[:open]
	}
	if !known {
		return Action{}, fmt.Errorf("malformed action %q: %s has no action %s", text, m.v.Module(), text[:open])
	}
	for _, a := range m.Actions(s, nil) {
		if m.Format(a) == text {
			return a, nil
		}
	}
	return Action{}, fmt.Errorf("%s is not enabled", text)
}

// MessageText prints a message compactly: its type, source -> dest, and
// its other fields by their TLA+ names.
func (m *Model) MessageText(msg *Message) string {
	end := func(b Broker) string {
		if b == NoLeader {
			return "Controller"
		}
		return BrokerName(b)
	}
	f := []string{end(msg.Source) + " -> " + end(msg.Dest)}
	add := func(name string, v any) { f = append(f, fmt.Sprintf("%s %v", name, v)) }
	switch msg.Type {
	case RegisterBrokerRequest:
		if m.v == KIP966 {
			add("broker_epoch", msg.BrokerEpoch)
		}
		add("incarnation_id", msg.Incarn)
	case RegisterBrokerResponse:
		add("broker_epoch", msg.BrokerEpoch)
		add("incarnation_id", msg.Incarn)
		add("metadata_offset", msg.MetadataOffset)
	case AlterPartitionRequest:
		f = append(f, m.apRequestFields(&msg.AP)...)
	case AlterPartitionResponse:
		add("error", msg.Err)
		if msg.Err == ErrNil {
			add("replicas", msg.Replicas)
			add("isr", msg.ISR)
			add("leader", BrokerName(msg.Leader))
			add("leader_epoch", msg.LeaderEpoch)
			add("partition_epoch", msg.PartitionEpoch)
		}
		add("request", "["+strings.Join(m.apRequestFields(&msg.AP), ", ")+"]")
	case FetchRequest:
		add("broker_epoch", msg.BrokerEpoch)
		add("leader_epoch", msg.LeaderEpoch)
		add("fetch_offset", msg.FetchOffset)
		add("last_fetched_epoch", msg.LastFetched)
	case FetchResponse:
		add("error", msg.Err)
		add("leader_epoch", msg.LeaderEpoch)
		add("fetch_offset", msg.FetchOffset)
		add("hwm", msg.HWM)
		if msg.Diverging {
			add("diverging_epoch", fmt.Sprintf("[epoch %d, end_offset %s]", msg.DivEpoch, offsetName(msg.DivOffset)))
		}
		if msg.HasRecord {
			add("records", "<<"+m.RecordText(msg.Record)+">>")
		}
	}
	return msg.Type.String() + "(" + strings.Join(f, ", ") + ")"
}

func (m *Model) apRequestFields(r *APRequest) []string {
	var epochs []string
	for b := range m.n {
		if r.ISR.Has(b) {
			epochs = append(epochs, fmt.Sprintf("%s :> %d", BrokerName(b), r.Epochs[b]))
		}
	}
	return []string{"isr " + r.ISR.String(), "isr_and_epochs (" + strings.Join(epochs, " @@ ") + ")",
		"leader " + BrokerName(r.Leader), fmt.Sprintf("leader_epoch %d", r.LeaderEpoch),
		fmt.Sprintf("partition_epoch %d", r.PartitionEpoch), fmt.Sprintf("broker_epoch %d", r.BrokerEpoch)}
}

// RecordText prints a partition record as value@offset/epoch: A@1/1.
func (m *Model) RecordText(r Record) string {
	return fmt.Sprintf("%s@%d/%d", m.values[r.Value], r.Offset, r.Epoch)
}

// offsetName prints an offset that may be Nil.
func offsetName(o int8) string {
	if o == Nil {
		return "Nil"
	}
	return fmt.Sprint(o)
}
