package checker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/history/render"
	"electcheck/invariants"
	"electcheck/model"
)

// The Kafka model: electcheck's own, model/.
func init() {
	register(modelEntry{
		name:        ModelKafka,
		description: "electcheck's model of one Kafka partition (model/)",
		check:       checkKafka,
		fromFile:    kafkaFromFile,
		replay:      replayKafka,
		graph:       graphKafka,
	})
}

// kafkaRun is a request for the Kafka model, validated.
type kafkaRun struct {
	model    *model.Model
	props    []invariants.Property
	symmetry bool
	show     string
}

func newKafkaRun(req *Request, s *Search) (*kafkaRun, error) {
	m, err := model.New(req.Kafka)
	if err != nil {
		return nil, &BadRequest{err.Error()}
	}
	props, err := invariants.Select(req.Properties)
	if err != nil {
		return nil, &BadRequest{err.Error()}
	}
	if s.Show != "" {
		known := false
		for _, w := range invariants.WitnessesFor(props) {
			known = known || w.Name == s.Show
		}
		if !known {
			return nil, badf("--show: %q is not a witness of the properties checked; 'electcheck list witnesses' lists them", s.Show)
		}
	}
	return &kafkaRun{model: m, props: props, symmetry: !s.NoSymmetry && m.SymmetryGroup() != nil, show: s.Show}, nil
}

func checkKafka(req *Request, s *Search) (*Outcome, error) {
	r, err := newKafkaRun(req, s)
	if err != nil {
		return nil, err
	}
	opts := s.options()
	opts.Symmetry = r.symmetry
	res, err := explore.Run(r.spec(), opts)
	if err != nil {
		return nil, err
	}
	var props []propInfo
	for _, p := range r.props {
		props = append(props, propInfo{p.Name, p.Guards})
	}
	var wits []witnessInfo
	for _, w := range invariants.WitnessesFor(r.props) {
		wits = append(wits, witnessInfo{w.Name, w.Description, w.Availability})
	}
	configured := func(k int) bool { return r.model.KindConfigured(model.Kind(k)) }
	return newOutcome(r.header(), res, render.Kafka{M: r.model}, opts.Strategy, props, wits, configured, r.show)
}

// spec wires the model and the chosen properties into the explorer.
func (r *kafkaRun) spec() explore.Spec[model.State, model.Action] {
	m := r.model
	spec := explore.Spec[model.State, model.Action]{
		Model:     m,
		Kind:      func(a model.Action) int { return int(a.Kind) },
		KindNames: model.KindNames(),
		Changed:   func(a, b *model.State) uint64 { return uint64(model.Changed(a, b)) },
	}
	for _, p := range r.props {
		check := p.Check
		spec.Invariants = append(spec.Invariants, explore.Invariant[model.State]{
			Name: p.Name, Check: func(s *model.State) error { return check(m, s) }, Reads: uint64(p.Reads),
		})
	}
	for _, w := range invariants.WitnessesFor(r.props) {
		reached := w.Reached
		spec.Witnesses = append(spec.Witnesses, explore.Witness[model.State]{
			Name: w.Name, Reached: func(s *model.State) bool { return reached(m, s) },
		})
	}
	return spec
}

func (r *kafkaRun) header() Header {
	h := KafkaHeader(r.model.Config())
	h.Symmetry = r.symmetryLine()
	return h
}

// KafkaHeader names a configuration of the Kafka model as every report
// does (its symmetry line left to the search): for reports made outside
// this package, such as risk's.
func KafkaHeader(cfg model.Config) Header {
	cj, bj := KafkaJSON(cfg)
	return Header{
		Model:      ModelKafka,
		ModelLine:  cfg.String(),
		RulesLine:  RulesLine(cfg),
		BaseLine:   baseLine(cfg),
		BoundsLine: cfg.Bounds.String(),
		Config:     cj,
		Bounds:     bj,
		FileConfig: render.KafkaConfig(cfg),
		Command:    KafkaCommand(cfg),
	}
}

// RulesLine names the replication rules a configuration runs: its
// features in force (or "HW truncation", 0.10's rules, for none), with the
// what-if label when no release had them.
func RulesLine(cfg model.Config) string {
	rules := "HW truncation"
	if names := cfg.Features().Names(); len(names) > 0 {
		rules = strings.Join(names, ", ")
	}
	if w := cfg.WhatIf(); w != "" {
		rules += " [" + w + "]"
	}
	return rules
}

// object is a JSON object whose keys keep their order.
type object struct {
	keys   []string
	values map[string]any
}

func (o *object) set(k string, v any) {
	if o.values == nil {
		o.values = map[string]any{}
	}
	if _, ok := o.values[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.values[k] = v
}

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.values[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// KafkaJSON is a configuration's JSON "config" and "bounds" objects, from
// the settings table: each setting under its JSON name, bounds apart, and
// the features in force, the overrides, the what-if label and the base.
func KafkaJSON(cfg model.Config) (config, bounds any) {
	var c, b object
	for i := range model.Settings {
		s := &model.Settings[i]
		switch _, isSwitch := s.Feature(); {
		case isSwitch:
			// The switches are one list, "feature_overrides", below.
		case s.Bound:
			b.set(s.JSON, s.Value(&cfg))
		default:
			c.set(s.JSON, s.Value(&cfg))
		}
		if s.Key == "min.insync.replicas" {
			// What the leader enforces: capped at the replication factor
			// from 3.7 (model.Config.EffectiveMinISR).
			c.set("effective_min_insync_replicas", cfg.EffectiveMinISR())
		}
		if s.Key == "flush.messages" {
			// Kept for scripts written when the model knew only 1 or
			// unset (docs/cli.md): flush_messages says the same and more.
			c.set("flush_every_message", cfg.FlushMessages == 1)
		}
	}
	features := cfg.Features().Names()
	if features == nil {
		features = []string{}
	}
	c.set("features", features)
	overrides := []string{}
	for i := range model.Settings {
		s := &model.Settings[i]
		if f, isSwitch := s.Feature(); isSwitch && s.Value(&cfg) != "" {
			overrides = append(overrides, f.String()+"="+cfg.Get(s.Key))
		}
	}
	c.set("feature_overrides", overrides)
	if w := cfg.WhatIf(); w != "" {
		c.set("what_if", w)
	}
	base := "recommended"
	if cfg.Base == model.KafkaDefaults {
		base = "kafka-defaults"
	}
	c.set("defaults", base)
	return c, b
}

// KafkaCommand is the check command for a configuration: its settings that
// differ from the recommended setup's for its release, as flags, then its
// feature switches.
func KafkaCommand(cfg model.Config) string {
	return strings.Join(append([]string{"electcheck check"}, KafkaSettings(cfg).Flags()...), " ")
}

// KafkaSettings are a configuration's settings that differ from the
// recommended setup's for its release (the release first, the feature
// switches last): applied to NewRequest's configuration, they give cfg.
func KafkaSettings(cfg model.Config) Settings {
	def := model.DefaultConfig()
	_ = def.Set("electcheck.kafka.version", cfg.Version.String())
	const version = "electcheck.kafka.version"
	var out Settings
	rec := model.DefaultConfig()
	if v := cfg.Get(version); v != rec.Get(version) {
		out = append(out, version+"="+v)
	}
	for _, s := range model.Settings {
		if v := cfg.Get(s.Key); s.Key != version && v != def.Get(s.Key) {
			out = append(out, s.Key+"="+v)
		}
	}
	return out
}

// baseLine says where the settings not given come from.
func baseLine(cfg model.Config) string {
	if cfg.Base == model.KafkaDefaults {
		return fmt.Sprintf("Kafka %s's defaults for every setting the --config file and flags leave out", cfg.Version)
	}
	return "the recommended production setup (replication factor 3, acks=all, min.insync.replicas=2) for every setting the flags leave out"
}

// symmetryLine says which brokers the search treats as interchangeable.
func (r *kafkaRun) symmetryLine() string {
	g := r.model.SymmetryGroup()
	cfg := r.model.Config()
	switch {
	case r.symmetry:
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
		return "off: every renaming of the brokers counted"
	}
	return "none: no two brokers are interchangeable in this configuration"
}

// kafkaFromFile is the request a trace file's configuration describes:
// every setting by its key, the release first so that the keys given win
// over its defaults whatever their order.
func kafkaFromFile(config map[string]string) (Request, error) {
	req := NewRequest()
	cfg := model.DefaultConfig()
	invalid := func(err error) error { return fmt.Errorf("the trace file's configuration is invalid: %v", err) }
	if v, ok := config["electcheck.kafka.version"]; ok {
		if err := cfg.Set("electcheck.kafka.version", v); err != nil {
			return req, invalid(err)
		}
	}
	keys := make([]string, 0, len(config))
	for k := range config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "electcheck.kafka.version" {
			continue
		}
		if !knownKafkaKey(k) {
			return req, fmt.Errorf("the trace file's configuration has an unknown setting %q", k)
		}
		if err := cfg.Set(k, config[k]); err != nil {
			return req, invalid(err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return req, invalid(err)
	}
	req.Kafka = cfg
	return req, nil
}

func knownKafkaKey(k string) bool {
	s, ok := model.LookupSetting(k)
	return ok && s.Key == k
}

func replayKafka(req *Request, f *history.File) (*history.ReplayResult, error) {
	m, err := model.New(req.Kafka)
	if err != nil {
		return nil, fmt.Errorf("the trace file's configuration is invalid: %v", err)
	}
	r := history.Replayer[model.State, model.Action]{
		Init:   m.Init()[0],
		Parse:  model.ParseAction,
		Step:   m.Step,
		Render: render.Kafka{M: m},
		Model:  req.Kafka.String(),
		Rules:  RulesLine(req.Kafka),
		Bounds: req.Kafka.Bounds.String(),
	}
	if f.Property != "" {
		props, err := invariants.Select([]string{f.Property})
		if err != nil {
			return nil, fmt.Errorf("the trace names property %q: %v", f.Property, err)
		}
		r.Property = func(s *model.State) error { return props[0].Check(m, s) }
	}
	if f.Witness != "" {
		found := false
		for _, w := range invariants.Witnesses() {
			if w.Name == f.Witness {
				reached := w.Reached
				r.Witness = func(s *model.State) bool { return reached(m, s) }
				r.WitnessText = w.Description
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("the trace names witness %q, which this electcheck does not know", f.Witness)
		}
	}
	return history.ReplayWith(f, r)
}

func graphKafka(req *Request, s *Search, limit int) (*Graph, error) {
	r, err := newKafkaRun(req, s)
	if err != nil {
		return nil, err
	}
	var canon func(*model.State)
	if r.symmetry {
		canon = r.model.Canonicalize
	}
	return stateGraph(req, s, r.model, canon, render.Kafka{M: r.model}, limit)
}
