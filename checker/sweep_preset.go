package checker

import (
	"sort"
	"strings"

	"electcheck/model"
)

// presets are the sweeps electcheck knows by name.
var presets = map[string]func() SweepSpec{
	// durability: which configurations lose committed or acknowledged
	// data, and which go offline instead, across the releases where the
	// protocol changed: 0.10 (HW truncation), 2.0 (before KIP-320), 2.1
	// (fenced fetches, 0.11-2.0's fixes), 3.6 (ZooKeeper's last rules
	// before KRaft-only fixes), 3.9 (KRaft without eligible leader
	// replicas) and the newest (with them), each under three fault mixes.
	"durability": func() SweepSpec {
		return SweepSpec{
			Lists: map[string]string{
				"replication.factor":             "2,3",
				"min.insync.replicas":            "1..3",
				"acks":                           "1,all",
				"unclean.leader.election.enable": "false,true",
				"electcheck.kafka.version":       "0.10,2.0,2.1,3.6,3.9," + model.Latest.String(),
				"electcheck.records":             "2",
			},
			Bundles: []Axis{{Name: "faults", Values: []AxisValue{
				{Label: "crashes", Settings: Settings{"electcheck.crashes=2"}},
				{Label: "power-loss", Settings: Settings{"electcheck.crashes=2", "electcheck.power.losses=1"}},
				{Label: "disk-loss", Settings: Settings{"electcheck.crashes=2", "electcheck.disk.losses=1"}},
			}}},
		}
	},
}

// presetProperties are a preset's properties. durability checks the two
// its categories need: every property to its end would search most cells'
// whole state space (the other properties rarely fail once these hold),
// about four times as long.
var presetProperties = map[string][]string{
	"durability": {"committed-offsets-preserved", "acked-records-durable"},
}

// Preset is a named sweep and its properties.
func Preset(name string) (SweepSpec, []string, error) {
	p, ok := presets[name]
	if !ok {
		return SweepSpec{}, nil, badf("unknown preset %q: electcheck knows %s", name, strings.Join(PresetNames(), ", "))
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
