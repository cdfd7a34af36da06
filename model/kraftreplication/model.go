// Package kraftreplication is a port to Go of the public TLA+
// specifications of Kafka's partition replication under the KRaft
// controller, Vanlightly/kafka-tlaplus: kafka_data_replication/kraft/v3.5
// (kafka_replication_v3_5.tla with v3_5_types, v3_5_functions,
// v3_5_properties and network) and kafka_data_replication/kraft/kip-966
// (kafka_replication_kip_966.tla and its kip_966_* modules), the latter
// adding KIP-966's eligible leader replicas.
//
// It exists to cross-check electcheck's explorer against TLC. A state here
// is a state of the specification, every variable with its TLA+ value
// domain; its identity (View) is TLC's under the specification's own VIEW,
// which leaves out messages_discard and the auxiliary variables aux_ctrs,
// aux_flo and aux_broker_epoch: two states with equal views are one state,
// and the search keeps the first one found, as TLC does. The actions
// enumerate exactly the bindings TLC enumerates, one generated state each,
// so that distinct states, generated states, depth and shortest
// counterexamples can be compared one to one. Every function cites the
// TLA+ operator it implements.
//
// Like package model it is pure: no clocks, randomness, goroutines or I/O.
package kraftreplication

import (
	"fmt"
	"strings"
)

// Variant is the specification checked.
type Variant uint8

const (
	// V35 is kafka_data_replication/kraft/v3.5: Kafka 3.5's replication
	// protocol with the KRaft controller.
	V35 Variant = iota
	// KIP966 is kafka_data_replication/kraft/kip-966: the same with
	// KIP-966's eligible leader replicas (ELR) and broker epochs kept
	// across clean shutdowns.
	KIP966
	numVariants
)

var variantNames = [numVariants]string{"v3.5", "kip-966"}
var variantModules = [numVariants]string{"kafka_replication_v3_5", "kafka_replication_kip_966"}

func (v Variant) String() string { return variantNames[v] }

// Module is the TLA+ module the variant ports.
func (v Variant) Module() string { return variantModules[v] }

// Variants lists the variants' names.
func Variants() []string { return variantNames[:] }

// ParseVariant reads a variant name.
func ParseVariant(s string) (Variant, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for i, n := range variantNames {
		if name == n {
			return Variant(i), nil
		}
	}
	return 0, fmt.Errorf("unknown variant %q: kraft-replication has %s", s, strings.Join(variantNames[:], ", "))
}

// Model is one variant under one set of constants.
type Model struct {
	v      Variant
	c      Constants
	n      Broker
	values []string
}

// New builds the model, refusing constants out of the specification's
// ASSUMEs or the representation's limits.
func New(v Variant, c Constants) (*Model, error) {
	if v >= numVariants {
		return nil, fmt.Errorf("unknown variant %d", v)
	}
	if err := c.Validate(v); err != nil {
		return nil, err
	}
	return &Model{v: v, c: c, n: Broker(c.BrokerCount), values: c.ValueNames()}, nil
}

// Variant is the model's variant.
func (m *Model) Variant() Variant { return m.v }

// Constants are the model's constants.
func (m *Model) Constants() Constants { return m.c }

// Brokers is BrokerCount.
func (m *Model) Brokers() int { return int(m.n) }

// ValueName is the name of model value v of Values.
func (m *Model) ValueName(v int8) string { return m.values[v] }

// lossyLimit and safeLimit are the shutdown limits of the variant:
// DataLossShutdownLimit and NoDataLossShutdownLimit, or
// UncleanShutdownLimit and CleanShutdownLimit.
func (m *Model) lossyLimit() int {
	if m.v == KIP966 {
		return m.c.DataLossShutdownLimit
	}
	return m.c.UncleanShutdownLimit
}

func (m *Model) safeLimit() int {
	if m.v == KIP966 {
		return m.c.NoDataLossShutdownLimit
	}
	return m.c.CleanShutdownLimit
}

// Init is the specification's Init. The CHOOSEs of the initial replica set
// and ISR take the first subset in TLC's order (smaller sets first, then
// by their elements) that holds broker 1: brokers 1..InitReplicationFactor
// and 1..InitIsrSize. If the ISR is smaller than the replica set, the
// partition epoch starts at 2, and the replicas outside the ISR start
// fenced, with a stale partition epoch and no metadata log.
func (m *Model) Init() []State {
	var s State
	all := Set(1<<m.n - 1)
	replicas := Set(1<<m.c.InitReplicationFactor - 1)
	isr := Set(1<<m.c.InitIsrSize - 1)
	partEpoch := int8(2)
	if m.c.InitIsrSize == m.c.InitReplicationFactor {
		partEpoch = 1
	}
	s.Part = PartitionMetadata{Replicas: replicas, ISR: isr, Leader: 0, LeaderEpoch: 1, PartitionEpoch: partEpoch}
	s.MetaLog[0], s.MetaLen = s.Part, 1
	s.Unfenced = all &^ (replicas &^ isr)
	for b := range m.n {
		s.Reg[b] = Registration{Fenced: !s.Unfenced.Has(b), BrokerEpoch: b + 1, Incarn: b + 1}
		s.Broker[b] = BrokerState{Status: Running, BrokerEpoch: b + 1, Incarn: b + 1, Registered: true}
		if b != 0 {
			s.Fetchers[b][0] = Fetcher{Added: true, FetchOffset: 1}
		}
		if s.Unfenced.Has(b) {
			s.BrokerLog[b] = 1
		}
		switch {
		case b == 0:
			s.Role[b] = Leader
		case replicas.Has(b):
			s.Role[b] = Follower
		}
		switch {
		case !replicas.Has(b):
			s.Meta[b] = blankMetadata
		case isr.Has(b):
			s.Meta[b] = ReplicaMetadata{Replicas: replicas, ISR: isr, MaximalISR: isr, Leader: 0, LeaderEpoch: 1, PartitionEpoch: partEpoch}
		default:
			s.Meta[b] = ReplicaMetadata{Replicas: replicas, ISR: replicas, MaximalISR: replicas, Leader: 0, LeaderEpoch: 1, PartitionEpoch: 1}
		}
		s.Data[b] = PartitionData{HWM: 1, LEO: 1}
		s.LESO[b] = Nil
		for b1 := range m.n {
			s.Peers[b][b1] = blankPeer
		}
		s.FLO[b] = intMax
	}
	s.LESO[0] = 1
	s.AuxBrokerEpoch = int8(m.n)
	s.Ctrs.Incarn = int8(m.n) + 1
	s.TrueHWM = 1
	return []State{s}
}
