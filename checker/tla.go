package checker

import (
	"fmt"
	"strconv"

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

type tlaRun = portRun[*tlareplication.Model, tlareplication.State]

func newTLARun(req *Request, s *Search) (*tlaRun, error) {
	m, err := tlareplication.New(req.TLA.Variant, req.TLA.Constants)
	if err != nil {
		return nil, &BadRequest{err.Error()}
	}
	props := converted(tlareplication.Properties(), func(p tlareplication.Property) portProperty[*tlareplication.Model, tlareplication.State] {
		return portProperty[*tlareplication.Model, tlareplication.State](p)
	})
	wits := converted(tlareplication.Witnesses(), func(w tlareplication.Witness) portWitness[*tlareplication.Model, tlareplication.State] {
		return portWitness[*tlareplication.Model, tlareplication.State](w)
	})
	return newPortRun(m, props, wits, req, s, ModelTLA)
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
	return checkTLARun(r, s.options())
}

// checkTLARun searches the port with its properties (none: a complete
// search, as TLC's without invariants).
func checkTLARun(r *tlaRun, opts explore.Options) (*Outcome, error) {
	m := r.model
	spec := explore.Spec[tlareplication.State, tlareplication.Action]{
		Model: m, Kind: tlareplication.KindOf, KindNames: m.KindNames(),
	}
	var props []propInfo
	var wits []witnessInfo
	spec.Invariants, spec.Witnesses, props, wits = r.checks()
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
