package sweep

import (
	"strings"
	"testing"

	"electcheck/checker"
)

func TestSettingAxis(t *testing.T) {
	labels := func(a Axis) string {
		var out []string
		for _, v := range a.Values {
			out = append(out, v.Label)
		}
		return strings.Join(out, " ")
	}
	good := map[[2]string]string{
		{"replication-factor", "2,3"}:                 "2 3",
		{"min.insync.replicas", "1..3"}:               "1 2 3",
		{"acks", "1, all"}:                            "1 all",
		{"acks", "-1,0"}:                              "all 0",
		{"unclean-leader-election", "false,true"}:     "false true",
		{"kafka-version", "2.0..2.3"}:                 "2.0 2.1 2.2 2.3",
		{"kafka-version", "0.10.2.1,4.1"}:             "0.10.2.1 4.1",
		{"crashes", "0,2..3"}:                         "0 2 3",
		{"electcheck.feature.fenced-fetch", "on,off"}: "on off",
	}
	for in, want := range good {
		a, err := SettingAxis(in[0], in[1])
		if err != nil || labels(a) != want {
			t.Errorf("%s %q: %q, %v; want %q", in[0], in[1], labels(a), err, want)
		}
	}
	bad := map[[2]string]string{
		{"replication-factor", "2,,3"}:               "empty item",
		{"replication-factor", "3..1"}:               "is empty",
		{"replication-factor", "a..b"}:               "not a range of whole numbers",
		{"replication-factor", "1..100000"}:          "more than 1000 values",
		{"unclean-leader-election", "0..1"}:          "not a range",
		{"acks", "1,1"}:                              "given twice",
		{"acks", "1,-1,all"}:                         "all is given twice",
		{"kafka-version", "3.9..2.0"}:                "older release first",
		{"kafka-version", "0.9..2.0"}:                "unknown Kafka version",
		{"replicas", "2,3"}:                          `unknown setting "replicas"`,
		{"electcheck.feature.nope", "on"}:            "unknown feature",
		{"electcheck.feature.fenced-fetch", "maybe"}: "must be on or off",
	}
	for in, want := range bad {
		_, err := SettingAxis(in[0], in[1])
		if err == nil || !checker.IsBadRequest(err) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %q: %v; want a one-line bad request mentioning %q", in[0], in[1], err, want)
		}
	}
}

func TestParseSweepFile(t *testing.T) {
	sp, err := ParseFile("# the durability question\nreplication.factor = 2,3\nmin-insync-replicas=1..2\n\n" +
		"axis.faults.crashes = electcheck.crashes=2\naxis.faults.power = electcheck.crashes=2 electcheck.power.losses=1\nelectcheck.records = 1\n")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sp.Sweep()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range sw.Axes {
		names = append(names, a.String())
	}
	if got := strings.Join(names, " × "); got != "replication-factor {2, 3} × min-insync-replicas {1, 2} × faults {crashes, power}" {
		t.Errorf("axes %s", got)
	}
	if strings.Join(sw.Base, " ") != "electcheck.records=1" || sw.Cells() != 8 {
		t.Errorf("base %v, %d cells", sw.Base, sw.Cells())
	}
	bad := map[string]string{
		"log.dirs = /tmp\n":                                      `line 1: unknown setting "log.dirs"`,
		"acks = 1\nacks = all\n":                                 "line 2: acks is given twice (line 1)",
		"acks = 1\nacks=1\n":                                     "given twice",
		"acks\n":                                                 "line 1: \"acks\" is not key = values",
		"acks =\n":                                               "line 1: acks has no values",
		"axis.faults = electcheck.crashes=1\n":                   "axis.NAME.VALUE",
		"axis.faults.a = crashes\n":                              "not key=value",
		"axis.faults.a = electcheck.crashes=x\n":                 "whole number",
		"axis.Faults.a = electcheck.crashes=1\n":                 "lower-case",
		"axis.acks.a = electcheck.crashes=1\n":                   "is a setting's flag",
		"min.insync.replicas = 1..\n":                            "line 1",
		"kafka-version = 2.0..9.9\n":                             "unknown Kafka version",
		"axis.f.a = electcheck.crashes=1 electcheck.crashes=2\n": "set twice",
	}
	for in, want := range bad {
		_, err := ParseFile(in)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v; want an error mentioning %q", in, err, want)
		}
	}
	// A bundle that sets what a list also sets is refused, not overridden.
	sp, _ = ParseFile("electcheck.crashes = 1\naxis.f.a = electcheck.crashes=2\n")
	if _, err := sp.Sweep(); err == nil || !strings.Contains(err.Error(), "give it in one place") {
		t.Errorf("a bundle overriding a list: %v", err)
	}
}

func FuzzParseSweepFile(f *testing.F) {
	f.Add("replication.factor = 2,3\nacks=1,all\n")
	f.Add("axis.faults.crashes = electcheck.crashes=2\naxis.faults.power = electcheck.power.losses=1\n")
	f.Add("kafka-version = 0.10..4.4\nelectcheck.feature.fenced-fetch = on,off\n# comment\n")
	f.Fuzz(func(t *testing.T, text string) {
		sp, err := ParseFile(text)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		sw, err := sp.Sweep()
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		// Every cell of a sweep that parses resolves, or is skipped with
		// a reason: planning never panics.
		if sw.Cells() <= 64 {
			if p, err := sw.Plan(); err == nil && len(p.Cells)+len(p.Skipped) != sw.Cells() {
				t.Fatalf("%d cells and %d skipped of %d", len(p.Cells), len(p.Skipped), sw.Cells())
			}
		}
	})
}
