package sweep

import (
	"encoding/json"
	"fmt"
	"strings"
)

// What a cell checked beyond its axes' values: the release, the
// controller, the replication rules in force and, when no release had
// those rules, the what-if label. Every output says it: a header line
// when all cells share it, and a cell's own label where it differs (the
// what-if cells), so that a table never shows a verdict without the rules
// it is a verdict on.

// checked is what a cell's configuration says of its rules.
type checked struct {
	Release    string   `json:"kafka_version"`
	Controller string   `json:"controller"`
	Features   []string `json:"features"`
	WhatIf     string   `json:"what_if"`
}

// checked reads the cell's configuration (its check report's "config").
func (c *CellReport) checked() checked {
	var k checked
	_ = json.Unmarshal(c.Config, &k) // a report without one says nothing
	return k
}

// rules is the features in force as a phrase.
func (k checked) rules() string {
	if len(k.Features) == 0 {
		return "HW truncation (no epoch-based rules)"
	}
	return strings.Join(k.Features, ", ")
}

// release is "Kafka 4.4, kraft controller", or "" when unknown.
func (k checked) release() string {
	if k.Release == "" {
		return ""
	}
	return fmt.Sprintf("Kafka %s, %s controller", k.Release, k.Controller)
}

// checkedLines are the header lines that say what the cells checked:
// the release and the rules when every cell shares them, else that each
// cell runs its own release's rules; and how many cells are what-ifs.
func (r *Report) checkedLines() [][2]string {
	if len(r.Cells) == 0 {
		return nil
	}
	first := r.Cells[0].checked()
	sameRelease, sameRules, whatIfs := true, true, 0
	for i := range r.Cells {
		k := r.Cells[i].checked()
		sameRelease = sameRelease && k.release() == first.release()
		sameRules = sameRules && k.rules() == first.rules() && k.WhatIf == first.WhatIf
		if k.WhatIf != "" {
			whatIfs++
		}
	}
	var out [][2]string
	switch {
	case first.Release == "":
	case sameRelease:
		out = append(out, [2]string{"release:", first.release()})
	default:
		out = append(out, [2]string{"release:", "per cell: each cell runs the release and controller of its values"})
	}
	switch {
	case first.Release == "":
	case sameRules && first.WhatIf != "":
		out = append(out, [2]string{"rules:", first.rules() + " [" + first.WhatIf + "]"})
	case sameRules:
		out = append(out, [2]string{"rules:", first.rules()})
	case whatIfs > 0:
		out = append(out, [2]string{"rules:", fmt.Sprintf("per cell: each release's own, but %d cells are what-ifs (no release had their rules; labelled in the note)", whatIfs)})
	default:
		out = append(out, [2]string{"rules:", "per cell: each release's own (electcheck list versions names them)"})
	}
	if r.Risk != nil {
		out = append(out, [2]string{"rates:", r.Risk.Rates}, [2]string{"horizon:", fmt.Sprintf("%g hours", r.Risk.HorizonHours)})
		if s := r.Risk.Scheduler; s != "" && s != "uniform" {
			out = append(out, [2]string{"scheduler:", s + ": P(loss) is the " + map[string]string{"min": "least", "max": "greatest"}[s] +
				" over how the model's open choices are resolved, [min, max] beside it in the tables (the CSV has the chosen end)"})
		}
	}
	return out
}

// whatIf is a cell's what-if label for its note, when the cells do not
// all share it (the header says it otherwise).
func (r *Report) whatIf(c *CellReport) string {
	k := c.checked()
	if k.WhatIf == "" {
		return ""
	}
	for i := range r.Cells {
		if r.Cells[i].checked().WhatIf != k.WhatIf {
			return k.WhatIf
		}
	}
	return ""
}

// csvChecked are a cell's CSV columns for what it checked.
func (c *CellReport) csvChecked() []string {
	k := c.checked()
	return []string{k.Release, k.Controller, strings.Join(k.Features, " "), k.WhatIf}
}

// csvCheckedHeader names csvChecked.
var csvCheckedHeader = []string{"kafka_version", "controller", "features", "what_if"}

// checkedFromCSV is the configuration object a cell's CSV columns give.
func checkedFromCSV(cols []string) json.RawMessage {
	k := checked{Release: cols[0], Controller: cols[1], Features: strings.Fields(cols[2]), WhatIf: cols[3]}
	if k.Features == nil {
		k.Features = []string{}
	}
	data, _ := json.Marshal(k)
	return data
}
