package main

import (
	"fmt"
	"os"
	"strings"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/invariants"
	"electcheck/model"
)

// kafkaChecker checks electcheck's own Kafka partition model.
type kafkaChecker struct {
	model    *model.Model
	props    []invariants.Property
	symmetry bool   // search orbit representatives
	show     string // the witness whose trace is the primary one
}

// kafkaChecker builds the configuration from defaults, the --config file
// and the flags, in that order.
func (f *checkFlags) kafkaChecker(names []string) (*kafkaChecker, error) {
	for _, fl := range tlaFlags {
		if f.fs.Changed(fl) {
			return nil, usagef("--%s applies to --model %s only", fl, modelTLA)
		}
	}
	cfg := model.DefaultConfig()
	if f.configFile != "" {
		data, err := os.ReadFile(f.configFile)
		if err != nil {
			return nil, usagef("cannot read --config file: %v", err)
		}
		props, err := parseProperties(string(data))
		if err != nil {
			return nil, usagef("%s: %v", f.configFile, err)
		}
		for _, p := range props {
			if err := cfg.Set(p.Key, p.Value); err != nil {
				return nil, usagef("%s line %d: %v", f.configFile, p.Line, err)
			}
		}
	}
	for _, sf := range f.settings {
		if f.fs.Changed(sf.setting.Flag) {
			if err := cfg.Set(sf.setting.Key, sf.value); err != nil {
				return nil, usagef("--%s: %v", sf.setting.Flag, err)
			}
		}
	}
	m, err := model.New(cfg)
	if err != nil {
		return nil, usagef("%v", err)
	}
	props, err := invariants.Select(names)
	if err != nil {
		return nil, usagef("--invariants: %v", err)
	}
	if f.show != "" {
		known := false
		for _, w := range invariants.WitnessesFor(props) {
			known = known || w.Name == f.show
		}
		if !known {
			return nil, usagef("--show: %q is not a witness of the properties checked; 'electcheck list witnesses' lists them", f.show)
		}
	}
	return &kafkaChecker{model: m, props: props, symmetry: f.symmetry && m.SymmetryGroup() != nil, show: f.show}, nil
}

// spec wires the model and the chosen properties into the explorer.
func (c *kafkaChecker) spec() explore.Spec[model.State, model.Action] {
	m := c.model
	spec := explore.Spec[model.State, model.Action]{
		Model:     m,
		Kind:      func(a model.Action) int { return int(a.Kind) },
		KindNames: model.KindNames(),
	}
	for _, p := range c.props {
		check := p.Check
		spec.Invariants = append(spec.Invariants, explore.Invariant[model.State]{
			Name: p.Name, Check: func(s *model.State) error { return check(m, s) },
		})
	}
	for _, w := range invariants.WitnessesFor(c.props) {
		reached := w.Reached
		spec.Witnesses = append(spec.Witnesses, explore.Witness[model.State]{
			Name: w.Name, Reached: func(s *model.State) bool { return reached(m, s) },
		})
	}
	return spec
}

func (c *kafkaChecker) header() header {
	cfg := c.model.Config()
	f := cfg.Features()
	features := []string{f.Truncation.String()}
	if f.BrokerEpochs {
		features = append(features, "KIP-903 broker epochs on ISR join")
	}
	if f.StrictMinISR {
		features = append(features, "KAFKA-15583 HW held below min ISR")
	}
	b := cfg.Bounds
	return header{
		model:      modelKafka,
		modelLine:  cfg.String(),
		boundsLine: b.String(),
		symmetry:   c.symmetryLine(),
		config: jsonConfig{
			KafkaVersion: cfg.Version.String(), Features: features,
			ReplicationFactor: cfg.ReplicationFactor, MinInsyncReplicas: cfg.MinInsyncReplicas,
			Acks: cfg.Acks.String(), UncleanLeaderElection: cfg.UncleanLeaderElection,
			FlushEveryMessage: cfg.FlushEveryMessage, AutoLeaderRebalance: cfg.AutoLeaderRebalance,
			Consumer: cfg.Consumer, InitialLeader: int(cfg.InitialLeader), OperatorMayEnableUnclean: cfg.OperatorMayEnableUnclean,
		},
		bounds:     jsonBounds{b.Records, b.Crashes, b.PowerLosses, b.DiskLosses, b.CleanShutdowns, b.Pauses, b.MaxLeaderEpoch},
		fileConfig: history.KafkaConfig(cfg),
		command:    kafkaCommand(cfg),
	}
}

// kafkaCommand is the check command for a configuration: its settings that
// differ from the defaults, as flags.
func kafkaCommand(cfg model.Config) string {
	def := model.DefaultConfig()
	parts := []string{"electcheck check"}
	for _, s := range model.Settings {
		v := cfg.Get(s.Key)
		explicitUnclean := s.Key == "unclean.leader.election.enable" && cfg.UncleanLeaderElection != cfg.Version.DefaultUncleanLeaderElection()
		if v != def.Get(s.Key) && s.Key != "unclean.leader.election.enable" || explicitUnclean {
			parts = append(parts, fmt.Sprintf("--%s=%s", s.Flag, v))
		}
	}
	return strings.Join(parts, " ")
}

// symmetryLine says which brokers the search treats as interchangeable.
func (c *kafkaChecker) symmetryLine() string {
	g := c.model.SymmetryGroup()
	cfg := c.model.Config()
	switch {
	case c.symmetry:
		var ids []string
		for _, b := range g {
			ids = append(ids, b.String())
		}
		s := "brokers {" + strings.Join(ids, ",") + "} interchangeable (one state per renaming; traces show real ids)"
		if len(g) < cfg.ReplicationFactor {
			s += fmt.Sprintf("; broker %d, the preferred replica, is distinct", cfg.InitialLeader)
		}
		return s
	case g != nil:
		return "off (--symmetry=false): every renaming of the brokers counted"
	}
	return "none: no two brokers are interchangeable in this configuration"
}

func (c *kafkaChecker) check(opts explore.Options) (*outcome, error) {
	opts.Symmetry = c.symmetry
	res, err := explore.Run(c.spec(), opts)
	if err != nil {
		return nil, err
	}
	var props []propInfo
	for _, p := range c.props {
		props = append(props, propInfo{p.Name, p.Guards})
	}
	var wits []witnessInfo
	for _, w := range invariants.WitnessesFor(c.props) {
		wits = append(wits, witnessInfo{w.Name, w.Description, w.Availability})
	}
	configured := func(k int) bool { return c.model.KindConfigured(model.Kind(k)) }
	return newOutcome(c.header(), res, history.Kafka{M: c.model}, opts.Strategy, props, wits, configured, c.show)
}

type jsonConfig struct {
	KafkaVersion          string   `json:"kafka_version"`
	Features              []string `json:"features"`
	ReplicationFactor     int      `json:"replication_factor"`
	MinInsyncReplicas     int      `json:"min_insync_replicas"`
	Acks                  string   `json:"acks"`
	UncleanLeaderElection bool     `json:"unclean_leader_election"`
	FlushEveryMessage     bool     `json:"flush_every_message"`
	AutoLeaderRebalance   bool     `json:"auto_leader_rebalance"`
	Consumer              bool     `json:"consumer"`
	InitialLeader         int      `json:"initial_leader"`
	// OperatorMayEnableUnclean: the enable-unclean action is in the model.
	OperatorMayEnableUnclean bool `json:"operator_may_enable_unclean"`
}

type jsonBounds struct {
	Records        int `json:"records"`
	Crashes        int `json:"crashes"`
	PowerLosses    int `json:"power_losses"`
	DiskLosses     int `json:"disk_losses"`
	CleanShutdowns int `json:"clean_shutdowns"`
	Pauses         int `json:"pauses"`
	MaxLeaderEpoch int `json:"max_leader_epoch"`
}
