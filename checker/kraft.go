package checker

import (
	"fmt"
	"strconv"
	"strings"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/history/render"
	kraft "electcheck/model/kraftreplication"
)

// The port of the TLA+ specifications Vanlightly/kafka-tlaplus
// kafka_data_replication/kraft/v3.5 and kip-966: its state counts are
// TLC's under the specification's VIEW (no symmetry).
func init() {
	register(modelEntry{
		name:        ModelKraft,
		description: "the port of the TLA+ specifications of KRaft replication, v3.5 and KIP-966 (model/kraftreplication), with TLC's state identity under their VIEW",
		check:       checkKraft,
		fromFile:    kraftFromFile,
		replay:      replayKraft,
		graph:       graphKraft,
	})
}

// evaluable is the property the port always checks: that TLC could have
// evaluated every step (kraftreplication.Evaluable).
const evaluable = "tlc-evaluable"

type kraftRun = portRun[*kraft.Model, kraft.State]

func newKraftRun(req *Request, s *Search) (*kraftRun, error) {
	m, err := kraft.New(req.Kraft.Variant, req.Kraft.Constants)
	if err != nil {
		return nil, &BadRequest{err.Error()}
	}
	props := converted(m.Properties(), func(p kraft.Property) portProperty[*kraft.Model, kraft.State] {
		return portProperty[*kraft.Model, kraft.State](p)
	})
	wits := converted(kraft.Witnesses(), func(w kraft.Witness) portWitness[*kraft.Model, kraft.State] {
		return portWitness[*kraft.Model, kraft.State](w)
	})
	return newPortRun(m, props, wits, req, s, fmt.Sprintf("%s --variant %s", ModelKraft, m.Variant()))
}

func checkKraft(req *Request, s *Search) (*Outcome, error) {
	r, err := newKraftRun(req, s)
	if err != nil {
		return nil, err
	}
	return checkKraftRun(r, s.options())
}

// checkKraftRun searches the port with its properties and tlc-evaluable.
func checkKraftRun(r *kraftRun, opts explore.Options) (*Outcome, error) {
	m := r.model
	spec := explore.Spec[kraft.State, kraft.Action]{Model: m, Kind: kraft.KindOf, KindNames: m.KindNames()}
	var props []propInfo
	var wits []witnessInfo
	spec.Invariants, spec.Witnesses, props, wits = r.checks(portProperty[*kraft.Model, kraft.State]{Name: evaluable, Check: kraft.Evaluable})
	res, err := explore.Run(spec, opts)
	if err != nil {
		return nil, err
	}
	configured := func(k int) bool { return m.Configured(kraft.Kind(k)) }
	return newOutcome(kraftHeader(m), res, render.Kraft{M: m}, opts.Strategy, props, wits, configured, r.show)
}

type kraftConfig struct {
	Variant                  string `json:"variant"`
	Module                   string `json:"module"`
	BrokerCount              int    `json:"broker_count"`
	InitReplicationFactor    int    `json:"init_replication_factor"`
	Values                   string `json:"values"`
	MinISR                   int    `json:"min_isr"`
	InitIsrSize              int    `json:"init_isr_size"`
	NoDataLossShutdownLimit  *int   `json:"no_data_loss_shutdown_limit,omitempty"`
	DataLossShutdownLimit    *int   `json:"data_loss_shutdown_limit,omitempty"`
	CleanShutdownLimit       *int   `json:"clean_shutdown_limit,omitempty"`
	UncleanShutdownLimit     *int   `json:"unclean_shutdown_limit,omitempty"`
	AvoidLastReplicaStanding *bool  `json:"avoid_last_replica_standing,omitempty"`
	FenceBrokerLimit         int    `json:"fence_broker_limit"`
	LeaderShrinkIsrLimit     int    `json:"leader_shrink_isr_limit"`
	ReassignmentLimit        int    `json:"reassignment_limit"`
}

func kraftHeader(m *kraft.Model) Header {
	v, k := m.Variant(), m.Constants()
	cfg := kraftConfig{Variant: v.String(), Module: v.Module(), BrokerCount: k.BrokerCount, InitReplicationFactor: k.InitReplicationFactor,
		Values: k.Values, MinISR: k.MinISR, InitIsrSize: k.InitIsrSize, FenceBrokerLimit: k.FenceBrokerLimit,
		LeaderShrinkIsrLimit: k.LeaderShrinkIsrLimit, ReassignmentLimit: k.ReassignmentLimit}
	cmd := fmt.Sprintf("electcheck check --model kraft-replication --variant %s --broker-count %d --init-replication-factor %d --values %s --min-isr %d --init-isr-size %d",
		v, k.BrokerCount, k.InitReplicationFactor, k.Values, k.MinISR, k.InitIsrSize)
	if v == kraft.KIP966 {
		cfg.NoDataLossShutdownLimit, cfg.DataLossShutdownLimit = &k.NoDataLossShutdownLimit, &k.DataLossShutdownLimit
		cmd += fmt.Sprintf(" --no-data-loss-shutdown-limit %d --data-loss-shutdown-limit %d", k.NoDataLossShutdownLimit, k.DataLossShutdownLimit)
	} else {
		cfg.CleanShutdownLimit, cfg.UncleanShutdownLimit, cfg.AvoidLastReplicaStanding = &k.CleanShutdownLimit, &k.UncleanShutdownLimit, &k.AvoidLastReplicaStanding
		cmd += fmt.Sprintf(" --clean-shutdown-limit %d --unclean-shutdown-limit %d --avoid-last-replica-standing=%t", k.CleanShutdownLimit, k.UncleanShutdownLimit, k.AvoidLastReplicaStanding)
	}
	cmd += fmt.Sprintf(" --fence-broker-limit %d --leader-shrink-isr-limit %d --reassignment-limit %d", k.FenceBrokerLimit, k.LeaderShrinkIsrLimit, k.ReassignmentLimit)
	return Header{
		Model:      ModelKraft,
		ModelLine:  fmt.Sprintf("TLA+ KRaft replication, module %s (--variant %s), %s", v.Module(), v, k.Text(v)),
		BoundsLine: "the specification's limits above; state identity TLC's under the specification's VIEW (no symmetry reduction)",
		Symmetry:   "none (the port keeps TLC's state identity under the VIEW)",
		Config:     cfg,
		Bounds:     kraftBounds(v, k),
		FileConfig: render.KraftConfig(v, k),
		Command:    cmd,
	}
}

// kraftBounds are the limits, for the JSON "bounds".
func kraftBounds(v kraft.Variant, k kraft.Constants) map[string]int {
	b := map[string]int{"fence_broker_limit": k.FenceBrokerLimit, "leader_shrink_isr_limit": k.LeaderShrinkIsrLimit,
		"reassignment_limit": k.ReassignmentLimit, "values": len(k.ValueNames())}
	if v == kraft.KIP966 {
		b["no_data_loss_shutdown_limit"], b["data_loss_shutdown_limit"] = k.NoDataLossShutdownLimit, k.DataLossShutdownLimit
	} else {
		b["clean_shutdown_limit"], b["unclean_shutdown_limit"] = k.CleanShutdownLimit, k.UncleanShutdownLimit
	}
	return b
}

func kraftFromFile(config map[string]string) (Request, error) {
	req := NewRequest()
	bad := func(format string, args ...any) (Request, error) {
		return req, fmt.Errorf("the trace file's configuration is invalid: "+format, args...)
	}
	v, err := kraft.ParseVariant(config["variant"])
	if err != nil {
		return bad("%v", err)
	}
	var c kraft.Constants
	ints := map[string]*int{"broker_count": &c.BrokerCount, "init_replication_factor": &c.InitReplicationFactor, "min_isr": &c.MinISR,
		"init_isr_size": &c.InitIsrSize, "fence_broker_limit": &c.FenceBrokerLimit, "leader_shrink_isr_limit": &c.LeaderShrinkIsrLimit,
		"reassignment_limit": &c.ReassignmentLimit}
	if v == kraft.KIP966 {
		ints["no_data_loss_shutdown_limit"], ints["data_loss_shutdown_limit"] = &c.NoDataLossShutdownLimit, &c.DataLossShutdownLimit
	} else {
		ints["clean_shutdown_limit"], ints["unclean_shutdown_limit"] = &c.CleanShutdownLimit, &c.UncleanShutdownLimit
	}
	for k, val := range config {
		switch {
		case k == "variant":
		case k == "values":
			c.Values = val
		case k == "avoid_last_replica_standing" && v == kraft.V35:
			if c.AvoidLastReplicaStanding, err = strconv.ParseBool(val); err != nil {
				return bad("avoid_last_replica_standing must be true or false, not %q", val)
			}
		case ints[k] != nil:
			if *ints[k], err = strconv.Atoi(val); err != nil {
				return bad("%s must be a whole number, not %q", k, val)
			}
		default:
			return req, fmt.Errorf("the trace file's configuration has an unknown setting %q", k)
		}
	}
	for k := range ints {
		if _, ok := config[k]; !ok {
			return bad("it lacks %s", k)
		}
	}
	if err := c.Validate(v); err != nil {
		return bad("%v", err)
	}
	req.Model, req.Kraft = ModelKraft, KraftSpec{Variant: v, Constants: c}
	return req, nil
}

// kraftByText renders the port for a replay, whose actions are their
// texts: an action binds a message of the state it is taken in, so it is
// found by its text among the enabled ones (kraftreplication.FindAction).
type kraftByText struct{ render.Kraft }

func (k kraftByText) ActionText(a string) string { return a }

func replayKraft(req *Request, f *history.File) (*history.ReplayResult, error) {
	m, err := kraft.New(req.Kraft.Variant, req.Kraft.Constants)
	if err != nil {
		return nil, fmt.Errorf("the trace file's configuration is invalid: %v", err)
	}
	names := m.KindNames()
	r := history.Replayer[kraft.State, string]{
		Init: m.Init()[0],
		Parse: func(text string) (string, error) {
			name, _, _ := strings.Cut(text, "(")
			for _, n := range names {
				if n == name && strings.HasSuffix(text, ")") {
					return text, nil
				}
			}
			return "", fmt.Errorf("%s has no action %q", m.Variant().Module(), name)
		},
		Step: func(s *kraft.State, text string) (kraft.State, error) {
			a, err := m.FindAction(s, text)
			if err != nil {
				return *s, err
			}
			return m.Next(s, a), nil
		},
		Render: kraftByText{render.Kraft{M: m}},
		Model:  fmt.Sprintf("TLA+ KRaft replication, module %s, %s", m.Variant().Module(), m.Constants().Text(m.Variant())),
		Bounds: "the specification's limits",
	}
	if f.Property != "" {
		var prop *kraft.Property
		for _, p := range append(m.Properties(), kraft.Property{Name: evaluable, Check: kraft.Evaluable}) {
			if p.Name == f.Property {
				prop = &p
			}
		}
		if prop == nil {
			return nil, fmt.Errorf("the trace names property %q, which %s --variant %s does not check", f.Property, ModelKraft, m.Variant())
		}
		r.Property = func(s *kraft.State) error { return prop.Check(m, s) }
	}
	return history.ReplayWith(f, r)
}

func graphKraft(req *Request, s *Search, limit int) (*Graph, error) {
	r, err := newKraftRun(req, s)
	if err != nil {
		return nil, err
	}
	return stateGraph(req, s, r.model, nil, render.Kraft{M: r.model}, limit)
}
