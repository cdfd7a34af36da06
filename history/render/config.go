package render

import (
	"strconv"

	"electcheck/model"
	"electcheck/model/tlareplication"
)

// KafkaConfig is the file form of a Kafka model configuration: every
// setting, by key, and the feature switches that are set.
func KafkaConfig(c model.Config) map[string]string {
	out := map[string]string{}
	for i := range model.Settings {
		s := &model.Settings[i]
		v := c.Get(s.Key)
		if _, isSwitch := s.Feature(); isSwitch && v == "" {
			continue // unset: the release's rules decide
		}
		out[s.Key] = v
	}
	return out
}

// TLAConfig is the file form of a TLA+ port configuration.
func TLAConfig(v tlareplication.Variant, c tlareplication.Constants) map[string]string {
	return map[string]string{
		"variant": v.String(), "replicas": strconv.Itoa(c.Replicas), "log_size": strconv.Itoa(c.LogSize),
		"max_records": strconv.Itoa(c.MaxRecords), "max_leader_epoch": strconv.Itoa(c.MaxLeaderEpoch),
	}
}
