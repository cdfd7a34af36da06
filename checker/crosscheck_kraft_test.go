package checker

import (
	"fmt"
	"testing"

	"electcheck/explore"
	kraft "electcheck/model/kraftreplication"
)

// kraftFigure is what TLC 2.20 (rev 4c54d98) reported for one variant,
// constants and set of invariants of Vanlightly/kafka-tlaplus
// kafka_data_replication/kraft, run with the specification's own VIEW,
// breadth first, one worker, -deadlock, on this project's 2-core machine
// (2026-12-07; docs/cross-check.md). For a violation, length is TLC's
// error trace in states and invariant the property TLC named; for an
// evaluation error ("tlc-evaluable"), length counts the state TLC failed to
// compute, as the port's trace ends in it. For a complete search, distinct,
// generated and depth are TLC's totals; TLC's "states generated" counts
// the initial state, as Stats.Generated does. Every number here was read
// off a TLC run; a change to one is a disagreement with TLC, not a
// decision.
type kraftFigure struct {
	name       string
	variant    kraft.Variant
	consts     kraft.Constants
	invariants []string // nil: none (a complete search of a violating setting)
	violated   string
	length     int
	distinct   int64
	generated  int64
	depth      int
	tlcTime    string // TLC's wall time, for the record
}

var (
	kip966Invariants = []string{"leader-completeness", "leader-candidate-completeness", "replication-quorum-superset", "log-matching",
		"metadata-log-matching", "consistent-read", "min-isr-recovery-quorum", "no-committed-record-lost-globally"}
	v35Invariants = []string{"leader-completeness", "leader-candidate-completeness", "replication-quorum-superset", "log-matching",
		"metadata-log-matching", "consistent-read", "no-committed-record-lost-globally"}

	// The public figure: two brokers, RF 2, MinISR 2, one lossy shutdown,
	// one fencing.
	kraftFig = kraft.DefaultConstants(kraft.KIP966)
	// Two lossy shutdowns: MinISR = DataLossShutdownLimit, which the
	// configuration file says breaks NoCommittedRecordLostGlobally.
	kraftTwoLosses = kraft.Constants{BrokerCount: 2, InitReplicationFactor: 2, Values: "A", MinISR: 2, InitIsrSize: 2, DataLossShutdownLimit: 2}
	// MinISR 1 with an ISR of one: one lossy shutdown loses a record.
	kraftMinISR1 = kraft.Constants{BrokerCount: 2, InitReplicationFactor: 2, Values: "A", MinISR: 1, InitIsrSize: 1, DataLossShutdownLimit: 1, FenceBrokerLimit: 1}
	// No-data-loss shutdowns (clean or not) and a leader ISR shrink.
	kraftShrink = kraft.Constants{BrokerCount: 2, InitReplicationFactor: 2, Values: "A", MinISR: 1, InitIsrSize: 2, NoDataLossShutdownLimit: 1, LeaderShrinkIsrLimit: 1}
	// Three brokers and one reassignment.
	kraftReassign = kraft.Constants{BrokerCount: 3, InitReplicationFactor: 2, Values: "A", MinISR: 1, InitIsrSize: 2, ReassignmentLimit: 1}

	// v3.5: the figure's constants with an unclean shutdown, with and
	// without AvoidLastReplicaStanding.
	v35Avoid = kraft.Constants{BrokerCount: 2, InitReplicationFactor: 2, Values: "A", MinISR: 2, InitIsrSize: 2, UncleanShutdownLimit: 1, FenceBrokerLimit: 1, AvoidLastReplicaStanding: true}
	v35LRS   = kraft.Constants{BrokerCount: 2, InitReplicationFactor: 2, Values: "A", MinISR: 2, InitIsrSize: 2, UncleanShutdownLimit: 1, FenceBrokerLimit: 1}
	// A clean shutdown and a fencing, MinISR 1.
	v35Clean = kraft.Constants{BrokerCount: 2, InitReplicationFactor: 2, Values: "A", MinISR: 1, InitIsrSize: 1, CleanShutdownLimit: 1, FenceBrokerLimit: 1}
	// Two values, MinISR 1, an ISR shrink: the leader writes its second
	// value alone, and UpdateHwmInvariantVars takes a SubSeq beyond its
	// log; TLC stops with an error.
	v35TwoValues = kraft.Constants{BrokerCount: 2, InitReplicationFactor: 2, Values: "A,B", MinISR: 1, InitIsrSize: 2, LeaderShrinkIsrLimit: 1}
)

var kraftFigures = []kraftFigure{
	{"public figure", kraft.KIP966, kraftFig, kip966Invariants, "", 0, 282201, 955033, 41, "57 s"},
	{"two lossy shutdowns", kraft.KIP966, kraftTwoLosses, kip966Invariants, "no-committed-record-lost-globally", 9, 0, 0, 0, "2 s"},
	{"two lossy shutdowns, complete", kraft.KIP966, kraftTwoLosses, nil, "", 0, 193571, 578621, 47, "49 s"},
	{"min ISR 1", kraft.KIP966, kraftMinISR1, kip966Invariants, "no-committed-record-lost-globally", 5, 0, 0, 0, "3 s"},
	{"min ISR 1, complete", kraft.KIP966, kraftMinISR1, nil, "", 0, 131998, 440462, 40, "48 s"},
	{"no-data-loss shutdown and shrink", kraft.KIP966, kraftShrink, kip966Invariants, "", 0, 18015, 47156, 30, "15 s"},
	{"reassignment", kraft.KIP966, kraftReassign, kip966Invariants, "", 0, 12472, 42699, 29, "14 s"},
	{"v3.5 avoiding the last replica standing", kraft.V35, v35Avoid, v35Invariants, "", 0, 33794, 111418, 36, "11 s"},
	{"v3.5 last replica standing", kraft.V35, v35LRS, v35Invariants, "leader-completeness", 8, 0, 0, 0, "2 s"},
	{"v3.5 last replica standing, complete", kraft.V35, v35LRS, nil, "", 0, 44232, 143940, 36, "16 s"},
	{"v3.5 clean shutdown", kraft.V35, v35Clean, v35Invariants, "", 0, 188371, 671903, 38, "1 min 42 s"},
	{"v3.5 two values", kraft.V35, v35TwoValues, v35Invariants, evaluable, 6, 0, 0, 0, "2 s"},
}

// TestKraftTLCFigures checks every figure against a BFS of the port.
func TestKraftTLCFigures(t *testing.T) {
	for _, f := range kraftFigures {
		t.Run(fmt.Sprintf("%s/%s", f.variant, f.name), func(t *testing.T) {
			if testing.Short() && f.distinct > 150_000 {
				t.Skip("large state space; run without -short")
			}
			r, err := newKraftRun(&Request{Kraft: KraftSpec{Variant: f.variant, Constants: f.consts}, Properties: f.invariants}, &Search{})
			if err != nil {
				t.Fatal(err)
			}
			if f.invariants == nil {
				r.props = nil // a complete search, as TLC's without invariants
			}
			o, err := checkKraftRun(r, (&Search{}).options())
			if err != nil {
				t.Fatal(err)
			}
			if f.violated != "" {
				if o.Verdict != explore.Violation || len(o.Violations) == 0 || o.Violations[0].Property != f.violated || o.Violations[0].Length != f.length {
					t.Fatalf("verdict %v, violations %+v; TLC: %s violated in %d states", o.Verdict, o.Violations, f.violated, f.length)
				}
				return
			}
			if o.Verdict != explore.OK || !o.Complete {
				t.Fatalf("verdict %v complete %v; TLC: a complete search without violation", o.Verdict, o.Complete)
			}
			if o.Stats.Distinct != f.distinct || o.Stats.Generated != f.generated || o.Stats.Depth != f.depth {
				t.Errorf("distinct %d, generated %d, depth %d; TLC: %d, %d, %d",
					o.Stats.Distinct, o.Stats.Generated, o.Stats.Depth, f.distinct, f.generated, f.depth)
			}
		})
	}
}
