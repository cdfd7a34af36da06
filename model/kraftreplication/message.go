package kraftreplication

import "bytes"

// MsgType is a message's type field.
type MsgType uint8

const (
	noMsg MsgType = iota
	RegisterBrokerRequest
	RegisterBrokerResponse
	AlterPartitionRequest
	AlterPartitionResponse
	FetchRequest
	FetchResponse
)

var msgTypeNames = [...]string{"-", "RegisterBrokerRequest", "RegisterBrokerResponse", "AlterPartitionRequest",
	"AlterPartitionResponse", "FetchRequest", "FetchResponse"}

func (t MsgType) String() string { return msgTypeNames[t] }

// ErrCode is a response's error field: Nil or one of the error constants.
type ErrCode uint8

const (
	ErrNil ErrCode = iota
	ErrFencedLeaderEpoch
	ErrIneligibleReplica
	ErrUnknownLeaderEpoch
	ErrNotLeaderOrFollower
)

var errNames = [...]string{"Nil", "FencedLeaderEpoch", "IneligibleReplica", "UnknownLeaderEpoch", "NotLeaderOrFollower"}

func (e ErrCode) String() string { return errNames[e] }

// APRequest is an AlterPartitionRequest: [type, isr, isr_and_epochs,
// leader, leader_epoch, partition_epoch, broker_epoch, source, dest]; dest
// is always Controller. Epochs is isr_and_epochs, a function on ISR:
// Epochs[b] is zero for b outside ISR.
type APRequest struct {
	ISR                                      Set
	Epochs                                   [MaxBrokers]int8
	Leader                                   Broker
	LeaderEpoch, PartitionEpoch, BrokerEpoch int8
	Source                                   Broker
}

// Message is one of the specification's six message records. Source and
// Dest are brokers or NoLeader for Controller; the other fields are those
// of the message's type, and zero otherwise, so that equal records are
// equal structs:
//
//   - RegisterBrokerRequest: BrokerEpoch (kip-966 only), Incarn; broker_id
//     is Source.
//   - RegisterBrokerResponse: BrokerEpoch, Incarn, MetadataOffset.
//   - AlterPartitionRequest: AP.
//   - AlterPartitionResponse: AP (its request field), Err, and on success
//     Replicas, ISR, Leader, LeaderEpoch, PartitionEpoch.
//   - FetchRequest: BrokerEpoch, LeaderEpoch, FetchOffset,
//     LastFetchedEpoch.
//   - FetchResponse: Err, LeaderEpoch, FetchOffset, HWM, Diverging
//     (diverging_epoch, [epoch, end_offset] or Nil), HasRecord and Record
//     (records, <<Record>> or <<>>). The response of the OK case carries a
//     seventh field, type, in its partition record; it is the only case
//     with both error and diverging_epoch Nil, so nothing is lost by not
//     storing it.
type Message struct {
	Type           MsgType
	Source, Dest   Broker
	BrokerEpoch    int8
	Incarn         int8
	MetadataOffset int8
	AP             APRequest
	Err            ErrCode
	Replicas, ISR  Set
	Leader         Broker
	LeaderEpoch    int8
	PartitionEpoch int8
	FetchOffset    int8
	LastFetched    int8
	HWM            int8
	Diverging      bool
	DivEpoch       int8
	DivOffset      int8
	HasRecord      bool
	Record         Record
}

// msgKeyLen is the length of a message's key.
const msgKeyLen = 20 + MaxBrokers + 8

// key is the message's canonical bytes: equal messages, equal keys, and
// the order of the messages set.
func (m *Message) key() [msgKeyLen]byte {
	var k [msgKeyLen]byte
	b := func(x bool) byte {
		if x {
			return 1
		}
		return 0
	}
	a := &m.AP
	p := []byte{byte(m.Type), byte(m.Source + 1), byte(m.Dest + 1), byte(m.BrokerEpoch), byte(m.Incarn), byte(m.MetadataOffset),
		byte(a.ISR), byte(a.Leader + 1), byte(a.LeaderEpoch), byte(a.PartitionEpoch), byte(a.BrokerEpoch), byte(a.Source + 1),
		byte(m.Err), byte(m.Replicas), byte(m.ISR), byte(m.Leader + 1), byte(m.LeaderEpoch), byte(m.PartitionEpoch),
		byte(m.FetchOffset), byte(m.LastFetched)}
	n := copy(k[:], p)
	for i := range MaxBrokers {
		k[n+i] = byte(a.Epochs[i])
	}
	n += MaxBrokers
	copy(k[n:], []byte{byte(m.HWM), b(m.Diverging), byte(m.DivEpoch), byte(m.DivOffset), b(m.HasRecord),
		byte(m.Record.Epoch), byte(m.Record.Offset), byte(m.Record.Value)})
	return k
}

// less orders messages by key.
func (m *Message) less(o *Message) bool {
	a, b := m.key(), o.key()
	return bytes.Compare(a[:], b[:]) < 0
}

// messages returns the set of messages in flight.
func (s *State) messages() []Message { return s.Msgs[:s.NMsgs] }

// indexOf returns m's position in the messages set, or -1.
func (s *State) indexOf(m *Message) int {
	for i := range s.NMsgs {
		if s.Msgs[i] == *m {
			return int(i)
		}
	}
	return -1
}

// send adds m to the messages set (SendFunc with a delivery count of 1:
// a message already in flight stays once).
func (t *State) send(m Message) {
	if t.indexOf(&m) >= 0 {
		return
	}
	if int(t.NMsgs) == MaxMessages {
		t.Fault = FaultCapacity
		return
	}
	i := int(t.NMsgs)
	for i > 0 && m.less(&t.Msgs[i-1]) {
		t.Msgs[i] = t.Msgs[i-1]
		i--
	}
	t.Msgs[i] = m
	t.NMsgs++
}

// remove takes m out of the messages set (DiscardFunc), if it is there.
func (t *State) remove(m *Message) {
	i := t.indexOf(m)
	if i < 0 {
		return
	}
	copy(t.Msgs[i:], t.Msgs[i+1:t.NMsgs])
	t.NMsgs--
	t.Msgs[t.NMsgs] = Message{}
}

// discard is Discard(m): the message leaves the network for
// messages_discard, of which the port keeps the AlterPartition requests.
func (t *State) discard(m *Message) {
	t.remove(m)
	if m.Type == AlterPartitionRequest {
		t.addDiscarded(m.AP)
	}
}

// reply is Reply(d, m): d is discarded and m sent.
func (t *State) reply(d *Message, m Message) {
	t.discard(d)
	t.send(m)
}

func (t *State) addDiscarded(r APRequest) {
	for i := range t.NDiscarded {
		if t.Discarded[i] == r {
			return
		}
	}
	if int(t.NDiscarded) == MaxDiscard {
		t.Fault = FaultCapacity
		return
	}
	t.Discarded[t.NDiscarded] = r
	t.NDiscarded++
}

// previouslySent is PreviouslySent for an AlterPartition request, by
// disjunct: in messages, in messages_discard.
func (s *State) previouslySent(r *APRequest) (inFlight, discarded bool) {
	m := apRequestMessage(*r)
	inFlight = s.indexOf(&m) >= 0
	for i := range s.NDiscarded {
		discarded = discarded || s.Discarded[i] == *r
	}
	return inFlight, discarded
}

// apRequestMessage is the AlterPartitionRequest message r.
func apRequestMessage(r APRequest) Message {
	return Message{Type: AlterPartitionRequest, Source: r.Source, Dest: NoLeader, AP: r}
}
