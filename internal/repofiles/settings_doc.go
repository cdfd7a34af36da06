package repofiles

import (
	"fmt"
	"strings"

	"electcheck/history"
	"electcheck/model"
)

// CLIDoc is the command-line reference, whose settings table is generated.
const CLIDoc = "docs/cli.md"

// SettingsTable is the settings table of docs/cli.md, from model.Settings:
// flag, key and aliases, the recommended setup's value, Kafka's default
// (and the release each value starts from), and what it means.
func SettingsTable() string {
	var sb strings.Builder
	sb.WriteString("| flag | properties key | recommended | Kafka's default | meaning |\n|---|---|---|---|---|\n")
	for _, s := range model.Settings {
		flag := "`--" + s.Flag + "`"
		rec, kafka := recommended(&s), kafkaDefaults(&s)
		if f, isSwitch := s.Feature(); isSwitch {
			flag = "`--feature " + f.String() + "=on\\|off`"
			if f == model.EligibleLeaderReplicas {
				flag = "(`--eligible-leader-replicas`)" // the release's own switch
			}
			rec, kafka = "the release's", "the release's"
		}
		key := "`" + s.Key + "`"
		if len(s.Aliases) > 0 {
			key += " (or `" + strings.Join(s.Aliases, "`, `") + "`)"
		}
		fmt.Fprintf(&sb, "| %s | %s | %s | %s | %s |\n", flag, key, rec, kafka, history.MarkdownCell(s.Help))
	}
	return sb.String()
}

// recommended is a setting's value in the recommended setup: one value, or
// "the release's" where it follows the release (as the controller does).
func recommended(s *model.Setting) string {
	first := s.Default(model.Recommended, model.Versions[0])
	for _, v := range model.Versions[1:] {
		if s.Default(model.Recommended, v) != first {
			return "the release's"
		}
	}
	return orUnset(first)
}

// kafkaDefaults describes a setting's Kafka default across releases: one
// value, or the values with the release each starts from.
func kafkaDefaults(s *model.Setting) string {
	first := s.Default(model.KafkaDefaults, model.Versions[0])
	out := orUnset(first)
	last := first
	for _, v := range model.Versions[1:] {
		if d := s.Default(model.KafkaDefaults, v); d != last {
			out += fmt.Sprintf("; %s from %s", orUnset(d), v)
			last = d
		}
	}
	return out
}

func orUnset(s string) string {
	if s == "" {
		return "unset"
	}
	return s
}
