// Package render prints the traces of electcheck's two models: the Kafka
// partition (model) and the port of the TLA+ specification
// (model/tlareplication). For each it gives the history.Renderer (state
// text, action text, JSON views) and, for the Kafka model, the
// explanations, sequence diagrams and client histories of its steps, and
// the trace-file form of a configuration. Package history itself knows no
// model.
package render

import (
	"electcheck/model"
)

// Kafka renders the main model's states and actions.
type Kafka struct{ M *model.Model }

// Describe is model.Describe.
func (k Kafka) Describe(s *model.State) string { return k.M.Describe(s) }

// ActionText is the action's canonical text.
func (k Kafka) ActionText(a model.Action) string { return a.String() }

// StateView is ViewState.
func (k Kafka) StateView(s *model.State) any { return ViewState(k.M, s) }

// StateView is the JSON form of a model state. It carries every field of
// the state, ghost state included, under names a script can rely on.
type StateView struct {
	Brokers    []BrokerView   `json:"brokers"`
	Controller ControllerView `json:"controller"`
	Records    []RecordView   `json:"records"`
	// TrueHW is the highest high watermark a current leader exposed, and
	// Committed the entries below it as exposed (ghost state).
	TrueHW    int         `json:"true_hw"`
	Committed []EntryView `json:"committed"`
	// ConsumerRead are the records the consumer read at offsets 0, 1, ...
	ConsumerRead []string   `json:"consumer_read"`
	FaultsUsed   FaultsView `json:"faults_used"`
}

// BrokerView is one broker.
type BrokerView struct {
	ID     int    `json:"id"`
	Status string `json:"status"` // up, paused, crashed, power-lost, disk-lost, shut-down
	// Epoch and Leader are the partition metadata the broker last applied
	// (Leader 0: none known).
	Epoch  int `json:"epoch"`
	Leader int `json:"leader"`
	// ISR and FollowerOffsets are what a broker that believes it leads
	// uses: its ISR, and each follower's last fetch offset (index i is
	// broker i+1).
	ISR             []int `json:"isr,omitempty"`
	FollowerOffsets []int `json:"follower_offsets,omitempty"`
	// FetchedFollowers are the followers that fetched in this leadership;
	// the others' offsets are unknown to the leader.
	FetchedFollowers []int `json:"fetched_followers,omitempty"`
	// ProposedISR is an ISR change the leader has asked the controller
	// for and not yet heard back about (KIP-497).
	ProposedISR []int `json:"proposed_isr,omitempty"`
	// Truncating: the follower will look up where its log diverges before
	// it fetches (KIP-101, before KIP-320).
	Truncating bool        `json:"truncating,omitempty"`
	LEO        int         `json:"leo"`
	HW         int         `json:"hw"`
	Flushed    int         `json:"flushed"`
	Log        []EntryView `json:"log"`
}

// EntryView is a log entry.
type EntryView struct {
	Offset int    `json:"offset"`
	Record string `json:"record"`
	Epoch  int    `json:"epoch"`
}

// ControllerView is the controller's partition metadata (Leader 0: offline).
type ControllerView struct {
	Leader int   `json:"leader"`
	Epoch  int   `json:"epoch"`
	ISR    []int `json:"isr"`
	Live   []int `json:"live"`
	// ELR are the eligible leader replicas (KIP-966), and LastKnownLeader
	// the last known leader while the partition has none (0: none).
	ELR             []int `json:"elr,omitempty"`
	LastKnownLeader int   `json:"last_known_leader,omitempty"`
	// UncleanEnabled: an operator set unclean.leader.election.enable=true
	// mid-run.
	UncleanEnabled bool `json:"unclean_enabled,omitempty"`
	// Terms are the older epochs a broker may still apply late.
	Terms []TermView `json:"terms,omitempty"`
}

// TermView is the metadata of an older epoch.
type TermView struct {
	Epoch  int   `json:"epoch"`
	Leader int   `json:"leader"`
	ISR    []int `json:"isr"`
}

// RecordView is what the producer learned about one record.
type RecordView struct {
	Record string `json:"record"`
	Fate   string `json:"fate"` // sent, pending, acked, refused, failed-after-append, leader-lost
	// Offset and Leader say where the record was appended (absent if it
	// was refused).
	Offset *int `json:"offset,omitempty"`
	Leader int  `json:"leader,omitempty"`
}

// FaultsView counts the faults spent.
type FaultsView struct {
	Crashes        int `json:"crashes"`
	PowerLosses    int `json:"power_losses"`
	DiskLosses     int `json:"disk_losses"`
	CleanShutdowns int `json:"clean_shutdowns"`
	Pauses         int `json:"pauses"`
	// CorrelatedPowerLosses is left out while 0: traces recorded before
	// the fault existed read the same.
	CorrelatedPowerLosses int `json:"correlated_power_losses,omitempty"`
}

var statusNames = map[model.Status]string{
	model.Up: "up", model.Paused: "paused", model.Crashed: "crashed",
	model.PowerLost: "power-lost", model.DiskLost: "disk-lost", model.ShutDown: "shut-down",
}

var fateNames = map[model.Fate]string{
	model.Unsent: "unsent", model.Sent: "sent", model.Pending: "pending", model.Acked: "acked",
	model.Refused: "refused", model.FailedAfterAppend: "failed-after-append", model.LeaderLost: "leader-lost",
}

// ViewState is the JSON form of s.
func ViewState(m *model.Model, s *model.State) StateView {
	rf := m.RF()
	v := StateView{
		Controller: ControllerView{
			Leader: int(s.Ctrl.Leader), Epoch: int(s.Ctrl.Epoch),
			ISR: members(s.Ctrl.ISR, rf), Live: members(s.Ctrl.Live, rf), UncleanEnabled: s.Ctrl.UncleanEnabled,
			LastKnownLeader: int(s.Ctrl.LastLeader),
		},
		Records:      []RecordView{},
		TrueHW:       int(s.Ghost.TrueHW),
		Committed:    entryViews(s.Ghost.Committed[:s.Ghost.TrueHW]),
		ConsumerRead: []string{},
		FaultsUsed: FaultsView{int(s.Used.Crashes), int(s.Used.PowerLosses), int(s.Used.DiskLosses),
			int(s.Used.CleanShutdowns), int(s.Used.Pauses), int(s.Used.CorrelatedPowerLosses)},
	}
	if s.Ctrl.ELR != 0 {
		v.Controller.ELR = members(s.Ctrl.ELR, rf)
	}
	for e := m.OldestTerm(s); e < s.Ctrl.Epoch; e++ {
		t := s.Ctrl.History[e]
		v.Controller.Terms = append(v.Controller.Terms, TermView{int(e), int(t.Leader), members(t.ISR, rf)})
	}
	for id := model.BrokerID(1); int(id) <= rf; id++ {
		b := s.Broker(id)
		bv := BrokerView{
			ID: int(id), Status: statusNames[b.Status], Epoch: int(b.Epoch), Leader: int(b.Leader),
			LEO: int(b.LEO), HW: int(b.HW), Flushed: int(b.Flushed), Log: entryViews(b.Entries()),
		}
		if b.Leader == id {
			bv.ISR = members(b.ISR, rf)
			for f := range rf {
				bv.FollowerOffsets = append(bv.FollowerOffsets, int(b.Remote[f]))
			}
			bv.FetchedFollowers = members(b.Fetched, rf)
			if b.Proposed != 0 {
				bv.ProposedISR = members(b.Proposed, rf)
			}
		}
		bv.Truncating = b.Truncating
		v.Brokers = append(v.Brokers, bv)
	}
	g := &s.Ghost
	for k, r := range g.Records[:g.Produced] {
		rv := RecordView{Record: model.RecordID(k + 1).String(), Fate: fateNames[r.Fate]}
		if r.Fate != model.Refused && r.Fate != model.Unsent {
			off := int(r.Offset)
			rv.Offset, rv.Leader = &off, int(r.Leader)
		}
		v.Records = append(v.Records, rv)
	}
	for _, r := range g.Read[:g.Consumed] {
		v.ConsumerRead = append(v.ConsumerRead, r.String())
	}
	return v
}

func members(s model.Set, rf int) []int {
	out := []int{}
	for id := model.BrokerID(1); int(id) <= rf; id++ {
		if s.Has(id) {
			out = append(out, int(id))
		}
	}
	return out
}

func entryViews(es []model.Entry) []EntryView {
	out := make([]EntryView, len(es))
	for o, e := range es {
		out[o] = EntryView{Offset: o, Record: e.Rec.String(), Epoch: int(e.Epoch)}
	}
	return out
}
