package invariants_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"electcheck/invariants"
	"electcheck/model"
)

// TestScenarios walks the stories of ../shared/seeds (and the known results
// of kafka-replication.md) step by step. Each script in
// testdata/scenarios is a sequence of commands; the expected output under
// each is the state the command led to, in model.Describe's text.
// Regenerate with: go test ./invariants -run TestScenarios -rewrite
//
// Commands:
//
//	config flag=value ...   start a new partition (flags as electcheck check takes them)
//	<action>                apply an action, e.g. "produce 1", "detect 1 elect 2"
//	run                     apply the actions listed in the input, one per line; print the end state
//	check                   evaluate every property on the current state
//	witnesses               list the witnesses the current state reaches
//	enabled                 list the enabled actions
//	save NAME / restore NAME
//	set flag=value ...      change a setting mid-story (an operator's decision), keeping the state
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("../testdata/scenarios/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario scripts found: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var sc scenario
			datadriven.RunTest(t, file, func(t *testing.T, d *datadriven.TestData) string {
				return sc.do(t, d)
			})
		})
	}
}

type scenario struct {
	cfg   model.Config
	m     *model.Model
	s     model.State
	saved map[string]model.State
}

func settingByFlag(flag string) (model.Setting, bool) {
	for _, s := range model.Settings {
		if s.Flag == flag {
			return s, true
		}
	}
	return model.Setting{}, false
}

func (sc *scenario) apply(t *testing.T, d *datadriven.TestData) {
	for _, arg := range d.CmdArgs {
		s, ok := settingByFlag(arg.Key)
		if !ok || len(arg.Vals) != 1 {
			d.Fatalf(t, "unknown setting %q", arg.String())
		}
		if err := sc.cfg.Set(s.Key, arg.Vals[0]); err != nil {
			d.Fatalf(t, "%v", err)
		}
	}
	m, err := model.New(sc.cfg)
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	sc.m = m
}

func (sc *scenario) do(t *testing.T, d *datadriven.TestData) string {
	switch d.Cmd {
	case "config":
		sc.cfg = model.DefaultConfig()
		sc.apply(t, d)
		sc.s = sc.m.Init()[0]
		sc.saved = map[string]model.State{}
		return sc.m.Describe(&sc.s)
	case "set":
		sc.apply(t, d)
		return sc.cfg.String() + "\n"
	}
	if sc.m == nil {
		d.Fatalf(t, "the script must start with config")
	}
	switch d.Cmd {
	case "check":
		var sb strings.Builder
		for _, p := range invariants.Properties() {
			if err := p.Check(sc.m, &sc.s); err != nil {
				fmt.Fprintf(&sb, "%s: VIOLATED: %v\n", p.Name, err)
			} else {
				fmt.Fprintf(&sb, "%s: holds\n", p.Name)
			}
		}
		return sb.String()
	case "witnesses":
		var sb strings.Builder
		for _, w := range invariants.Witnesses() {
			if w.Reached(sc.m, &sc.s) {
				fmt.Fprintf(&sb, "%s\n", w.Name)
			}
		}
		return sb.String()
	case "enabled":
		var sb strings.Builder
		for _, a := range sc.m.Actions(&sc.s, nil) {
			fmt.Fprintf(&sb, "%s\n", a)
		}
		return sb.String()
	case "save", "restore":
		if len(d.CmdArgs) != 1 {
			d.Fatalf(t, "%s takes a name", d.Cmd)
		}
		name := d.CmdArgs[0].Key
		if d.Cmd == "save" {
			sc.saved[name] = sc.s
			return ""
		}
		s, ok := sc.saved[name]
		if !ok {
			d.Fatalf(t, "nothing saved as %q", name)
		}
		sc.s = s
		return sc.m.Describe(&sc.s)
	case "run":
		for _, line := range strings.Split(strings.TrimSpace(d.Input), "\n") {
			if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if err := sc.step(line); err != nil {
				d.Fatalf(t, "%v", err)
			}
		}
		return sc.m.Describe(&sc.s)
	}
	words := []string{d.Cmd}
	for _, a := range d.CmdArgs {
		words = append(words, a.String())
	}
	if err := sc.step(strings.Join(words, " ")); err != nil {
		return "error: " + err.Error() + "\n"
	}
	return sc.m.Describe(&sc.s)
}

func (sc *scenario) step(text string) error {
	a, err := model.ParseAction(text)
	if err != nil {
		return err
	}
	next, err := sc.m.Step(&sc.s, a)
	if err != nil {
		return err
	}
	sc.s = next
	return nil
}
