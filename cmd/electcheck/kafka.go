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
		// A properties file describes a cluster: the keys it leaves out
		// take Kafka's defaults for the release, not electcheck's
		// recommended setup.
		cfg = model.NewConfig(model.KafkaDefaults)
		data, err := os.ReadFile(f.configFile)
		if err != nil {
			return nil, usagef("cannot read --config file: %v", err)
		}
		props, err := model.ParseProperties(string(data))
		if err != nil {
			return nil, usagef("%s: %v", f.configFile, err)
		}
		loaded, err := cfg.ApplyProperties(props)
		if err != nil {
			return nil, usagef("%s %v", f.configFile, err)
		}
		if len(loaded.Ignored) > 0 {
			f.notes = append(f.notes, fmt.Sprintf("%s: ignored Kafka settings the model does not use (%d): %s", f.configFile, len(loaded.Ignored), strings.Join(loaded.Ignored, ", ")))
		}
		if len(loaded.Unknown) > 0 {
			f.notes = append(f.notes, fmt.Sprintf("%s: ignored settings neither Kafka nor electcheck knows (%d): %s", f.configFile, len(loaded.Unknown), strings.Join(loaded.Unknown, ", ")))
		}
	}
	for _, sf := range f.settings {
		if f.fs.Changed(sf.setting.Flag) {
			if err := cfg.Set(sf.setting.Key, sf.value); err != nil {
				return nil, usagef("--%s: %v", sf.setting.Flag, err)
			}
		}
	}
	for _, fv := range f.features {
		name, value, ok := strings.Cut(fv, "=")
		if !ok {
			return nil, usagef("--feature %q: write NAME=on or NAME=off ('electcheck list features' names them)", fv)
		}
		feat, err := model.ParseFeature(name)
		if err != nil {
			return nil, usagef("--feature: %v", err)
		}
		if feat == model.EligibleLeaderReplicas {
			return nil, usagef("--feature %s: use --eligible-leader-replicas=%s, Kafka's eligible.leader.replicas.version, instead", fv, value)
		}
		if err := cfg.Set(model.FeatureKeyPrefix+feat.String(), value); err != nil {
			return nil, usagef("--feature: %v", err)
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
	features := cfg.Features().Names()
	if features == nil {
		features = []string{}
	}
	b := cfg.Bounds
	rules := "HW truncation"
	if len(features) > 0 {
		rules = strings.Join(features, ", ")
	}
	if w := cfg.WhatIf(); w != "" {
		rules += " [" + w + "]"
	}
	return header{
		model:      modelKafka,
		modelLine:  cfg.String(),
		rulesLine:  rules,
		baseLine:   baseLine(cfg),
		boundsLine: b.String(),
		symmetry:   c.symmetryLine(),
		config: jsonConfig{
			KafkaVersion: cfg.Version.String(), Controller: cfg.Controller.String(),
			EligibleLeaderReplicas: cfg.EligibleLeaderReplicas, Features: features,
			FeatureOverrides: overrides(cfg), WhatIf: cfg.WhatIf(), Base: baseName(cfg),
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
// differ from the recommended setup's for its release, as flags, then its
// feature switches.
func kafkaCommand(cfg model.Config) string {
	def := model.DefaultConfig()
	_ = def.Set("electcheck.kafka.version", cfg.Version.String())
	parts := []string{"electcheck check"}
	for _, s := range model.Settings {
		if v := cfg.Get(s.Key); v != def.Get(s.Key) {
			parts = append(parts, fmt.Sprintf("--%s=%s", s.Flag, v))
		}
	}
	for _, k := range cfg.FeatureKeys() {
		parts = append(parts, fmt.Sprintf("--feature %s=%s", strings.TrimPrefix(k, model.FeatureKeyPrefix), cfg.Get(k)))
	}
	return strings.Join(parts, " ")
}

// overrides lists the --feature switches in force, as NAME=on|off.
func overrides(cfg model.Config) []string {
	out := []string{}
	for _, k := range cfg.FeatureKeys() {
		out = append(out, strings.TrimPrefix(k, model.FeatureKeyPrefix)+"="+cfg.Get(k))
	}
	return out
}

func baseName(cfg model.Config) string {
	if cfg.Base == model.KafkaDefaults {
		return "kafka-defaults"
	}
	return "recommended"
}

// baseLine says where the settings not given come from.
func baseLine(cfg model.Config) string {
	if cfg.Base == model.KafkaDefaults {
		return fmt.Sprintf("Kafka %s's defaults for every setting the --config file and flags leave out", cfg.Version)
	}
	return "the recommended production setup (replication factor 3, acks=all, min.insync.replicas=2) for every setting the flags leave out"
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
	KafkaVersion string `json:"kafka_version"`
	Controller   string `json:"controller"`
	// EligibleLeaderReplicas is eligible.leader.replicas.version on.
	EligibleLeaderReplicas bool `json:"eligible_leader_replicas"`
	// Features are the protocol rules in force (electcheck list features),
	// FeatureOverrides the --feature switches that changed them, and
	// WhatIf a label when no release had this combination.
	Features              []string `json:"features"`
	FeatureOverrides      []string `json:"feature_overrides"`
	WhatIf                string   `json:"what_if,omitempty"`
	Base                  string   `json:"defaults"`
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
