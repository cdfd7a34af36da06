// Package sweep checks every configuration of a matrix: the engine behind
// `electcheck sweep`. A Spec (lists of values per setting, bundles of
// settings) becomes a Sweep of axes, a Plan of valid cells grouped by
// their bounds, and a Report: each cell's check (or simulation) outcome,
// with cells that smaller or larger bounds decide inferred, finished cells
// cached, shards merged, and the tables, CSV, pivot and heat map printed.
// It stands above the library (package checker), which never imports it.
package sweep

import (
	"fmt"
	"strconv"
	"strings"

	"electcheck/checker"
	"electcheck/model"
)

// A sweep checks every configuration of a matrix: the product of its axes,
// each a list of values for one setting (or a named bundle of settings, such
// as "faults"), on a fixed base. It answers "which configurations lose
// committed data, and which go offline instead?" in one run.

// Sweep is a matrix of configurations to check.
type Sweep struct {
	// ConfigFile, if set, is a Kafka properties file every cell starts
	// from (Kafka's defaults for what it leaves out); else the
	// recommended setup.
	ConfigFile string
	// Base are settings every cell has, applied first.
	Base checker.Settings
	// Axes are the dimensions, the first the slowest to change.
	Axes []Axis
	// Properties to check in every cell; none: all.
	Properties []string
	// Search bounds each cell's search (MaxStates, MaxTime, MaxMemory) and
	// says how (Workers, NoSymmetry). Every cell searches on after a
	// violation (KeepGoing), so that each property's fate is known.
	Search checker.Search
	// NoInference searches every cell, even those the monotonicity of the
	// bounds decides.
	NoInference bool
	// Simulate, if set, takes these random walks through each cell
	// instead of searching it (sweep --search simulate); Search's
	// budgets then do not apply, and no cell is inferred.
	Simulate *checker.SimulateOptions
	// Risk, if set, puts numbers on each cell instead of searching it
	// (sweep --measure risk): the chains of electcheck risk, solved.
	// Search's state and memory budgets and symmetry apply to the
	// chains; no cell is inferred.
	Risk *RiskMeasure
}

// Axis is one dimension of a sweep.
type Axis struct {
	// Name is the flag of the setting it varies ("min-insync-replicas"),
	// "feature NAME" for a feature switch, or a bundle's name ("faults").
	Name   string
	Values []AxisValue
}

// AxisValue is one value of an axis: a label and the settings it stands
// for.
type AxisValue struct {
	Label    string
	Settings checker.Settings
}

// maxAxisValues bounds a range, so that a typo (1..1000000) is an error
// rather than a sweep that never ends.
const maxAxisValues = 1000

// SettingAxis parses the values of one setting, given by flag name or
// properties key: a comma-separated list whose items are values or, for
// whole numbers and Kafka versions, ranges a..b. Each value is checked the
// way check checks it. The error says what to fix.
func SettingAxis(name, list string) (Axis, error) {
	s, err := model.FindSetting(name)
	if err != nil {
		return Axis{}, badf("%v", err)
	}
	if _, isSwitch := s.Feature(); isSwitch {
		return featureAxis(s, list)
	}
	ax := Axis{Name: s.Flag}
	items, err := splitList(s.Flag, list)
	if err != nil {
		return ax, err
	}
	seen := map[string]bool{}
	for _, item := range items {
		values := []string{item}
		if lo, hi, isRange := strings.Cut(item, ".."); isRange {
			if values, err = expandRange(s, strings.TrimSpace(lo), strings.TrimSpace(hi)); err != nil {
				return ax, err
			}
		}
		for _, v := range values {
			cfg := model.DefaultConfig()
			if err := cfg.Set(s.Key, v); err != nil {
				return ax, badf("--%s: %v", s.Flag, err)
			}
			label := cfg.Get(s.Key)
			if seen[label] {
				return ax, badf("--%s: %s is given twice", s.Flag, label)
			}
			seen[label] = true
			ax.Values = append(ax.Values, AxisValue{Label: label, Settings: checker.Settings{s.Key + "=" + label}})
			if len(ax.Values) > maxAxisValues {
				return ax, badf("--%s: more than %d values", s.Flag, maxAxisValues)
			}
		}
	}
	return ax, nil
}

// featureAxis is a feature switch's axis: on, off or both.
func featureAxis(s *model.Setting, list string) (Axis, error) {
	ax := Axis{Name: s.Name()}
	items, err := splitList(s.Name(), list)
	if err != nil {
		return ax, err
	}
	seen := map[string]bool{}
	for _, v := range items {
		cfg := model.DefaultConfig()
		if err := cfg.Set(s.Key, v); err != nil {
			return ax, badf("--%s: %v", s.Name(), err)
		}
		label := cfg.Get(s.Key)
		if label == "" {
			return ax, badf("--%s: write on or off, not %q", s.Name(), v)
		}
		if seen[label] {
			return ax, badf("--%s: %s is given twice", s.Name(), label)
		}
		seen[label] = true
		ax.Values = append(ax.Values, AxisValue{Label: label, Settings: checker.Settings{s.Key + "=" + label}})
	}
	return ax, nil
}

// splitList splits a comma-separated list, refusing empty items.
func splitList(name, list string) ([]string, error) {
	var out []string
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, badf("--%s: %q has an empty item: write values separated by commas, such as 1,2 or 1..3", name, list)
		}
		out = append(out, item)
	}
	return out, nil
}

// expandRange lists the values from lo to hi: whole numbers, or the Kafka
// releases electcheck knows between two of them.
func expandRange(s *model.Setting, lo, hi string) ([]string, error) {
	switch s.Type {
	case "int":
		a, errA := strconv.Atoi(lo)
		b, errB := strconv.Atoi(hi)
		if errA != nil || errB != nil {
			return nil, badf("--%s: %s..%s is not a range of whole numbers", s.Flag, lo, hi)
		}
		if a > b {
			return nil, badf("--%s: the range %d..%d is empty: write the smaller bound first", s.Flag, a, b)
		}
		if b-a >= maxAxisValues {
			return nil, badf("--%s: the range %d..%d has more than %d values", s.Flag, a, b, maxAxisValues)
		}
		var out []string
		for n := a; n <= b; n++ {
			out = append(out, strconv.Itoa(n))
		}
		return out, nil
	case "version":
		a, errA := model.ParseVersion(lo)
		b, errB := model.ParseVersion(hi)
		if errA != nil {
			return nil, badf("--%s: %v", s.Flag, errA)
		}
		if errB != nil {
			return nil, badf("--%s: %v", s.Flag, errB)
		}
		if b.Less(a) {
			return nil, badf("--%s: the range %s..%s is empty: write the older release first", s.Flag, a, b)
		}
		var out []string
		for _, v := range model.Versions {
			if !v.Less(a) && !b.Less(v) {
				out = append(out, v.String())
			}
		}
		return out, nil
	}
	return nil, badf("--%s takes a list of values, not a range (%s..%s): ranges are for whole numbers and Kafka versions", s.Flag, lo, hi)
}

// BundleAxis is an axis whose values each set several settings, such as
// fault mixes ("crashes" sets electcheck.crashes=2, "power-loss" that and
// electcheck.power.losses=1). Each value is checked as check checks it.
func BundleAxis(name string, values []AxisValue) (Axis, error) {
	if !validName(name) {
		return Axis{}, badf("axis name %q: use lower-case letters, digits and dashes", name)
	}
	if _, ok := model.SettingByFlag(name); ok {
		return Axis{}, badf("axis name %q is a setting's flag: name a bundle of settings otherwise", name)
	}
	seen := map[string]bool{}
	for _, v := range values {
		if !validName(v.Label) {
			return Axis{}, badf("axis %s: value name %q: use lower-case letters, digits, dots and dashes", name, v.Label)
		}
		if seen[v.Label] {
			return Axis{}, badf("axis %s: value %s is given twice", name, v.Label)
		}
		seen[v.Label] = true
		if len(v.Settings) == 0 {
			return Axis{}, badf("axis %s: value %s sets nothing: write key=value pairs", name, v.Label)
		}
		cfg := model.DefaultConfig()
		keys := map[string]bool{}
		for _, kv := range v.Settings {
			k, val, ok := strings.Cut(kv, "=")
			if !ok {
				return Axis{}, badf("axis %s, value %s: %q is not key=value", name, v.Label, kv)
			}
			if keys[k] {
				return Axis{}, badf("axis %s, value %s: %s is set twice", name, v.Label, k)
			}
			keys[k] = true
			if err := cfg.Set(k, val); err != nil {
				return Axis{}, badf("axis %s, value %s: %v", name, v.Label, err)
			}
		}
	}
	return Axis{Name: name, Values: values}, nil
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// Cells counts the sweep's configurations, the invalid ones included.
func (s *Sweep) Cells() int {
	n := 1
	for _, a := range s.Axes {
		n *= len(a.Values)
	}
	return n
}

// validate checks the sweep's shape: axes named once, each with a value,
// not too many cells.
func (s *Sweep) validate() error {
	if s.ConfigFile != "" {
		if _, _, err := checker.LoadProperties(s.ConfigFile); err != nil {
			return err
		}
	}
	base := model.DefaultConfig()
	if err := s.Base.Apply(&base); err != nil {
		return err
	}
	names := map[string]bool{}
	n := 1
	for _, a := range s.Axes {
		if names[a.Name] {
			return badf("the axis %s is given twice", a.Name)
		}
		names[a.Name] = true
		if len(a.Values) == 0 {
			return badf("the axis %s has no values", a.Name)
		}
		n *= len(a.Values)
		if n > maxSweepCells {
			return badf("the sweep has more than %d cells: split it (--shard) or narrow the axes", maxSweepCells)
		}
	}
	return nil
}

// maxSweepCells bounds a sweep's size.
const maxSweepCells = 100_000

// String is the axes as a person reads them: "acks {1, all} × faults
// {crashes, power-loss}".
func (a Axis) String() string {
	var labels []string
	for _, v := range a.Values {
		labels = append(labels, v.Label)
	}
	return fmt.Sprintf("%s {%s}", a.Name, strings.Join(labels, ", "))
}

// badf is a checker.BadRequest: the sweep as asked for is wrong.
func badf(format string, args ...any) error { return checker.BadRequestf(format, args...) }
