package kraftreplication

import (
	"fmt"
	"strings"
)

// Constants are the specifications' constants. Values holds the names of
// the model values of the constant set Values, comma-separated ("A,B").
// The shutdown limits are the variant's: NoDataLossShutdownLimit and
// DataLossShutdownLimit for kip-966, CleanShutdownLimit,
// UncleanShutdownLimit and AvoidLastReplicaStanding for v3.5; the other
// variant's stay zero.
type Constants struct {
	BrokerCount             int
	InitReplicationFactor   int
	Values                  string
	MinISR                  int
	InitIsrSize             int
	NoDataLossShutdownLimit int
	DataLossShutdownLimit   int
	CleanShutdownLimit      int
	UncleanShutdownLimit    int
	FenceBrokerLimit        int
	LeaderShrinkIsrLimit    int
	ReassignmentLimit       int
	// AvoidLastReplicaStanding (v3.5) disables an unclean shutdown of the
	// last member of the ISR.
	AvoidLastReplicaStanding bool
}

// MaxLimit bounds each of the limits: epochs must fit the representation.
const MaxLimit = 4

// DefaultConstants are those of the public TLC figure the port is checked
// against: two brokers, replication factor 2, min ISR 2, one value, one
// lossy shutdown and one fencing. For v3.5 the lossy shutdown is an
// unclean one, and AvoidLastReplicaStanding is off.
func DefaultConstants(v Variant) Constants {
	c := Constants{BrokerCount: 2, InitReplicationFactor: 2, Values: "A", MinISR: 2, InitIsrSize: 2, FenceBrokerLimit: 1}
	if v == KIP966 {
		c.DataLossShutdownLimit = 1
	} else {
		c.UncleanShutdownLimit = 1
	}
	return c
}

// ValueNames are the model values of Values, in the order given.
func (c Constants) ValueNames() []string {
	if c.Values == "" {
		return nil
	}
	return strings.Split(c.Values, ",")
}

// Validate reports the first constant outside the specification's ASSUMEs
// or the representation's limits, in one line naming the flag.
func (c Constants) Validate(v Variant) error {
	if err := c.validateValues(); err != nil {
		return err
	}
	type limit struct {
		flag string
		n    int
		ok   bool // the variant has the constant
	}
	limits := []limit{
		{"--no-data-loss-shutdown-limit", c.NoDataLossShutdownLimit, v == KIP966},
		{"--data-loss-shutdown-limit", c.DataLossShutdownLimit, v == KIP966},
		{"--clean-shutdown-limit", c.CleanShutdownLimit, v == V35},
		{"--unclean-shutdown-limit", c.UncleanShutdownLimit, v == V35},
		{"--fence-broker-limit", c.FenceBrokerLimit, true},
		{"--leader-shrink-isr-limit", c.LeaderShrinkIsrLimit, true},
		{"--reassignment-limit", c.ReassignmentLimit, true},
	}
	for _, l := range limits {
		switch {
		case !l.ok && l.n != 0:
			return fmt.Errorf("%s is not a constant of variant %s", l.flag, v)
		case l.n < 0 || l.n > MaxLimit:
			return fmt.Errorf("%s %d is out of range: use 0 to %d", l.flag, l.n, MaxLimit)
		}
	}
	if c.AvoidLastReplicaStanding && v != V35 {
		return fmt.Errorf("--avoid-last-replica-standing is not a constant of variant %s", v)
	}
	switch {
	case c.BrokerCount < 1 || c.BrokerCount > MaxBrokers:
		return fmt.Errorf("--broker-count %d is out of range: use 1 to %d", c.BrokerCount, MaxBrokers)
	case c.InitReplicationFactor < 1 || c.InitReplicationFactor > c.BrokerCount:
		return fmt.Errorf("--init-replication-factor %d is out of range: the specification assumes 1 <= InitReplicationFactor <= BrokerCount (%d)", c.InitReplicationFactor, c.BrokerCount)
	case c.MinISR < 0 || c.MinISR > c.InitReplicationFactor:
		return fmt.Errorf("--min-isr %d is out of range: the specification assumes 0 <= MinISR <= InitReplicationFactor (%d)", c.MinISR, c.InitReplicationFactor)
	case c.InitIsrSize < max(c.MinISR, 1) || c.InitIsrSize > c.InitReplicationFactor:
		return fmt.Errorf("--init-isr-size %d is out of range: the specification assumes MinISR (%d) <= InitIsrSize <= InitReplicationFactor (%d), and at least 1 (broker 1 leads)",
			c.InitIsrSize, c.MinISR, c.InitReplicationFactor)
	}
	return nil
}

func (c Constants) validateValues() error {
	names := c.ValueNames()
	if len(names) < 1 || len(names) > MaxValues {
		return fmt.Errorf("--values %q: give 1 to %d model values, comma-separated, such as A,B", c.Values, MaxValues)
	}
	for i, n := range names {
		if n == "" || !isIdentifier(n) {
			return fmt.Errorf("--values %q: %q is not a TLA+ identifier; use names such as A,B", c.Values, n)
		}
		for _, o := range names[:i] {
			if o == n {
				return fmt.Errorf("--values %q names %s twice", c.Values, n)
			}
		}
	}
	return nil
}

func isIdentifier(s string) bool {
	letter := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letter = true
		case r >= '0' && r <= '9', r == '_':
		default:
			return false
		}
	}
	return letter
}

// Text prints the constants as a TLC configuration of variant v sets
// them.
func (c Constants) Text(v Variant) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "BrokerCount = %d, InitReplicationFactor = %d, Values = {%s}, MinISR = %d, InitIsrSize = %d, ",
		c.BrokerCount, c.InitReplicationFactor, strings.Join(c.ValueNames(), ", "), c.MinISR, c.InitIsrSize)
	if v == V35 {
		fmt.Fprintf(&sb, "CleanShutdownLimit = %d, UncleanShutdownLimit = %d, ", c.CleanShutdownLimit, c.UncleanShutdownLimit)
	} else {
		fmt.Fprintf(&sb, "NoDataLossShutdownLimit = %d, DataLossShutdownLimit = %d, ", c.NoDataLossShutdownLimit, c.DataLossShutdownLimit)
	}
	fmt.Fprintf(&sb, "FenceBrokerLimit = %d, LeaderShrinkIsrLimit = %d, ReassignmentLimit = %d", c.FenceBrokerLimit, c.LeaderShrinkIsrLimit, c.ReassignmentLimit)
	if v == V35 {
		fmt.Fprintf(&sb, ", AvoidLastReplicaStanding = %s", strings.ToUpper(fmt.Sprint(c.AvoidLastReplicaStanding)))
	}
	return sb.String()
}
