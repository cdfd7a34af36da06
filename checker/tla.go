package checker

import (
	"fmt"
	"strconv"
	"strings"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/history/render"
	"electcheck/model/tlareplication"
)

// The port of the TLA+ specification hachikuji/kafka-specification: its
// state counts are TLC's (no symmetry, no normalisation).
func init() {
	register(modelEntry{
		name:        ModelTLA,
		description: "the port of the TLA+ specification KafkaReplication (model/tlareplication), with TLC's state identity",
		check:       checkTLA,
		fromFile:    tlaFromFile,
		replay:      replayTLA,
		graph:       graphTLA,
	})
}

type tlaRun struct {
	model *tlareplication.Model
	props []tlareplication.Property
	show  string
}

func newTLARun(req *Request, s *Search) (*tlaRun, error) {
	m, err := tlareplication.New(req.TLA.Variant, req.TLA.Constants)
	if err != nil {
		return nil, &BadRequest{err.Error()}
	}
	if s.Show != "" {
		known := false
		for _, w := range tlareplication.Witnesses() {
			known = known || w.Name == s.Show
		}
		if !known {
			return nil, badf("--show: %q is not a witness of %s", s.Show, ModelTLA)
		}
	}
	all := tlareplication.Properties()
	if len(req.Properties) == 0 {
		return &tlaRun{model: m, props: all, show: s.Show}, nil
	}
	var props []tlareplication.Property
	for _, p := range all {
		for _, n := range req.Properties {
			if strings.TrimSpace(n) == p.Name {
				props = append(props, p)
			}
		}
	}
	if len(props) != len(req.Properties) {
		var valid []string
		for _, p := range all {
			valid = append(valid, p.Name)
		}
		return nil, badf("--invariants: %s checks %s", ModelTLA, strings.Join(valid, ", "))
	}
	return &tlaRun{model: m, props: props, show: s.Show}, nil
}

type tlaConfig struct {
	Variant        string `json:"variant"`
	Module         string `json:"module"`
	Replicas       int    `json:"replicas"`
	LogSize        int    `json:"log_size"`
	MaxRecords     int    `json:"max_records"`
	MaxLeaderEpoch int    `json:"max_leader_epoch"`
}

type tlaBounds struct {
	LogSize        int `json:"log_size"`
	MaxRecords     int `json:"max_records"`
	MaxLeaderEpoch int `json:"max_leader_epoch"`
}

func checkTLA(req *Request, s *Search) (*Outcome, error) {
	r, err := newTLARun(req, s)
	if err != nil {
		return nil, err
	}
	return r.check(s.options())
}

// check searches the port with its properties (none: a complete search,
// as TLC's without invariants).
func (r *tlaRun) check(opts explore.Options) (*Outcome, error) {
	m := r.model
	spec := explore.Spec[tlareplication.State, tlareplication.Action]{
		Model: m, Kind: tlareplication.KindOf, KindNames: m.KindNames(),
	}
	guards := map[string]bool{}
	var props []propInfo
	for _, p := range r.props {
		check := p.Check
		spec.Invariants = append(spec.Invariants, explore.Invariant[tlareplication.State]{
			Name: p.Name, Check: func(s *tlareplication.State) error { return check(m, s) },
		})
		props = append(props, propInfo{p.Name, p.Guards})
		for _, g := range p.Guards {
			guards[g] = true
		}
	}
	var wits []witnessInfo
	for _, w := range tlareplication.Witnesses() {
		if !guards[w.Name] {
			continue
		}
		reached := w.Reached
		spec.Witnesses = append(spec.Witnesses, explore.Witness[tlareplication.State]{
			Name: w.Name, Reached: func(s *tlareplication.State) bool { return reached(m, s) },
		})
		wits = append(wits, witnessInfo{w.Name, w.Description, false})
	}
	res, err := explore.Run(spec, opts)
	if err != nil {
		return nil, err
	}
	names := m.KindNames()
	configured := func(k int) bool { return names[k] != "-" }
	return newOutcome(tlaHeader(m), res, render.TLA{M: m}, opts.Strategy, props, wits, configured, r.show)
}

func tlaHeader(m *tlareplication.Model) Header {
	k := m.Constants()
	return Header{
		Model:      ModelTLA,
		ModelLine:  fmt.Sprintf("TLA+ KafkaReplication, module %s (--variant %s), %s", m.Variant().Module(), m.Variant(), k),
		BoundsLine: fmt.Sprintf("LogSize = %d, MaxRecords = %d, MaxLeaderEpoch = %d (the specification's constants; no symmetry reduction)", k.LogSize, k.MaxRecords, k.MaxLeaderEpoch),
		Symmetry:   "none (the port keeps TLC's state identity)",
		Config:     tlaConfig{m.Variant().String(), m.Variant().Module(), k.Replicas, k.LogSize, k.MaxRecords, k.MaxLeaderEpoch},
		Bounds:     tlaBounds{k.LogSize, k.MaxRecords, k.MaxLeaderEpoch},
		FileConfig: render.TLAConfig(m.Variant(), k),
		Command: fmt.Sprintf("electcheck check --model tla-replication --variant %s --replicas %d --log-size %d --max-records %d --max-leader-epoch %d",
			m.Variant(), k.Replicas, k.LogSize, k.MaxRecords, k.MaxLeaderEpoch),
	}
}

func tlaFromFile(config map[string]string) (Request, error) {
	req := NewRequest()
	v, err := tlareplication.ParseVariant(config["variant"])
	if err != nil {
		return req, fmt.Errorf("the trace file's configuration is invalid: %v", err)
	}
	num := func(k string) (int, error) {
		n, err := strconv.Atoi(config[k])
		if err != nil {
			return 0, fmt.Errorf("the trace file's configuration is invalid: %s must be a whole number, not %q", k, config[k])
		}
		return n, nil
	}
	var c tlareplication.Constants
	for _, p := range []struct {
		key string
		dst *int
	}{{"replicas", &c.Replicas}, {"log_size", &c.LogSize}, {"max_records", &c.MaxRecords}, {"max_leader_epoch", &c.MaxLeaderEpoch}} {
		if *p.dst, err = num(p.key); err != nil {
			return req, err
		}
	}
	for k := range config {
		switch k {
		case "variant", "replicas", "log_size", "max_records", "max_leader_epoch":
		default:
			return req, fmt.Errorf("the trace file's configuration has an unknown setting %q", k)
		}
	}
	if err := c.Validate(); err != nil {
		return req, fmt.Errorf("the trace file's configuration is invalid: %v", err)
	}
	req.Model, req.TLA = ModelTLA, TLASpec{Variant: v, Constants: c}
	return req, nil
}

func replayTLA(req *Request, f *history.File) (*history.ReplayResult, error) {
	m, err := tlareplication.New(req.TLA.Variant, req.TLA.Constants)
	if err != nil {
		return nil, fmt.Errorf("the trace file's configuration is invalid: %v", err)
	}
	r := history.Replayer[tlareplication.State, tlareplication.Action]{
		Init:  m.Init()[0],
		Parse: m.ParseAction,
		Step: func(s *tlareplication.State, a tlareplication.Action) (tlareplication.State, error) {
			for _, b := range m.Actions(s, nil) {
				if b == a {
					return m.Next(s, a), nil
				}
			}
			return *s, fmt.Errorf("%s is not enabled", m.Format(a))
		},
		Render: render.TLA{M: m},
		Model:  fmt.Sprintf("TLA+ KafkaReplication, module %s, %s", m.Variant().Module(), m.Constants()),
		Bounds: "the specification's constants",
	}
	if f.Property != "" {
		var prop *tlareplication.Property
		for _, p := range tlareplication.Properties() {
			if p.Name == f.Property {
				prop = &p
			}
		}
		if prop == nil {
			return nil, fmt.Errorf("the trace names property %q, which %s does not check", f.Property, ModelTLA)
		}
		r.Property = func(s *tlareplication.State) error { return prop.Check(m, s) }
	}
	return history.ReplayWith(f, r)
}

func graphTLA(req *Request, s *Search, limit int) (*Graph, error) {
	r, err := newTLARun(req, s)
	if err != nil {
		return nil, err
	}
	return stateGraph(req, s, r.model, nil, render.TLA{M: r.model}, limit)
}
