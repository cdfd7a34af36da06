package main

import (
	"fmt"
	"strconv"
	"strings"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/model/tlareplication"
)

// tlaChecker checks the port of the TLA+ specification. Its state counts
// are TLC's: no symmetry, no normalisation.
type tlaChecker struct {
	model *tlareplication.Model
	props []tlareplication.Property
	show  string
}

func (f *checkFlags) tlaChecker(names []string) (*tlaChecker, error) {
	if f.configFile != "" {
		return nil, usagef("--config applies to --model %s only; give the specification's constants as flags", modelKafka)
	}
	if f.fs.Changed("symmetry") && f.symmetry {
		return nil, usagef("--symmetry does not apply to --model %s: its state counts must stay TLC's", modelTLA)
	}
	c := tlareplication.DefaultConstants()
	for _, sf := range f.settings {
		if !f.fs.Changed(sf.setting.Flag) {
			continue
		}
		if sf.setting.Flag != maxLeaderEpochFlag {
			return nil, usagef("--%s applies to --model %s only; %s takes --variant, --replicas, --log-size, --max-records and --max-leader-epoch",
				sf.setting.Flag, modelKafka, modelTLA)
		}
		n, err := strconv.Atoi(sf.value)
		if err != nil {
			return nil, usagef("--%s must be a whole number, not %q", maxLeaderEpochFlag, sf.value)
		}
		c.MaxLeaderEpoch = n
	}
	c.Replicas, c.LogSize, c.MaxRecords = f.replicas, f.logSize, f.maxRecords
	v, err := tlareplication.ParseVariant(f.variant)
	if err != nil {
		return nil, usagef("--variant: %v", err)
	}
	m, err := tlareplication.New(v, c)
	if err != nil {
		return nil, usagef("%v", err)
	}
	all := tlareplication.Properties()
	if f.show != "" {
		known := false
		for _, w := range tlareplication.Witnesses() {
			known = known || w.Name == f.show
		}
		if !known {
			return nil, usagef("--show: %q is not a witness of %s", f.show, modelTLA)
		}
	}
	if len(names) == 0 {
		return &tlaChecker{model: m, props: all, show: f.show}, nil
	}
	var props []tlareplication.Property
	for _, p := range all {
		for _, n := range names {
			if strings.TrimSpace(n) == p.Name {
				props = append(props, p)
			}
		}
	}
	if len(props) != len(names) {
		var valid []string
		for _, p := range all {
			valid = append(valid, p.Name)
		}
		return nil, usagef("--invariants: %s checks %s", modelTLA, strings.Join(valid, ", "))
	}
	return &tlaChecker{model: m, props: props, show: f.show}, nil
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

func (c *tlaChecker) check(opts explore.Options) (*outcome, error) {
	m := c.model
	spec := explore.Spec[tlareplication.State, tlareplication.Action]{
		Model: m, Kind: tlareplication.KindOf, KindNames: m.KindNames(),
	}
	guards := map[string]bool{}
	var props []propInfo
	for _, p := range c.props {
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
	k := m.Constants()
	h := header{
		model:      modelTLA,
		modelLine:  fmt.Sprintf("TLA+ KafkaReplication, module %s (--variant %s), %s", m.Variant().Module(), m.Variant(), k),
		boundsLine: fmt.Sprintf("LogSize = %d, MaxRecords = %d, MaxLeaderEpoch = %d (the specification's constants; no symmetry reduction)", k.LogSize, k.MaxRecords, k.MaxLeaderEpoch),
		symmetry:   "none (the port keeps TLC's state identity)",
		config:     tlaConfig{m.Variant().String(), m.Variant().Module(), k.Replicas, k.LogSize, k.MaxRecords, k.MaxLeaderEpoch},
		bounds:     tlaBounds{k.LogSize, k.MaxRecords, k.MaxLeaderEpoch},
		fileConfig: history.TLAConfig(m.Variant(), k),
		command: fmt.Sprintf("electcheck check --model tla-replication --variant %s --replicas %d --log-size %d --max-records %d --max-leader-epoch %d",
			m.Variant(), k.Replicas, k.LogSize, k.MaxRecords, k.MaxLeaderEpoch),
	}
	names := m.KindNames()
	configured := func(k int) bool { return names[k] != "-" }
	return newOutcome(h, res, history.TLA{M: m}, opts.Strategy, props, wits, configured, c.show)
}
