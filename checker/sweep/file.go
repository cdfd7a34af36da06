package sweep

import (
	"strings"

	"electcheck/model"
)

// Spec is a sweep as a person writes it, on the command line or in a
// sweep file: a list of values per setting, and bundle axes.
type Spec struct {
	// Lists maps a setting's properties key (electcheck.feature.NAME for a
	// feature switch) to its values as written: "1,2", "1..3", "all".
	Lists map[string]string
	// Bundles are axes whose values set several settings at once.
	Bundles []Axis
}

// Set records a setting's list, by flag name or properties key; a later
// Set of the same setting replaces the earlier (flags override a file).
func (sp *Spec) Set(name, list string) error {
	key, err := sweepKey(name)
	if err != nil {
		return err
	}
	if sp.Lists == nil {
		sp.Lists = map[string]string{}
	}
	sp.Lists[key] = list
	return nil
}

// sweepKey is the canonical key of a setting named by flag or key.
func sweepKey(name string) (string, error) {
	s, err := model.FindSetting(name)
	if err != nil {
		return "", badf("%v", err)
	}
	return s.Key, nil
}

// Sweep builds the sweep: a setting with one value is part of every
// cell's base; one with several is an axis. Axes come in the settings
// table's order, then feature switches in the feature table's, then the
// bundles in the order written: the same sweep whatever the order of the
// flags.
func (sp Spec) Sweep() (Sweep, error) {
	var sw Sweep
	add := func(key, list string) error {
		ax, err := SettingAxis(key, list)
		if err != nil {
			return err
		}
		if len(ax.Values) == 1 {
			sw.Base = append(sw.Base, ax.Values[0].Settings...)
		} else {
			sw.Axes = append(sw.Axes, ax)
		}
		return nil
	}
	for _, s := range model.Settings {
		if list, ok := sp.Lists[s.Key]; ok {
			if err := add(s.Key, list); err != nil {
				return sw, err
			}
		}
	}
	for _, b := range sp.Bundles {
		for _, v := range b.Values {
			for _, kv := range v.Settings {
				k, _, _ := strings.Cut(kv, "=")
				if key, err := sweepKey(k); err == nil && sp.Lists[key] != "" {
					return sw, badf("axis %s sets %s, which the sweep also lists: give it in one place", b.Name, key)
				}
			}
		}
		sw.Axes = append(sw.Axes, b)
	}
	return sw, sw.validate()
}

// ParseFile reads a sweep file: one setting per line, `key = values`
// (a properties key or a flag name, then a list or range as on the command
// line), and bundle axes as `axis.NAME.VALUE = key=value key=value`, their
// values in the order written. # and ! start comments. The error names the
// line.
func ParseFile(text string) (Spec, error) {
	var sp Spec
	bundles := map[string]int{} // axis name -> index in sp.Bundles
	seen := map[string]int{}    // key -> line
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return sp, badf("line %d: %q is not key = values", n, line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if v == "" {
			return sp, badf("line %d: %s has no values", n, k)
		}
		if rest, isAxis := strings.CutPrefix(k, "axis."); isAxis {
			name, label, ok := strings.Cut(rest, ".")
			if !ok || name == "" || label == "" {
				return sp, badf("line %d: write a bundle axis as axis.NAME.VALUE = key=value ...", n)
			}
			if prev, dup := seen[k]; dup {
				return sp, badf("line %d: %s is given twice (line %d)", n, k, prev)
			}
			seen[k] = n
			idx, ok := bundles[name]
			if !ok {
				idx = len(sp.Bundles)
				bundles[name] = idx
				sp.Bundles = append(sp.Bundles, Axis{Name: name})
			}
			sp.Bundles[idx].Values = append(sp.Bundles[idx].Values, AxisValue{Label: label, Settings: strings.Fields(v)})
			continue
		}
		key, err := sweepKey(k)
		if err != nil {
			return sp, badf("line %d: %v", n, err)
		}
		if prev, dup := seen[key]; dup {
			return sp, badf("line %d: %s is given twice (line %d)", n, key, prev)
		}
		seen[key] = n
		if _, err := SettingAxis(key, v); err != nil {
			return sp, badf("line %d: %v", n, err)
		}
		if err := sp.Set(key, v); err != nil {
			return sp, badf("line %d: %v", n, err)
		}
	}
	for i, b := range sp.Bundles {
		ax, err := BundleAxis(b.Name, b.Values)
		if err != nil {
			return sp, err
		}
		sp.Bundles[i] = ax
	}
	return sp, nil
}
