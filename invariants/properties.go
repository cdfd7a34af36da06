// Package invariants states electcheck's safety properties and the
// reachability witnesses that show each one is not vacuous, over the states
// of package model. Every failing check returns an error that names the
// replicas, epochs and offsets involved.
package invariants

import (
	"fmt"
	"slices"
	"strings"

	"electcheck/model"
)

// Property is a named safety property: Check returns nil when it holds in a
// state.
type Property struct {
	Name      string
	Statement string
	// Guards names the witnesses that show the situation the property
	// protects was reached; without them "holds" could be vacuous.
	Guards []string
	Check  func(m *model.Model, s *model.State) error
	// Reads are the parts of the state Check reads (the model's
	// configuration aside): on a state equal to one where the property
	// held in these parts, it holds. A random walk checks it again only
	// on a step that changes one of them. TestReadsAreComplete splices
	// every other part in from other states.
	Reads model.Parts
}

// Witness is a reachability property.
type Witness struct {
	Name        string
	Description string
	// Availability marks the witnesses that measure the other side of the
	// trade-off: the partition offline, writes refused.
	Availability bool
	// Always marks witnesses reported whatever the properties checked,
	// without guarding one: the situations a reader of the result wants
	// to know were reached (an eligible leader replica, say).
	Always  bool
	Reached func(m *model.Model, s *model.State) bool
}

// Properties lists every safety property of the main model, in report
// order.
func Properties() []Property {
	return []Property{
		{
			Name:      "acked-records-durable",
			Statement: "every positively acknowledged record stays at its offset in the log of every later leader",
			Guards:    []string{"acked-record", "acked-record-survives-failover"},
			Check:     ackedRecordsDurable,
			Reads:     model.PartController | model.PartStatus | model.PartLogs | model.PartGhost,
		},
		{
			Name:      "committed-offsets-preserved",
			Statement: "every offset below the true high watermark keeps its record in every later leader's log",
			Guards:    []string{"committed-record", "failover-after-commit"},
			Check:     CommittedOffsetsPreserved,
			Reads:     model.PartController | model.PartStatus | model.PartLogs | model.PartGhost,
		},
		{
			Name:      "hw-monotonic",
			Statement: "the high watermark clients can observe never decreases",
			Guards:    []string{"committed-record", "new-leader-exposes-hw"},
			Check:     hwMonotonic,
			Reads:     model.PartController | model.PartStatus | model.PartRoles | model.PartHW | model.PartLogs | model.PartGhost,
		},
		{
			Name:      "no-log-divergence",
			Statement: "two replicas holding the same epoch at an offset hold the same records up to there",
			Guards:    []string{"logs-differ"},
			Check:     noLogDivergence,
			Reads:     model.PartLogs,
		},
		{
			Name:      "consumed-records-stable",
			Statement: "nothing a consumer read is later missing or replaced in the leader's log",
			Guards:    []string{"consumer-read", "leader-failover"},
			Check:     consumedRecordsStable,
			Reads:     model.PartController | model.PartStatus | model.PartLogs | model.PartGhost,
		},
		{
			Name:      "no-offset-reuse",
			Statement: "an offset once acknowledged for one record is never acknowledged for another",
			Guards:    []string{"acked-record", "offset-assigned-twice"},
			Check:     noOffsetReuse,
			Reads:     model.PartGhost,
		},
		{
			Name:      "one-leader-per-epoch",
			Statement: "at most one replica acts as leader in any epoch",
			Guards:    []string{"leader-failover", "stale-leader"},
			Check:     oneLeaderPerEpoch,
			Reads:     model.PartStatus | model.PartRoles,
		},
		{
			Name:      "strong-isr",
			Statement: "every record below a leader's high watermark is on every running, unfenced replica the controller could elect cleanly: the ISR, and with eligible leader replicas the ELR",
			Guards:    []string{"committed-record", "isr-shrunk"},
			Check:     strongISR,
			Reads:     model.PartController | model.PartStatus | model.PartRoles | model.PartHW | model.PartLogs,
		},
		{
			Name:      "acked-records-committed",
			Statement: "with acks=all, every acknowledged record is committed at its offset: below the true high watermark, and the record clients were told is committed there",
			Guards:    []string{"acked-record", "stale-leader"},
			Check:     ackedRecordsCommitted,
			Reads:     model.PartGhost,
		},
		{
			Name:      "consumed-records-committed",
			Statement: "the consumer never reads above the true high watermark: every record it read is the one committed at its offset",
			Guards:    []string{"consumer-read", "stale-leader"},
			Check:     consumedRecordsCommitted,
			Reads:     model.PartGhost,
		},
		{
			Name:      "committed-records-recoverable",
			Statement: "some replica's log, running or down, still holds every committed record: the data is offline at worst, not gone",
			Guards:    []string{"committed-record", "committed-holder-down"},
			Check:     committedRecordsRecoverable,
			Reads:     model.PartGhost | model.PartLogs,
		},
		{
			Name:      "online-when-electable",
			Statement: "the partition is never without a leader while a running, unfenced replica is one the controller's rules let it elect (an availability property)",
			Guards:    []string{"partition-offline"},
			Check:     onlineWhenElectable,
			Reads:     model.PartController | model.PartStatus,
		},
	}
}

// Witnesses lists every witness, safety situations first, then
// availability.
func Witnesses() []Witness {
	return []Witness{
		{Name: "committed-record", Description: "a record was committed (a running leader's high watermark passed it)", Reached: committedRecord},
		{Name: "acked-record", Description: "a producer received a positive acknowledgement", Reached: ackedRecord},
		{Name: "leader-failover", Description: "the controller elected a new leader", Reached: leaderFailover},
		{Name: "failover-after-commit", Description: "a leader was elected in an epoch after the newest committed record was written", Reached: failoverAfterCommit},
		{Name: "acked-record-survives-failover", Description: "a record acknowledged by one leader is in the log of a different current leader", Reached: ackedSurvivesFailover},
		{Name: "new-leader-exposes-hw", Description: "a leader elected after a commit tells clients its high watermark as the latest offset", Reached: newLeaderExposesHW},
		{Name: "logs-differ", Description: "two replicas hold different entries at the same offset", Reached: logsDiffer},
		{Name: "consumer-read", Description: "the consumer read a record", Reached: consumerRead},
		{Name: "offset-assigned-twice", Description: "two records were appended at the same offset by different leaders", Reached: offsetAssignedTwice},
		{Name: "stale-leader", Description: "a running broker acts as leader while the controller has elected another since", Reached: staleLeader},
		{Name: "isr-shrunk", Description: "the ISR is smaller than the replica set", Reached: isrShrunk},
		{Name: "committed-holder-down", Description: "a replica holding every committed record is down", Reached: committedHolderDown},
		{Name: "elr-member", Description: "a replica is an eligible leader replica: it left an ISR smaller than min.insync.replicas", Always: true, Reached: elrMember},
		{Name: "partition-offline", Description: "the partition has no leader while some replica is running (durability chosen over availability)", Availability: true, Reached: partitionOffline},
		{Name: "produce-refused", Description: "a write was refused with NotEnoughReplicas for want of in-sync replicas", Availability: true, Reached: produceRefused},
	}
}

// Names lists the property names.
func Names() []string {
	var names []string
	for _, p := range Properties() {
		names = append(names, p.Name)
	}
	return names
}

// Select returns the named properties (all of them for an empty list), in
// report order, or an error naming the unknown one.
func Select(names []string) ([]Property, error) {
	all := Properties()
	if len(names) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if !slices.ContainsFunc(all, func(p Property) bool { return p.Name == n }) {
			return nil, fmt.Errorf("unknown property %q: choose from %s", n, strings.Join(Names(), ", "))
		}
		want[n] = true
	}
	var out []Property
	for _, p := range all {
		if want[p.Name] {
			out = append(out, p)
		}
	}
	return out, nil
}

// WitnessesFor returns the guard witnesses of the given properties followed
// by the availability witnesses, each once, in Witnesses order.
func WitnessesFor(props []Property) []Witness {
	need := map[string]bool{}
	for _, p := range props {
		for _, g := range p.Guards {
			need[g] = true
		}
	}
	var out []Witness
	for _, w := range Witnesses() {
		if need[w.Name] || w.Availability || w.Always {
			out = append(out, w)
		}
	}
	return out
}
