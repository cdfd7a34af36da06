package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/model"
	kraft "electcheck/model/kraftreplication"
	"electcheck/model/tlareplication"
)

// settingFlag is a flag that sets one model.Config key. Its value is
// collected while parsing and applied after the --config file, so that
// flags override it; given twice with two values, it is refused rather
// than silently overridden.
type settingFlag struct {
	setting *model.Setting
	value   string
	set     bool
}

func (f *settingFlag) String() string { return f.value }
func (f *settingFlag) Type() string   { return f.setting.Type }
func (f *settingFlag) Set(v string) error {
	if f.set && v != f.value {
		return fmt.Errorf("--%s is given twice (%s, then %s): give it once", f.setting.Flag, f.value, v)
	}
	f.value, f.set = v, true
	return nil
}

// requestFlags are the flags that say what to check: the model, its
// configuration (a --config file, the settings, the feature switches, the
// bounds; or the TLA+ port's module and constants) and the properties.
// check and graph take all of them; simulate only the Kafka model's.
type requestFlags struct {
	fs         *pflag.FlagSet
	kafkaOnly  bool
	model      string
	configFile string
	settings   []*settingFlag
	features   []string
	variant    string
	replicas   int
	logSize    int
	maxRecords int
	kraft      kraftFlags
	invariants string
	// noProperties leaves out --invariants (risk measures one property).
	noProperties bool
}

// tlaFlags are the flags of the TLA+ port alone (--variant it shares with
// the KRaft port); maxLeaderEpochFlag is shared with the Kafka model.
var tlaFlags = []string{"replicas", "log-size", "max-records"}

const maxLeaderEpochFlag = "max-leader-epoch"

// define adds the flags to c under their headings. kafkaOnly leaves out
// --model and the TLA+ port's constants.
func (f *requestFlags) define(c *command, kafkaOnly bool) {
	f.fs, f.kafkaOnly = c.fs, kafkaOnly
	def := model.DefaultConfig()
	var kafka, bounds []string
	c.group("Model", func(fs *pflag.FlagSet) {
		if !kafkaOnly {
			fs.StringVar(&f.model, "model", checker.ModelKafka, "the model: kafka (electcheck's Kafka partition), tla-replication (the port of the TLA+ specification KafkaReplication) or kraft-replication (the port of the TLA+ specifications of KRaft replication)")
		}
		fs.StringVar(&f.configFile, "config", "", "read settings from a Kafka .properties file (server.properties, a topic or producer config); keys it leaves out take Kafka's defaults for the release; flags override it")
	})
	for i := range model.Settings {
		s := &model.Settings[i]
		if _, isSwitch := s.Feature(); isSwitch {
			continue // one --feature flag for every switch, below
		}
		help := s.Help
		if d := def.Get(s.Key); d != "" {
			help += fmt.Sprintf(" (default %s)", d)
		}
		help += " [" + s.Key + "]"
		if s.Flag == maxLeaderEpochFlag && !kafkaOnly {
			help += "; for tla-replication, the constant MaxLeaderEpoch (default 2)"
		}
		sf := &settingFlag{setting: s}
		f.settings = append(f.settings, sf)
		fl := c.fs.VarPF(sf, s.Flag, "", help)
		if s.Type == "bool" {
			fl.NoOptDefVal = "true"
		}
		if s.Bound {
			bounds = append(bounds, s.Flag)
		} else {
			kafka = append(kafka, s.Flag)
		}
	}
	c.fs.StringArrayVar(&f.features, "feature", nil, "force one protocol feature on or off, NAME=on|off, for what-if research (repeatable; 'electcheck list features' names them)")
	c.groups = append(c.groups, flagGroup{"Kafka settings (named after Kafka's; --config FILE reads the same keys)", append(kafka, "feature")},
		flagGroup{"Bounds of the search (each a total for the whole run)", bounds})
	if !kafkaOnly {
		c.group("The TLA+ port (--model tla-replication; --max-leader-epoch applies too)", func(fs *pflag.FlagSet) {
			tc := tlareplication.DefaultConstants()
			fs.StringVar(&f.variant, "variant", "", "the specification: for tla-replication the module, one of "+strings.Join(tlareplication.Variants(), ", ")+
				" (default kip320); for kraft-replication "+strings.Join(kraft.Variants(), " or ")+" (default kip-966)")
			fs.IntVar(&f.replicas, "replicas", tc.Replicas, "the constant Replicas, as a number of replicas r1..rN")
			fs.IntVar(&f.logSize, "log-size", tc.LogSize, "the constant LogSize")
			fs.IntVar(&f.maxRecords, "max-records", tc.MaxRecords, "the constant MaxRecords")
		})
		f.kraft.define(c)
	}
	if f.noProperties {
		return
	}
	c.group("Properties", func(fs *pflag.FlagSet) {
		fs.StringVar(&f.invariants, "invariants", "", "comma-separated properties to check (default all; 'electcheck list properties')")
	})
}

// request is the check the flags describe. notes are things to say on
// stderr before the search: keys of the --config file that were ignored,
// defaults derived from what was given.
func (f *requestFlags) request() (req checker.Request, notes []string, err error) {
	req = checker.NewRequest()
	if f.invariants != "" {
		req.Properties = strings.Split(f.invariants, ",")
	}
	switch m := strings.ToLower(strings.TrimSpace(f.model)); m {
	case checker.ModelKafka, "":
		req.Model = checker.ModelKafka
		notes, err = f.kafka(&req)
	case checker.ModelTLA:
		req.Model = checker.ModelTLA
		err = f.tla(&req)
	case checker.ModelKraft:
		req.Model = checker.ModelKraft
		err = f.kraftRequest(&req)
	default:
		names := checker.ModelNames()
		err = usagef("--model must be %s or %s, not %q", strings.Join(names[:len(names)-1], ", "), names[len(names)-1], f.model)
	}
	return req, notes, err
}

// kafka sets the Kafka model's configuration: the --config file (or the
// recommended setup), then the flags given, then --feature.
func (f *requestFlags) kafka(req *checker.Request) (notes []string, err error) {
	if err := f.refuseForeign(checker.ModelKafka); err != nil {
		return nil, err
	}
	cfg := model.DefaultConfig()
	if f.configFile != "" {
		var loaded model.Loaded
		if cfg, loaded, err = checker.LoadProperties(f.configFile); err != nil {
			return nil, err
		}
		if len(loaded.Ignored) > 0 {
			notes = append(notes, fmt.Sprintf("%s: ignored Kafka settings the model does not use (%d): %s", f.configFile, len(loaded.Ignored), strings.Join(loaded.Ignored, ", ")))
		}
		if len(loaded.Unknown) > 0 {
			notes = append(notes, fmt.Sprintf("%s: ignored settings neither Kafka nor electcheck knows (%d): %s", f.configFile, len(loaded.Unknown), strings.Join(loaded.Unknown, ", ")))
		}
	}
	for _, sf := range f.settings {
		if sf.set {
			if err := cfg.Set(sf.setting.Key, sf.value); err != nil {
				return nil, usagef("--%s: %v", sf.setting.Flag, err)
			}
		}
	}
	given := map[model.Feature]string{}
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
		s := model.FeatureSetting(feat)
		if err := cfg.Set(s.Key, value); err != nil {
			return nil, usagef("--feature: %v", err)
		}
		now := cfg.Get(s.Key)
		if before, twice := given[feat]; twice && before != now {
			return nil, usagef("--feature %s is given as %s and as %s: a contradiction; give it once", feat, before, now)
		}
		given[feat] = now
	}
	req.Kafka = cfg
	return notes, nil
}

// tla sets the TLA+ port's module and constants.
func (f *requestFlags) tla(req *checker.Request) error {
	if err := f.refuseForeign(checker.ModelTLA); err != nil {
		return err
	}
	if f.configFile != "" {
		return usagef("--config applies to --model %s only; give the specification's constants as flags", checker.ModelKafka)
	}
	if len(f.features) > 0 {
		return usagef("--feature applies to --model %s only", checker.ModelKafka)
	}
	c := tlareplication.DefaultConstants()
	for _, sf := range f.settings {
		if !sf.set {
			continue
		}
		if sf.setting.Flag != maxLeaderEpochFlag {
			return usagef("--%s applies to --model %s only; %s takes --variant, --replicas, --log-size, --max-records and --max-leader-epoch",
				sf.setting.Flag, checker.ModelKafka, checker.ModelTLA)
		}
		n, err := strconv.Atoi(sf.value)
		if err != nil {
			return usagef("--%s must be a whole number, not %q", maxLeaderEpochFlag, sf.value)
		}
		c.MaxLeaderEpoch = n
	}
	c.Replicas, c.LogSize, c.MaxRecords = f.replicas, f.logSize, f.maxRecords
	v := tlareplication.Kip320
	if f.fs.Changed("variant") {
		var err error
		if v, err = tlareplication.ParseVariant(f.variant); err != nil {
			return usagef("--variant: %v", err)
		}
	}
	req.TLA = checker.TLASpec{Variant: v, Constants: c}
	return nil
}
