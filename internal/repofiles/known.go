package repofiles

import (
	"path/filepath"
	"strings"

	"electcheck/checker"
)

// catalogueEntry is a known result: a way a Kafka release loses data, or
// goes offline instead, that its KIPs and JIRA issues describe, found by a
// check and recorded as the golden trace testdata/traces/known-<name>.json.
type catalogueEntry struct {
	name, title, description string
	check                    catalogueCheck
}

// catalogueCheck is the check that finds a known result: a properties
// file of testdata/configs (or none: the recommended setup), settings on
// top, the property it violates or the witness it shows.
type catalogueCheck struct {
	config   string
	settings checker.Settings
	property string
	show     string
}

// request is the check as a request, with the repository at root.
func (c catalogueCheck) request(root string) (checker.Request, error) {
	req, err := checker.KafkaRequest(c.settings)
	if c.config != "" {
		req, err = checker.FileRequest(filepath.Join(root, c.configPath()), c.settings)
	}
	if c.property != "" {
		req.Properties = []string{c.property}
	}
	return req, err
}

func (c catalogueCheck) configPath() string { return "testdata/configs/" + c.config + ".properties" }

// command is the check as a command line, from the repository root.
func (c catalogueCheck) command() string {
	parts := []string{"electcheck check"}
	if c.config != "" {
		parts = append(parts, "--config", c.configPath())
	}
	parts = append(parts, c.settings.Flags()...)
	if c.property != "" {
		parts = append(parts, "--invariants", c.property)
	}
	if c.show != "" {
		parts = append(parts, "--show", c.show)
	}
	return strings.Join(parts, " ")
}

var catalogueEntries = []catalogueEntry{
	{"acks1-failover", "Known result: acks=1 loses an acknowledged record on an ordinary failover",
		"The leader acknowledges a record as soon as it has appended it (acks=1) and crashes before any follower " +
			"fetches it. The controller elects a follower, which is in the ISR: a clean election, and the acknowledged " +
			"record is gone. Seeds 001 and 003 (scenario 3) tell this story.",
		catalogueCheck{config: "acks1-failover", settings: nil, property: "", show: ""}},
	{"hw-truncation-0.10", "Known result: HW truncation loses committed data (Kafka 0.10, KIP-101)",
		"Before Kafka 0.11 a restarting follower truncates its log to its own high watermark, which lags the " +
			"leader's. If the leader then fails, the follower is elected cleanly without a record that was committed " +
			"and acknowledged under acks=all. KIP-101's leader epochs fixed this.",
		catalogueCheck{config: "hw-truncation-0.10", settings: nil, property: "committed-offsets-preserved", show: ""}},
	{"log-divergence-0.10", "Known result: replica logs diverge after a power failure (Kafka 0.10, KIP-101)",
		"KIP-101's second scenario, two replicas: with HW truncation, a power failure and a new leader leave them " +
			"with different records at the same offset, and nothing ever repairs it.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=0.10", "unclean.leader.election.enable=false", "replication.factor=2", "min.insync.replicas=1", "electcheck.records=3", "electcheck.crashes=1", "electcheck.power.losses=1"}, property: "no-log-divergence", show: ""}},
	{"unclean-election", "Known result: unclean election loses committed records",
		"Replication factor 3 above min.insync.replicas=2 with unclean.leader.election.enable=true: a follower that " +
			"fell out of the ISR is elected when every ISR member has failed, and the records committed without it " +
			"are lost.",
		catalogueCheck{config: "unclean-election", settings: nil, property: "committed-offsets-preserved", show: ""}},
	{"unclean-hw-backwards", "Known result: after an unclean election the high watermark goes backwards",
		"The same configuration: the unclean leader's log ends below the high watermark clients have already " +
			"seen, so the offsets a consumer was told are committed no longer exist.",
		catalogueCheck{config: "unclean-election", settings: nil, property: "hw-monotonic", show: ""}},
	{"unclean-offset-reuse", "Known result: after an unclean election an offset is acknowledged twice",
		"The same configuration: the unclean leader accepts new records at offsets already acknowledged for " +
			"other records, and the returning replicas truncate their copies to follow it.",
		catalogueCheck{config: "unclean-election", settings: nil, property: "no-offset-reuse", show: ""}},
	{"power-loss-last-isr", "Known result: a power loss of the last ISR member loses committed data (Kafka 3.9, KIP-966's motivation)",
		"Without eligible leader replicas, the last member of the ISR loses power before the OS wrote its log to " +
			"disk. It comes back without the unflushed records, is still the whole ISR, and is elected cleanly: " +
			"committed records are lost with unclean leader election disabled.",
		catalogueCheck{config: "power-loss-last-isr", settings: nil, property: "committed-offsets-preserved", show: ""}},
	{"elr-tolerates-one-unclean-shutdown", "Known result: eligible leader replicas survive min.insync.replicas - 1 unclean shutdowns (Kafka 4.4, KIP-966)",
		"Two replicas, min.insync.replicas=2, one pause and one power loss. Every property holds over the whole " +
			"state space. This is the shortest way to an eligible leader replica (ELR): a follower leaves an ISR below " +
			"min.insync.replicas and joins the ELR instead of leaving for good, and the high watermark stands still. " +
			"The scenario elr-survives-power-loss walks the whole story. The same configuration on 3.9, or on 4.4 " +
			"with ELR off, loses committed data (known-power-loss-last-isr).",
		catalogueCheck{config: "power-loss-elr", settings: nil, property: "", show: "elr-member"}},
	{"elr-clean-shutdown-power-loss", "Known result: eligible leader replicas survive a clean shutdown and a power loss (Kafka 4.4, KIP-966)",
		"Two replicas, min.insync.replicas=2, one controlled shutdown and one power loss. With eligible leader " +
			"replicas a replica that leaves an ISR smaller than min.insync.replicas joins the ELR and stays " +
			"electable, and a broker that registers after an unclean shutdown leaves the ISR and the ELR: the " +
			"replica that lost its unflushed records is never elected. Every property holds over the whole state " +
			"space; the trace is the shortest way to an ELR member. The " +
			"same configuration on 3.9, and on 4.0 where ELR is opt-in, loses committed data " +
			"(known-elr-off-by-default-4.0).",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=4.4", "replication.factor=2", "min.insync.replicas=2", "electcheck.crashes=0", "electcheck.clean.shutdowns=1", "electcheck.power.losses=1"}, property: "", show: "elr-member"}},
	{"elr-off-by-default-4.0", "Known result: Kafka 4.0 loses committed data to a clean shutdown and a power loss (ELR opt-in)",
		"The configuration of known-elr-clean-shutdown-power-loss on 4.0, where eligible.leader.replicas.version " +
			"defaults to 0: the last ISR member loses power, comes back without its unflushed records, and is " +
			"elected cleanly. With --eligible-leader-replicas (or 4.1 and later) every property holds.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=4.0", "replication.factor=2", "min.insync.replicas=2", "electcheck.crashes=0", "electcheck.clean.shutdowns=1", "electcheck.power.losses=1"}, property: "committed-offsets-preserved", show: ""}},
	{"elr-limit", "Known result: eligible leader replicas do not survive min.insync.replicas unclean shutdowns (Kafka 4.4, KIP-966)",
		"Three replicas, min.insync.replicas=2, two power losses. ELR tolerates one unclean shutdown; with two, " +
			"every replica that held the committed records leaves the ISR and the ELR when it registers again, and " +
			"the controller elects the last known leader, uncleanly: committed records are lost.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=4.4", "replication.factor=3", "min.insync.replicas=2", "electcheck.crashes=0", "electcheck.power.losses=2"}, property: "committed-offsets-preserved", show: ""}},
	{"kafka-6361-1.1", "Known result: a fast double failover leaves logs diverged (Kafka 1.1, KAFKA-6361)",
		"KIP-101's epoch lookup is made once: a follower asks where the epoch of its last entry ended, and the " +
			"leader, which never had that epoch, answers with the start of a later one. The follower keeps entries " +
			"the leader does not have, and the logs diverge. KIP-279 (2.0) iterates the lookup.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=1.1", "replication.factor=2", "min.insync.replicas=1", "electcheck.records=3", "electcheck.crashes=2", "electcheck.max.leader.epoch=3"}, property: "no-log-divergence", show: ""}},
	{"kafka-7415-2.0", "Known result: logs still diverge on Kafka 2.0 until a new leader caches its epoch (KAFKA-7415)",
		"The same configuration on 2.0: KIP-279's iterated lookup, but a follower whose only epoch is newer than " +
			"the one the leader names finds no end offset for it and keeps its entries. KAFKA-7415 (2.0.1 and 2.1) " +
			"makes the leader cache its epoch at election and answer such lookups.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=2.0", "replication.factor=2", "min.insync.replicas=1", "electcheck.records=3", "electcheck.crashes=2", "electcheck.max.leader.epoch=3"}, property: "no-log-divergence", show: ""}},
	{"kafka-7128-2.0", "Known result: a lagging high watermark lets an incomplete follower into the ISR (Kafka 2.0, KAFKA-7128)",
		"A new leader's high watermark lags; a follower that has fetched up to it, but not the records of earlier " +
			"epochs, joins the ISR, and is elected when the leader fails: a committed record is lost. From 2.1 (2.0.1) " +
			"a follower must also reach the leader's epoch start offset.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=2.0", "replication.factor=3", "min.insync.replicas=1", "electcheck.records=1", "electcheck.crashes=2", "electcheck.max.leader.epoch=3"}, property: "committed-offsets-preserved", show: ""}},
	{"stale-leader-2.0.1", "Known result: Kafka 2.0.1 still loses committed data, through a stale leader (before KIP-320)",
		"2.0.1 backported KAFKA-7128, KAFKA-7415 and KAFKA-7164, so known-kafka-7128-2.0's route is closed. The " +
			"same configuration still loses a committed record one step later: a follower fetches the record from " +
			"the leader of epoch 2 while it still believes epoch 0 (before KIP-320 a fetch does not carry the " +
			"follower's epoch), then applies epoch 1's metadata late, follows that epoch's deposed leader and " +
			"truncates the record away, although the controller has elected it leader of epoch 3. KIP-320 (2.1) fences a fetch whose epoch " +
			"differs from the leader's, so a follower holds only records of epochs it has learned, and 2.1 keeps " +
			"every committed record.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=2.0.1", "replication.factor=3", "min.insync.replicas=1", "electcheck.records=1", "electcheck.crashes=2", "electcheck.max.leader.epoch=3"}, property: "committed-offsets-preserved", show: ""}},
	{"kip-207-2.1", "Known result: the latest offset clients see goes backwards after a clean failover (Kafka 2.1, KAFKA-2334)",
		"A new leader's high watermark lags the old leader's by a fetch round trip, and before 2.2 ListOffsets " +
			"answers with it: the latest offset a client saw goes backwards. KIP-207 (2.2) answers OFFSET_NOT_AVAILABLE " +
			"until the new leader's high watermark reaches the start of its epoch.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=2.1", "replication.factor=2", "min.insync.replicas=1", "electcheck.records=3", "electcheck.crashes=2", "electcheck.max.leader.epoch=3"}, property: "hw-monotonic", show: ""}},
	{"min-isr-above-rf-3.6", "Known result: min.insync.replicas above the replication factor refuses every acks=all write (Kafka 3.6)",
		"Two replicas, min.insync.replicas=3, acks=all: before 3.7 the leader compares its ISR with min.insync.replicas " +
			"as configured, so no write is ever accepted; nothing is committed and nothing can be lost. The trace is " +
			"the shortest way to a refused write. From 3.7 (KAFKA-15583) the leader and the controller use " +
			"min(min.insync.replicas, replicas), and the same topic runs as min.insync.replicas=2.",
		catalogueCheck{config: "", settings: checker.Settings{"electcheck.kafka.version=3.6", "replication.factor=2", "min.insync.replicas=3", "acks=all"}, property: "", show: "produce-refused"}},
	{"modern-offline", "Known result: modern Kafka goes offline instead of losing data",
		"Kafka 4.4, acks=all, min.insync.replicas=2, clean elections only, process crashes without power loss: " +
			"every property holds over the whole state space. The price is availability: this is the shortest way " +
			"to a partition with no leader while a replica is alive (seed 002, option a).",
		catalogueCheck{config: "modern-clean", settings: checker.Settings{"electcheck.records=1"}, property: "", show: "partition-offline"}},
	{"modern-produce-refused", "Known result: modern Kafka refuses writes when the ISR is too small",
		"The same safe configuration: the shortest way to a write refused with NotEnoughReplicas, because the " +
			"ISR shrank below min.insync.replicas=2 (seed 003, scenario 2).",
		catalogueCheck{config: "modern-clean", settings: checker.Settings{"electcheck.records=1"}, property: "", show: "produce-refused"}},
}
