package model

// Rates for electcheck risk: every action belongs to a family (its rate
// class and the broker acting), and a family's rate is split among the
// actions of it a state enables (the targets of an election, the records a
// power loss keeps), never multiplied by them. The rates themselves are
// the caller's; the model says which class an action is in and what
// Kafka's own timeouts are for a release.

// RateClass is the class of an action's rate.
type RateClass uint8

const (
	// RateProduce: a producer's next record.
	RateProduce RateClass = iota
	// RateProtocol: a protocol step (a fetch, an ISR expansion, the
	// controller's answer, a broker applying current metadata, an
	// election after a setting changed): one round trip.
	RateProtocol
	// RateLostResponse: a fetch whose response never arrives.
	RateLostResponse
	// RateLateMetadata: a broker applies an older epoch's metadata late.
	RateLateMetadata
	// RateLagTimeout: a leader shrinks a follower out of the ISR
	// (replica.lag.time.max.ms).
	RateLagTimeout
	// RateCrash, RatePowerLoss, RateDiskLoss, RatePause and
	// RateCleanShutdown: the faults, per broker.
	RateCrash
	RatePowerLoss
	RateDiskLoss
	RatePause
	RateCleanShutdown
	// RateDetect: the controller notices a silent broker (its session
	// timeout).
	RateDetect
	// RateRestart: a broker that crashed, lost power or shut down comes
	// back; RateDiskRepair: one whose disk failed does.
	RateRestart
	RateDiskRepair
	// RateResume: a paused broker resumes; RateRegister: a fenced running
	// broker registers again (its next heartbeat).
	RateResume
	RateRegister
	// RateRebalance: the preferred-replica election
	// (leader.imbalance.check.interval.seconds).
	RateRebalance
	// RateOperator: an operator enables unclean leader election.
	RateOperator
	// RateConsume: the consumer's next fetch.
	RateConsume
	// RateCorrelatedPowerLoss: every broker of the partition loses power
	// at once. One family for the whole partition (its Broker is None):
	// the rate is per cluster, not per broker.
	RateCorrelatedPowerLoss
	NumRateClasses
)

var rateClassNames = [NumRateClasses]string{
	RateProduce: "produce", RateProtocol: "protocol", RateLostResponse: "lost-response", RateLateMetadata: "late-metadata",
	RateLagTimeout: "lag-timeout", RateCrash: "crash", RatePowerLoss: "power-loss", RateDiskLoss: "disk-loss",
	RatePause: "pause", RateCleanShutdown: "clean-shutdown", RateDetect: "detect", RateRestart: "restart",
	RateDiskRepair: "disk-repair", RateResume: "resume", RateRegister: "register", RateRebalance: "rebalance",
	RateOperator: "operator", RateConsume: "consume", RateCorrelatedPowerLoss: "correlated-power-loss",
}

func (c RateClass) String() string {
	if c < NumRateClasses {
		return rateClassNames[c]
	}
	return "invalid"
}

// Fault reports whether the class is a fault's: what starts an incident.
func (c RateClass) Fault() bool {
	return c >= RateCrash && c <= RateCleanShutdown || c == RateCorrelatedPowerLoss
}

// Family is an action's rate family: its class and the broker acting
// (None for an action of the whole partition, such as a correlated power
// loss). Actions of one family enabled in one state share the family's
// rate.
type Family struct {
	Class  RateClass
	Broker BrokerID
}

// FamilyOf is the family of a, enabled in s.
func (m *Model) FamilyOf(s *State, a Action) Family {
	return Family{Class: m.rateClass(s, a), Broker: a.Broker}
}

func (m *Model) rateClass(s *State, a Action) RateClass {
	switch a.Kind {
	case Produce:
		return RateProduce
	case Fetch:
		if a.Lost {
			return RateLostResponse
		}
		return RateProtocol
	case Metadata:
		if a.Old {
			return RateLateMetadata
		}
		return RateProtocol
	case ShrinkISR:
		return RateLagTimeout
	case ExpandISR, AlterPartition, Elect:
		return RateProtocol
	case Consume:
		return RateConsume
	case Crash:
		return RateCrash
	case PowerLoss:
		return RatePowerLoss
	case DiskLoss:
		return RateDiskLoss
	case Pause:
		return RatePause
	case CleanShutdown:
		return RateCleanShutdown
	case Detect:
		return RateDetect
	case Restart:
		if s.Broker(a.Broker).Status == DiskLost {
			return RateDiskRepair
		}
		return RateRestart
	case Resume:
		return RateResume
	case Register:
		return RateRegister
	case PreferredElection:
		return RateRebalance
	case CorrelatedPowerLoss:
		return RateCorrelatedPowerLoss
	}
	return RateOperator // EnableUnclean
}

// Timings are Kafka's own timeouts that set rates, as a release ships them,
// in milliseconds as Kafka writes them: read from KafkaConfig.scala's
// Defaults at tags 2.4 and 2.5 (ZkSessionTimeoutMs 6000 then 18000,
// ReplicaLagTimeMaxMs 10000 then 30000, LeaderImbalanceCheckIntervalSeconds
// 300) and KRaftConfigs.java at 3.9 (BROKER_SESSION_TIMEOUT_MS_DEFAULT 9000).
type Timings struct {
	// SessionTimeoutMs is how long the controller waits before fencing a
	// silent broker: zookeeper.session.timeout.ms (6 s before 2.5, 18 s
	// from 2.5, KIP-537) or broker.session.timeout.ms under KRaft (9 s).
	SessionTimeoutMs int
	// LagTimeoutMs is replica.lag.time.max.ms (10 s before 2.5, 30 s from
	// 2.5, KIP-537).
	LagTimeoutMs int
	// RebalanceIntervalMs is leader.imbalance.check.interval.seconds
	// (300 s).
	RebalanceIntervalMs int
}

// DefaultTimings are the release's defaults for cfg's controller.
func DefaultTimings(cfg Config) Timings {
	t := Timings{SessionTimeoutMs: 18000, LagTimeoutMs: 30000, RebalanceIntervalMs: 300000}
	if !cfg.Version.AtLeast(2, 5) {
		t.SessionTimeoutMs, t.LagTimeoutMs = 6000, 10000
	}
	if cfg.Controller == KRaft {
		t.SessionTimeoutMs = 9000
	}
	return t
}
