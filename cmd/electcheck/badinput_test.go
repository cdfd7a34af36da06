package main

import (
	"strings"
	"testing"
)

// Bad input: exit code 2 and exactly one line on stderr that names the
// problem; never a panic, never output on stdout.
func TestBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string // a fragment the one line must contain
	}{
		{[]string{}, "usage"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"check", "--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"check", "--acks", "2"}, "acks must be 0, 1 or all"},
		{[]string{"check", "--replication-factor", "0"}, "replication factor 0 is out of range"},
		{[]string{"check", "--replication-factor", "three"}, "must be a whole number"},
		{[]string{"check", "--min-insync-replicas", "6"}, "min.insync.replicas 6 is out of range: use 1 to 5"},
		{[]string{"check", "--kafka-version", "0.9"}, `unknown Kafka version "0.9"`},
		{[]string{"check", "--records", "-1"}, "records bound -1 is out of range"},
		{[]string{"check", "--unclean-leader-election=maybe"}, "must be true or false"},
		{[]string{"check", "--format", "xml"}, "--format must be text, json or markdown"},
		{[]string{"check", "--strategy", "random"}, "--strategy must be bfs or dfs"},
		{[]string{"check", "--frontier-dir", "/no/such/dir"}, "--frontier-dir /no/such/dir: not a directory"},
		{[]string{"check", "--strategy", "dfs", "--frontier-dir", "."}, "--frontier-dir applies to --strategy bfs"},
		{[]string{"bench", "--frontier-dir", "/no/such/dir"}, "not a directory"},
		{[]string{"check", "--invariants", "no-data-loss"}, `unknown property "no-data-loss"`},
		{[]string{"check", "acks=1"}, `unexpected argument "acks=1"`},
		{[]string{"check", "--config", "/no/such/file.properties"}, "cannot read --config file"},
		{[]string{"check", "--max-states", "-5"}, "must not be negative"},
		{[]string{"list", "everything"}, `unknown topic "everything"`},
		{[]string{"check", "--model", "raft"}, `--model must be kafka, kraft-replication or tla-replication, not "raft"`},
		{[]string{"check", "--model", "tla-replication", "--variant", "kip999"}, `unknown variant "kip999": tla-replication has hw-truncation, kip101`},
		{[]string{"check", "--model", "tla-replication", "--acks", "1"}, "--acks applies to --model kafka only"},
		{[]string{"check", "--model", "tla-replication", "--replicas", "9"}, "--replicas 9 is out of range"},
		{[]string{"check", "--model", "tla-replication", "--max-leader-epoch", "x"}, "--max-leader-epoch must be a whole number"},
		{[]string{"check", "--model", "tla-replication", "--config", "x.properties"}, "--config applies to --model kafka only"},
		{[]string{"check", "--model", "tla-replication", "--invariants", "acked-records-durable"}, "tla-replication checks strong-isr, weak-isr, leader-in-isr"},
		{[]string{"check", "--variant", "kip320"}, "--variant applies to --model tla-replication and kraft-replication only"},
		{[]string{"check", "--log-size", "3"}, "--log-size applies to --model tla-replication only"},
		{[]string{"check", "--model", "tla-replication", "--symmetry"}, "--symmetry does not apply to --model tla-replication"},
		// The KRaft port: its constants, its variants, and the flags of
		// the other models.
		// An impossible configuration given no --seed: the refusal alone,
		// no line telling a seed from the clock before it.
		{[]string{"simulate", "--replication-factor", "9"}, "replication factor 9 is out of range"},
		{[]string{"sweep", "--search", "simulate", "--replication-factor", "9", "--walks", "3"}, "replication factor 9 is out of range"},
		{[]string{"risk", "--method", "simulate", "--replication-factor", "9"}, "replication factor 9 is out of range"},
		// risk: rates, durations, horizons, budgets and exports.
		{[]string{"risk", "--crash-rate", "-1/yr"}, "--crash-rate: \"-1/yr\": a rate cannot be negative"},
		{[]string{"risk", "--crash-rate", "often"}, "is not a rate: write N/yr"},
		{[]string{"risk", "--crash-rate", "1/fortnight"}, "unknown unit"},
		{[]string{"risk", "--restart", "0"}, "--restart must be longer than 0"},
		{[]string{"risk", "--detect", "soon"}, "--detect: \"soon\" is not a duration"},
		{[]string{"risk", "--horizon", "0"}, "--horizon must be longer than 0"},
		{[]string{"risk", "--produce-rate", "0/s"}, "--produce-rate must be above 0"},
		{[]string{"risk", "--power-loss-rate", "1/yr"}, "--power-loss-rate is positive but --power-losses is 0"},
		{[]string{"risk", "--correlated-power-loss-rate", "1/yr"}, "--correlated-power-loss-rate is positive but --correlated-power-losses is 0"},
		{[]string{"risk", "--crash-rate", "0/yr"}, "every fault rate is 0"},
		{[]string{"risk", "--lost-response", "2"}, "are probabilities, from 0 to 1"},
		{[]string{"risk", "--export-prism", "/no/such/dir/chain"}, "--export-prism: directory /no/such/dir does not exist"},
		{[]string{"risk", "--export-drn", "/no/such/dir/chain.drn"}, "--export-drn: directory /no/such/dir does not exist"},
		{[]string{"risk", "--invariants", "hw-monotonic"}, "unknown flag: --invariants"},
		{[]string{"risk", "--format", "csv"}, "--format must be text, json or markdown"},
		{[]string{"risk", "--runs", "10"}, "--runs applies to --method simulate or both"},
		{[]string{"risk", "--method", "simulate", "--shard", "0/2"}, "--shard needs --seed"},
		{[]string{"risk", "--method", "simulate", "--seed", "1", "--shard", "2/2"}, "--shard \"2/2\": write I/N with 0 <= I < N"},
		{[]string{"risk", "--method", "both", "--seed", "1", "--shard", "0/2"}, "--shard splits --method simulate's runs"},
		{[]string{"risk", "--method", "simulate", "--bias", "1"}, "--bias must be at least 0 and below 1"},
		{[]string{"risk", "--method", "guess"}, "--method must be exact, simulate or both"},
		{[]string{"risk", "--scheduler", "random"}, "--scheduler must be uniform, min or max"},
		{[]string{"risk", "--method", "simulate", "--target", "often"}, "--target \"often\": give a positive rate of losses"},
		{[]string{"risk", "--method", "simulate", "--target", "1e-6/yr", "--bias", "0.5"}, "--target counts losses on the true chain"},
		{[]string{"risk", "--method", "simulate", "--seed", "1", "--target", "1e-6/yr", "--shard", "0/2"}, "--target reads its runs in order"},
		{[]string{"risk", "--target", "1e-6/yr"}, "--target decides by simulation alone: give --method simulate"},
		{[]string{"risk", "--scheduler", "max", "--method", "simulate"}, "--scheduler max needs the built chain"},
		{[]string{"risk", "merge"}, "risk merge takes SHARD.json..."},
		{[]string{"risk", "merge", "/no/such/shard.json"}, "cannot read /no/such/shard.json"},
		{[]string{"sweep", "--acks", "1,all", "--crash-rate", "2/yr"}, "--crash-rate applies to --measure risk"},
		{[]string{"sweep", "--acks", "1,all", "--measure", "risk", "--search", "simulate"}, "--measure risk and --search simulate are two ways"},
		{[]string{"sweep", "--acks", "1,all", "--measure", "risk", "--invariants", "hw-monotonic"}, "drop --invariants and --no-infer"},
		{[]string{"sweep", "--acks", "1,all", "--measure", "risk", "--horizon", "0"}, "--horizon must be longer than 0"},
		{[]string{"sweep", "--preset", "tradeoff", "--plot", "x.svg", "--plot-x", "acks"}, "a measuring sweep's --plot draws P(loss) against minutes offline"},
		{[]string{"check", "--model", "kraft-replication", "--variant", "kip320"}, `unknown variant "kip320": kraft-replication has v3.5, kip-966`},
		{[]string{"check", "--model", "tla-replication", "--variant", "kip-966"}, `unknown variant "kip-966": tla-replication has`},
		{[]string{"check", "--broker-count", "3"}, "--broker-count applies to --model kraft-replication only"},
		{[]string{"check", "--model", "tla-replication", "--min-isr", "1"}, "--min-isr applies to --model kraft-replication only"},
		{[]string{"graph", "--avoid-last-replica-standing"}, "--avoid-last-replica-standing applies to --model kraft-replication only"},
		{[]string{"check", "--model", "kraft-replication", "--replicas", "3"}, "--replicas applies to --model tla-replication only"},
		{[]string{"check", "--model", "kraft-replication", "--acks", "1"}, "--acks applies to --model kafka only"},
		{[]string{"check", "--model", "kraft-replication", "--max-leader-epoch", "3"}, "--max-leader-epoch applies to --model kafka only"},
		{[]string{"check", "--model", "kraft-replication", "--config", "x.properties"}, "--config applies to --model kafka only"},
		{[]string{"check", "--model", "kraft-replication", "--feature", "fenced-fetch=off"}, "--feature applies to --model kafka only"},
		{[]string{"check", "--model", "kraft-replication", "--clean-shutdown-limit", "1"}, "--clean-shutdown-limit is not a constant of --variant kip-966: it has --no-data-loss-shutdown-limit, --data-loss-shutdown-limit"},
		{[]string{"check", "--model", "kraft-replication", "--variant", "v3.5", "--data-loss-shutdown-limit", "1"}, "--data-loss-shutdown-limit is not a constant of --variant v3.5"},
		{[]string{"check", "--model", "kraft-replication", "--init-isr-size", "1"}, "--init-isr-size 1 is out of range: the specification assumes MinISR (2) <= InitIsrSize"},
		{[]string{"check", "--model", "kraft-replication", "--min-isr", "3"}, "--min-isr 3 is out of range: the specification assumes 0 <= MinISR <= InitReplicationFactor (2)"},
		{[]string{"check", "--model", "kraft-replication", "--init-replication-factor", "3"}, "InitReplicationFactor <= BrokerCount (2)"},
		{[]string{"check", "--model", "kraft-replication", "--broker-count", "9"}, "--broker-count 9 is out of range: use 1 to 4"},
		{[]string{"check", "--model", "kraft-replication", "--fence-broker-limit", "-1"}, "--fence-broker-limit -1 is out of range"},
		{[]string{"check", "--model", "kraft-replication", "--values", "A,A"}, `--values "A,A" names A twice`},
		{[]string{"check", "--model", "kraft-replication", "--fence-broker-limit", "x"}, "--fence-broker-limit"},
		{[]string{"check", "--model", "kraft-replication", "--invariants", "strong-isr"}, "kraft-replication --variant kip-966 checks leader-completeness, leader-candidate-completeness"},
		{[]string{"check", "--model", "kraft-replication", "--variant", "v3.5", "--invariants", "min-isr-recovery-quorum"}, "kraft-replication --variant v3.5 checks"},
		{[]string{"check", "--model", "kraft-replication", "--symmetry"}, "--symmetry does not apply to --model kraft-replication"},
		{[]string{"graph", "--model", "kraft-replication", "--symmetry"}, "--symmetry does not apply to --model kraft-replication"},
		{[]string{"check", "--model", "kraft-replication", "--show", "nothing"}, `--show: "nothing" is not a witness of kraft-replication`},
		{[]string{"check", "--workers", "0"}, "--workers must be at least 1"},
		{[]string{"check", "--max-memory", "lots"}, `"lots" is not a memory size`},
		{[]string{"check", "--kafka-version", "4.5"}, `unknown Kafka version "4.5": use a release from 0.10 to 4.4`},
		{[]string{"check", "--kafka-version", "2.0.2"}, "there is no Kafka 2.0.2: the 2.0 line's releases are 2.0.0, 2.0.1"},
		{[]string{"check", "--feature", "foo=on"}, `unknown feature "foo"`},
		{[]string{"check", "--feature", "fenced-fetch=maybe"}, "must be on or off"},
		{[]string{"check", "--feature", "fenced-fetch"}, "write NAME=on or NAME=off"},
		{[]string{"check", "--feature", "eligible-leader-replicas=off"}, "use --eligible-leader-replicas=off"},
		{[]string{"check", "--feature", "iterated-truncation=on", "--kafka-version", "0.10"}, "iterated-truncation (KIP-279) needs epoch-truncation"},
		{[]string{"check", "--feature", "broker-epoch-isr=on", "--kafka-version", "3.4", "--controller", "zookeeper"}, "exists only with the KRaft controller"},
		{[]string{"check", "--eligible-leader-replicas", "--controller", "zookeeper", "--kafka-version", "3.9"}, "exist only with the KRaft controller"},
		{[]string{"check", "--eligible-leader-replicas=maybe"}, "must be on or off"},
		{[]string{"check", "--controller", "zookeeper"}, "release 4.4 has no ZooKeeper mode"},
		{[]string{"check", "--controller", "kraft", "--kafka-version", "2.7"}, "release 2.7 has no KRaft mode"},
		{[]string{"check", "--controller", "etcd"}, "must be zookeeper or kraft"},
		{[]string{"ablate", "--format", "xml"}, "--format must be text or markdown"},
		{[]string{"ablate", "--check", "--write"}, "exclude each other"},
		{[]string{"check", "--trace-out", "/no/such/dir/trace.json"}, "--trace-out: directory /no/such/dir does not exist"},
		{[]string{"check", "--trace-out", "."}, "--trace-out: . is a directory"},
		{[]string{"check", "--model", "tla-replication", "--feature", "fenced-fetch=off"}, "--feature applies to --model kafka only"},
		{[]string{"graph", "--format", "svg"}, "graph prints Graphviz DOT only"},
		// The slips a newcomer makes, each answered with the fix.
		{[]string{"check", "--symmetry", "false"}, "--symmetry takes its value after =: write --symmetry=false"},
		{[]string{"check", "--max-state", "5"}, "unknown flag: --max-state: did you mean --max-states?"},
		{[]string{"simulate", "--strategy", "dfs"}, "simulate takes no --strategy (check does)"},
		{[]string{"simulate", "--frontier-dir", "."}, "simulate takes no --frontier-dir (check and bench do)"},
		{[]string{"simulate", "--model", "tla-replication"}, "simulate takes no --model (check and graph do)"},
		{[]string{"graph", "--keep-going"}, "graph takes no --keep-going (check does)"},
		{[]string{"chekc"}, `unknown command "chekc": did you mean check?`},
		{[]string{"check", "--acks", "1", "--acks", "all"}, "--acks is given twice (1, then all): give it once"},
		{[]string{"check", "--feature", "fenced-fetch=off", "--feature", "fenced-fetch=on"}, "--feature fenced-fetch is given as off and as on: a contradiction"},
		{[]string{"check", "--feature", "kip-497=off"}, "KIP-497 names two features, alter-partition and maximal-isr"},
		{[]string{"check", "--strategy", "BFS", "--format", "XML"}, `--format must be text, json or markdown, not "XML"`},
		{[]string{"replay"}, "replay takes one trace file"},
		{[]string{"lincheck", "a", "b"}, `lincheck takes one history file, such as: electcheck lincheck testdata/histories/lost-write.jsonl, not also "b"`},
	}
	for _, c := range cases {
		stdout, stderr, code := runCLI(c.args...)
		name := strings.Join(c.args, " ")
		if c.want == "usage" {
			if code != exitUsage || !strings.Contains(stderr, "usage: electcheck") {
				t.Errorf("%q: exit %d, stderr %q", name, code, stderr)
			}
			continue
		}
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d", name, code, exitUsage)
		}
		if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "electcheck: ") {
			t.Errorf("%q: stderr is not one line: %q", name, stderr)
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("%q: stderr %q does not mention %q", name, stderr, c.want)
		}
		if stdout != "" {
			t.Errorf("%q: printed on stdout: %q", name, stdout)
		}
	}
}

func TestBadConfigFiles(t *testing.T) {
	cases := map[string]string{
		"min.insync.replica=2\n":                                               `line 1: unknown setting "min.insync.replica": did you mean min.insync.replicas?`,
		"electcheck.recrods=3\n":                                               `did you mean electcheck.records?`,
		"electcheck.nonsense=3\n":                                              `unknown setting "electcheck.nonsense"`,
		"replication.factor=3\ndefault.replication.factor=3\n":                 "line 2: default.replication.factor sets replication.factor, already set on line 1",
		"flush.messages=1\nlog.flush.interval.messages=1\n":                    "already set on line 1",
		"electcheck.feature.kip-320=off\nelectcheck.feature.fenced-fetch=on\n": "already set on line 1",
		"electcheck.feature.nonsense=on\n":                                     `unknown feature "nonsense"`,
		"electcheck.controller=zookeeper\n":                                    "release 4.4 has no ZooKeeper mode",
		"zookeeper.connect=localhost:2181\n":                                   "release 4.4 has no ZooKeeper mode",
		"acks=1\nmin.insync.replicas\n":                                        `line 2: "min.insync.replicas" has no value`,
		"acks=1\nacks=all\n":                                                   "line 2: acks is already set on line 1",
		"=3\n":                                                                 "line 1",
		"replication.factor=\n":                                                "line 1: replication.factor must be a whole number",
		"acks=\\u12\n":                                                         `malformed \u escape`,
		"min.insync.replicas=9\n":                                              "min.insync.replicas 9 is out of range: use 1 to 5",
		"electcheck.kafka.version=0.8.2\n":                                     `unknown Kafka version "0.8.2"`,
		"unclean.leader.election.enable=TRUE!\n":                               "must be true or false",
		"# comment\n! comment\n\nflush.messages=0":                             "line 4: flush.messages must be a positive number",
		"\uFEFFunclean.leader.election.enable=true\n":                          "starts with a UTF-8 byte-order mark (bytes EF BB BF): Kafka reads properties as ISO-8859-1, so it would take the mark as part of the next key (unclean.leader.election.enable)",
	}
	for content, want := range cases {
		path := writeFile(t, content)
		_, stderr, code := runCLI("check", "--config", path)
		if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
			t.Errorf("config %q: exit %d, stderr %q; want exit 2 and one line with %q", content, code, stderr, want)
		}
	}
}
