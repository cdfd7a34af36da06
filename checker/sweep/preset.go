package sweep

import (
	"sort"
	"strings"

	"electcheck/checker"
	"electcheck/model"
)

// presets are the sweeps electcheck knows by name.
var presets = map[string]func() Spec{
	// durability: which configurations lose committed or acknowledged
	// data, and which go offline instead, across the releases where the
	// protocol changed: 0.10 (HW truncation), 2.0 (before KIP-320), 2.0.1
	// (three of 2.1's fixes backported), 2.1 (fenced fetches), 3.6
	// (ZooKeeper, the last release before strict min ISR), 3.9 (ZooKeeper
	// as shipped, without eligible leader replicas) and the newest (KRaft
	// with them). Three leader epochs, so KAFKA-7128's loss on 2.0 (it
	// needs a third leader) is in reach. The fault mixes keep the kinds
	// apart: two process crashes; one power loss; one disk loss; a crash
	// and a power loss, the edge of what eligible leader replicas tolerate.
	"durability": func() Spec {
		return Spec{
			Lists: map[string]string{
				"replication.factor":             "2,3",
				"min.insync.replicas":            "1..3",
				"acks":                           "1,all",
				"unclean.leader.election.enable": "false,true",
				"electcheck.kafka.version":       "0.10,2.0,2.0.1,2.1,3.6,3.9," + model.Latest.String(),
				"electcheck.records":             "2",
				"electcheck.max.leader.epoch":    "3",
			},
			Bundles: []Axis{{Name: "faults", Values: []AxisValue{
				{Label: "two-crashes", Settings: checker.Settings{"electcheck.crashes=2"}},
				{Label: "power-loss", Settings: checker.Settings{"electcheck.crashes=0", "electcheck.power.losses=1"}},
				{Label: "disk-loss", Settings: checker.Settings{"electcheck.crashes=0", "electcheck.disk.losses=1"}},
				{Label: "crash-and-power-loss", Settings: checker.Settings{"electcheck.crashes=1", "electcheck.power.losses=1"}},
			}}},
		}
	},
	// tradeoff: the durability-availability trade-off an operator
	// chooses on the newest release (KRaft, eligible leader replicas on):
	// replication factor, min ISR, acks, and the election policy: clean,
	// unclean, or clean until an operator enables unclean election after
	// the partition has been offline a while (--operator-unclean-after,
	// 30 minutes unless given). Two records and two crashes an incident,
	// as check's default. Measured (sweep --measure risk).
	"tradeoff": func() Spec {
		return Spec{
			Lists: map[string]string{
				"replication.factor":       "2,3",
				"min.insync.replicas":      "1..3",
				"acks":                     "1,all",
				"electcheck.kafka.version": model.Latest.String(),
			},
			Bundles: []Axis{{Name: "election", Values: []AxisValue{
				{Label: "clean", Settings: checker.Settings{"unclean.leader.election.enable=false", "electcheck.operator.may.enable.unclean=false"}},
				{Label: "operator", Settings: checker.Settings{"unclean.leader.election.enable=false", "electcheck.operator.may.enable.unclean=true"}},
				{Label: "unclean", Settings: checker.Settings{"unclean.leader.election.enable=true", "electcheck.operator.may.enable.unclean=false"}},
			}}},
		}
	},
	// histories: whether the client histories of random runs stay
	// linearizable, per election policy and acks, on three replicas with
	// three records, two crashes and no or one power loss: a cluster larger than
	// the exhaustive presets search. Simulated (PresetSimulation).
	"histories": func() Spec {
		return Spec{
			Lists: map[string]string{
				"acks":                     "0,1,all",
				"replication.factor":       "3",
				"min.insync.replicas":      "2",
				"electcheck.kafka.version": model.Latest.String(),
				"electcheck.records":       "3",
				"electcheck.crashes":       "2",
				"electcheck.power.losses":  "0,1",
			},
			Bundles: []Axis{{Name: "election", Values: []AxisValue{
				{Label: "clean", Settings: checker.Settings{"unclean.leader.election.enable=false", "eligible.leader.replicas.version=0"}},
				{Label: "elr", Settings: checker.Settings{"unclean.leader.election.enable=false", "eligible.leader.replicas.version=1"}},
				{Label: "unclean", Settings: checker.Settings{"unclean.leader.election.enable=true", "eligible.leader.replicas.version=0"}},
			}}},
		}
	},
}

// presetRisk are the presets that measure their cells (sweep --measure
// risk).
var presetRisk = map[string]bool{"tradeoff": true}

// PresetMeasuresRisk reports whether a preset measures its cells.
func PresetMeasuresRisk(name string) bool { return presetRisk[name] }

// presetProperties are a preset's properties. durability checks the two
// its categories need: every property to its end would search most cells'
// whole state space (the other properties rarely fail once these hold),
// about four times as long.
var presetProperties = map[string][]string{
	"durability": {"committed-offsets-preserved", "acked-records-durable"},
}

// presetSimulations are the presets whose cells are simulated (sweep
// --search simulate), with their walks and depth.
var presetSimulations = map[string]checker.SimulateOptions{
	"histories": {Walks: 2000, Depth: 60},
}

// PresetSimulation is how a preset simulates its cells, or nil when it
// searches them.
func PresetSimulation(name string) *checker.SimulateOptions {
	o, ok := presetSimulations[name]
	if !ok {
		return nil
	}
	return &o
}

// Preset is a named sweep and its properties.
func Preset(name string) (Spec, []string, error) {
	p, ok := presets[name]
	if !ok {
		return Spec{}, nil, badf("unknown preset %q: electcheck knows %s", name, strings.Join(PresetNames(), ", "))
	}
	return p(), presetProperties[name], nil
}

// PresetNames lists the presets.
func PresetNames() []string {
	var out []string
	for n := range presets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
