package invariants_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"electcheck/checker"
	"electcheck/history"
	"electcheck/history/render"
	"electcheck/invariants"
	"electcheck/model"
)

// TestScenarios walks the seed stories (accounts of how Kafka loses data,
// or does not) and some known results step by step. Each script in
// testdata/scenarios is a sequence of commands; the expected output under
// each is the state the command led to, in model.Describe's text.
// Regenerate with: go test ./invariants -run TestScenarios -update
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
//	trace NAME              record the path so far as the golden trace testdata/traces/NAME.json
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("../testdata/scenarios/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario scripts found: %v", err)
	}
	if *update {
		// datadriven rewrites the scripts' expected output under its own
		// flag; -update is the one flag for every golden file here.
		if err := flag.Set("rewrite", "true"); err != nil {
			t.Fatal(err)
		}
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
	saved map[string]path
	// The path from the initial state to s, for the trace directive.
	states  []model.State
	actions []model.Action
}

type path struct {
	states  []model.State
	actions []model.Action
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
		sc.saved = map[string]path{}
		sc.states, sc.actions = []model.State{sc.s}, nil
		return sc.m.Describe(&sc.s)
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
			sc.saved[name] = path{slices.Clone(sc.states), slices.Clone(sc.actions)}
			return ""
		}
		p, ok := sc.saved[name]
		if !ok {
			d.Fatalf(t, "nothing saved as %q", name)
		}
		sc.states, sc.actions = slices.Clone(p.states), slices.Clone(p.actions)
		sc.s = sc.states[len(sc.states)-1]
		return sc.m.Describe(&sc.s)
	case "trace":
		return sc.trace(t, d)
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
	sc.states, sc.actions = append(sc.states, next), append(sc.actions, a)
	return nil
}

// trace NAME records the path from the initial state to here as the golden
// trace testdata/traces/NAME.json, replayed by TestGoldenTraces and rendered
// in docs/scenarios by electcheck catalogue. The input's first line is the
// trace's title, the rest its description; a "property: NAME" line names
// the property the last state violates. With -update the file is written;
// otherwise it must match.
func (sc *scenario) trace(t *testing.T, d *datadriven.TestData) string {
	if len(d.CmdArgs) != 1 {
		d.Fatalf(t, "trace takes a name")
	}
	name := d.CmdArgs[0].Key
	lines := strings.Split(strings.TrimSpace(d.Input), "\n")
	title := strings.TrimSpace(lines[0])
	var desc []string
	property, witness := "", ""
	for _, l := range lines[1:] {
		if p, ok := strings.CutPrefix(l, "property: "); ok {
			property = strings.TrimSpace(p)
			continue
		}
		if w, ok := strings.CutPrefix(l, "witness: "); ok {
			witness = strings.TrimSpace(w)
			continue
		}
		desc = append(desc, l)
	}
	tr, err := history.New(sc.states, sc.actions)
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	f, err := history.NewFile(checker.ModelKafka, render.KafkaConfig(sc.cfg), tr, render.Kafka{M: sc.m})
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	f.Title, f.Description = title, strings.TrimSpace(strings.Join(desc, "\n"))
	f.Command = "electcheck replay testdata/traces/" + name + ".json"
	if property != "" {
		props, err := invariants.Select([]string{property})
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		perr := props[0].Check(sc.m, &sc.s)
		if perr == nil {
			d.Fatalf(t, "trace %s: %s holds at the end", name, property)
		}
		f.Property, f.Message = property, perr.Error()
	}
	if witness != "" {
		found := false
		for _, w := range invariants.Witnesses() {
			if w.Name == witness {
				found = true
				if !w.Reached(sc.m, &sc.s) {
					d.Fatalf(t, "trace %s: witness %s is not reached at the end", name, witness)
				}
			}
		}
		if !found {
			d.Fatalf(t, "unknown witness %q", witness)
		}
		f.Witness = witness
	}
	data, err := f.Marshal()
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	file := filepath.Join("..", "testdata", "traces", name+".json")
	if *update {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			d.Fatalf(t, "%v", err)
		}
	} else if old, err := os.ReadFile(file); err != nil || !bytes.Equal(old, data) {
		d.Fatalf(t, "golden trace %s is missing or out of date: run go test ./invariants -run TestScenarios -update", file)
	}
	return fmt.Sprintf("testdata/traces/%s.json: %d steps\n", name, len(sc.actions))
}

// update rewrites the golden files: the scripts' expected output and the
// seed stories' traces.
var update = flag.Bool("update", false, "rewrite the scenario scripts' expected output and the seed stories' golden traces")
