package render

import (
	"strconv"

	kraft "electcheck/model/kraftreplication"
)

// Kraft renders the KRaft port's states and actions.
type Kraft struct{ M *kraft.Model }

// Describe is kraftreplication's text form.
func (k Kraft) Describe(s *kraft.State) string { return k.M.Describe(s) }

// ActionText names the TLA+ action and its bindings.
func (k Kraft) ActionText(a kraft.Action) string { return k.M.Format(a) }

// StateView is the JSON form of the specification's variables.
func (k Kraft) StateView(s *kraft.State) any { return ViewKraftState(k.M, s) }

// KraftConfig is the trace-file configuration of the KRaft port: the
// variant and every constant, under its TLA+ name in snake case.
func KraftConfig(v kraft.Variant, c kraft.Constants) map[string]string {
	n := strconv.Itoa
	cfg := map[string]string{
		"variant": v.String(), "broker_count": n(c.BrokerCount), "init_replication_factor": n(c.InitReplicationFactor),
		"values": c.Values, "min_isr": n(c.MinISR), "init_isr_size": n(c.InitIsrSize),
		"fence_broker_limit": n(c.FenceBrokerLimit), "leader_shrink_isr_limit": n(c.LeaderShrinkIsrLimit),
		"reassignment_limit": n(c.ReassignmentLimit),
	}
	if v == kraft.KIP966 {
		cfg["no_data_loss_shutdown_limit"] = n(c.NoDataLossShutdownLimit)
		cfg["data_loss_shutdown_limit"] = n(c.DataLossShutdownLimit)
	} else {
		cfg["clean_shutdown_limit"] = n(c.CleanShutdownLimit)
		cfg["unclean_shutdown_limit"] = n(c.UncleanShutdownLimit)
		cfg["avoid_last_replica_standing"] = strconv.FormatBool(c.AvoidLastReplicaStanding)
	}
	return cfg
}

// KraftStateView is a state of the specification, variable by variable;
// brokers are keyed by their ids ("1", "2"), Nil and NoLeader print as
// the strings "Nil" and "NoLeader", records as value@offset/epoch,
// messages as the action text prints them.
type KraftStateView struct {
	ConUnfenced          []int                      `json:"con_unfenced"`
	ConBrokerReg         map[string]string          `json:"con_broker_reg"`
	ConPartitionMetadata string                     `json:"con_partition_metadata"`
	ConMetadataLogLength int                        `json:"con_metadata_log_length"`
	Brokers              map[string]KraftBrokerView `json:"brokers"`
	Messages             []string                   `json:"messages"`
	InvSent              string                     `json:"inv_sent"`
	InvPosAcked          string                     `json:"inv_pos_acked"`
	InvNegAcked          string                     `json:"inv_neg_acked"`
	InvTrueHWM           int                        `json:"inv_true_hwm"`
	InvConsumed          []string                   `json:"inv_consumed"`
	Fault                string                     `json:"fault,omitempty"`
}

// KraftBrokerView is one broker: broker_state, broker_metadata_log's
// length, and its partition replica (partition_status, partition_data,
// partition_leso, partition_metadata).
type KraftBrokerView struct {
	Status            string   `json:"status"`
	BrokerEpoch       int      `json:"broker_epoch"`
	Registered        bool     `json:"registered"`
	MetadataLogLength int      `json:"metadata_log_length"`
	PartitionStatus   string   `json:"partition_status"`
	Log               []string `json:"log"`
	HWM               int      `json:"hwm"`
	LEO               int      `json:"leo"`
	LESO              string   `json:"leso"`
	Metadata          string   `json:"partition_metadata"`
}

// ViewKraftState is the JSON form of s. The text of Describe carries
// every variable; this view carries what a reader of a trace compares
// step to step.
func ViewKraftState(m *kraft.Model, s *kraft.State) KraftStateView {
	v := KraftStateView{
		ConUnfenced: []int{}, ConBrokerReg: map[string]string{}, ConMetadataLogLength: int(s.MetaLen),
		Brokers: map[string]KraftBrokerView{}, Messages: []string{}, InvSent: m.ValueSetText(s.Sent),
		InvPosAcked: m.ValueSetText(s.PosAcked), InvNegAcked: m.ValueSetText(s.NegAcked), InvTrueHWM: int(s.TrueHWM),
		InvConsumed: []string{},
	}
	v.ConPartitionMetadata = m.PartitionText(&s.Part)
	for b := range kraft.Broker(m.Brokers()) {
		id := kraft.BrokerName(b)
		if s.Unfenced.Has(b) {
			v.ConUnfenced = append(v.ConUnfenced, int(b)+1)
		}
		r := s.Reg[b]
		status := "UNFENCED"
		if r.Fenced {
			status = "FENCED"
		}
		v.ConBrokerReg[id] = status + " epoch " + strconv.Itoa(int(r.BrokerEpoch)) + " incarnation " + strconv.Itoa(int(r.Incarn))
		d := s.Data[b]
		log := []string{}
		for _, rec := range d.Log[:d.Len] {
			log = append(log, m.RecordText(rec))
		}
		leso := "Nil"
		if s.LESO[b] != kraft.Nil {
			leso = strconv.Itoa(int(s.LESO[b]))
		}
		bs := s.Broker[b]
		md := s.Meta[b]
		v.Brokers[id] = KraftBrokerView{
			Status: bs.Status.String(), BrokerEpoch: int(bs.BrokerEpoch), Registered: bs.Registered,
			MetadataLogLength: int(s.BrokerLog[b]), PartitionStatus: s.Role[b].String(), Log: log,
			HWM: int(d.HWM), LEO: int(d.LEO), LESO: leso,
			Metadata: "leader " + kraft.BrokerName(md.Leader) + ", leader_epoch " + strconv.Itoa(int(md.LeaderEpoch)) +
				", partition_epoch " + strconv.Itoa(int(md.PartitionEpoch)) + ", isr " + md.ISR.String() + ", maximal_isr " + md.MaximalISR.String(),
		}
	}
	for i := range s.NMsgs {
		v.Messages = append(v.Messages, m.MessageText(&s.Msgs[i]))
	}
	for _, rec := range s.Consumed[:s.NConsumed] {
		v.InvConsumed = append(v.InvConsumed, m.RecordText(rec))
	}
	if s.Fault != kraft.NoFault {
		v.Fault = s.Fault.String()
	}
	return v
}
