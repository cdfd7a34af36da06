package main

import (
	"strings"

	"github.com/spf13/pflag"

	"electcheck/checker"
	kraft "electcheck/model/kraftreplication"
)

// kraftFlags are the constants of the KRaft port, one flag each, named
// after the TLA+ constant in kebab case.
type kraftFlags struct {
	brokerCount, replicationFactor, minISR, isrSize int
	values                                          string
	noDataLoss, dataLoss, clean, unclean            int
	fence, shrink, reassign                         int
	avoidLRS                                        bool
}

// kraftCommon are the flags of both variants, kraftVariantFlags those of
// one.
var (
	kraftCommon = []string{"broker-count", "init-replication-factor", "values", "min-isr", "init-isr-size",
		"fence-broker-limit", "leader-shrink-isr-limit", "reassignment-limit"}
	kraftVariantFlags = [...][]string{
		kraft.V35:    {"clean-shutdown-limit", "unclean-shutdown-limit", "avoid-last-replica-standing"},
		kraft.KIP966: {"no-data-loss-shutdown-limit", "data-loss-shutdown-limit"},
	}
)

// kraftFlagNames lists every flag of the KRaft port.
func kraftFlagNames() []string {
	return append(append(append([]string{}, kraftCommon...), kraftVariantFlags[kraft.KIP966]...), kraftVariantFlags[kraft.V35]...)
}

// define adds the group. Defaults are the public TLC figure's constants
// (kraftreplication.DefaultConstants); a variant-specific limit's default
// is its variant's.
func (k *kraftFlags) define(c *command) {
	d, d35 := kraft.DefaultConstants(kraft.KIP966), kraft.DefaultConstants(kraft.V35)
	c.group("The KRaft port (--model kraft-replication; --variant v3.5 or kip-966, default kip-966)", func(fs *pflag.FlagSet) {
		fs.IntVar(&k.brokerCount, "broker-count", d.BrokerCount, "the constant BrokerCount")
		fs.IntVar(&k.replicationFactor, "init-replication-factor", d.InitReplicationFactor, "the constant InitReplicationFactor")
		fs.StringVar(&k.values, "values", d.Values, "the constant Values: the model values producers write, comma-separated")
		fs.IntVar(&k.minISR, "min-isr", d.MinISR, "the constant MinISR (min.insync.replicas)")
		fs.IntVar(&k.isrSize, "init-isr-size", d.InitIsrSize, "the constant InitIsrSize: replicas in the initial ISR")
		fs.IntVar(&k.noDataLoss, "no-data-loss-shutdown-limit", d.NoDataLossShutdownLimit, "kip-966: the constant NoDataLossShutdownLimit")
		fs.IntVar(&k.dataLoss, "data-loss-shutdown-limit", d.DataLossShutdownLimit, "kip-966: the constant DataLossShutdownLimit")
		fs.IntVar(&k.clean, "clean-shutdown-limit", d35.CleanShutdownLimit, "v3.5: the constant CleanShutdownLimit")
		fs.IntVar(&k.unclean, "unclean-shutdown-limit", d35.UncleanShutdownLimit, "v3.5: the constant UncleanShutdownLimit")
		fs.BoolVar(&k.avoidLRS, "avoid-last-replica-standing", d35.AvoidLastReplicaStanding, "v3.5: the constant AvoidLastReplicaStanding (no unclean shutdown of the ISR's last member)")
		fs.IntVar(&k.fence, "fence-broker-limit", d.FenceBrokerLimit, "the constant FenceBrokerLimit")
		fs.IntVar(&k.shrink, "leader-shrink-isr-limit", d.LeaderShrinkIsrLimit, "the constant LeaderShrinkIsrLimit")
		fs.IntVar(&k.reassign, "reassignment-limit", d.ReassignmentLimit, "the constant ReassignmentLimit")
	})
}

// refuseForeign refuses the flags of the ports other than model's own:
// the TLA+ port's (tlaFlags) and the KRaft port's. --variant is shared by
// the two ports.
func (f *requestFlags) refuseForeign(model string) error {
	changed := func(name string) bool { return f.fs.Lookup(name) != nil && f.fs.Changed(name) }
	if model == checker.ModelKafka && changed("variant") {
		return usagef("--variant applies to --model %s and %s only", checker.ModelTLA, checker.ModelKraft)
	}
	if model != checker.ModelTLA {
		for _, fl := range tlaFlags {
			if changed(fl) {
				return usagef("--%s applies to --model %s only", fl, checker.ModelTLA)
			}
		}
	}
	if model != checker.ModelKraft {
		for _, fl := range kraftFlagNames() {
			if changed(fl) {
				return usagef("--%s applies to --model %s only", fl, checker.ModelKraft)
			}
		}
	}
	return nil
}

// kraftRequest sets the KRaft port's variant and constants.
func (f *requestFlags) kraftRequest(req *checker.Request) error {
	if err := f.refuseForeign(checker.ModelKraft); err != nil {
		return err
	}
	if f.configFile != "" {
		return usagef("--config applies to --model %s only; give the specification's constants as flags", checker.ModelKafka)
	}
	if len(f.features) > 0 {
		return usagef("--feature applies to --model %s only", checker.ModelKafka)
	}
	for _, sf := range f.settings {
		if sf.set {
			return usagef("--%s applies to --model %s only; %s takes --variant and the constants' flags (%s)",
				sf.setting.Flag, checker.ModelKafka, checker.ModelKraft, strings.Join(kraftCommon, ", "))
		}
	}
	v := kraft.KIP966
	if f.fs.Changed("variant") {
		var err error
		if v, err = kraft.ParseVariant(f.variant); err != nil {
			return usagef("--variant: %v", err)
		}
	}
	other := kraft.V35
	if v == kraft.V35 {
		other = kraft.KIP966
	}
	for _, name := range kraftVariantFlags[other] {
		if f.fs.Changed(name) {
			return usagef("--%s is not a constant of --variant %s: it has --%s", name, v, strings.Join(kraftVariantFlags[v], ", --"))
		}
	}
	k := &f.kraft
	c := kraft.DefaultConstants(v)
	c.BrokerCount, c.InitReplicationFactor, c.Values, c.MinISR, c.InitIsrSize = k.brokerCount, k.replicationFactor, k.values, k.minISR, k.isrSize
	c.FenceBrokerLimit, c.LeaderShrinkIsrLimit, c.ReassignmentLimit = k.fence, k.shrink, k.reassign
	if v == kraft.KIP966 {
		c.NoDataLossShutdownLimit, c.DataLossShutdownLimit = k.noDataLoss, k.dataLoss
	} else {
		c.CleanShutdownLimit, c.UncleanShutdownLimit, c.AvoidLastReplicaStanding = k.clean, k.unclean, k.avoidLRS
	}
	if err := c.Validate(v); err != nil {
		return usagef("%v", err)
	}
	req.Kraft = checker.KraftSpec{Variant: v, Constants: c}
	return nil
}
