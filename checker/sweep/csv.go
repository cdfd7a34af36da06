package sweep

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"electcheck/checker"
)

// ReadCSV reads back what WriteCSV printed for a sweep whose axes and
// properties the template gives (its cells are ignored): the committed
// form of the durability matrix, from which its document and heat map are
// drawn. What CSV does not keep (messages, traces, witness details) stays
// empty. The error names the row.
func ReadCSV(data []byte, template *Report) (*Report, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("not a sweep's CSV: %v", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("not a sweep's CSV: no header")
	}
	r := *template
	r.Cells, r.Skipped = []CellReport{}, []SkippedReport{}
	var want bytes.Buffer
	cw := csv.NewWriter(&want)
	_ = cw.Write(r.csvHeader())
	cw.Flush()
	if got := strings.Join(rows[0], ","); got+"\n" != want.String() {
		return nil, fmt.Errorf("the CSV's columns are not this sweep's: %s", got)
	}
	nAxes, nProps := len(r.Axes), len(r.Properties)
	for i, rec := range rows[1:] {
		line := i + 2
		bad := func(what string) error { return fmt.Errorf("row %d: %s", line, what) }
		idx, err := strconv.Atoi(rec[0])
		if err != nil || idx < 0 {
			return nil, bad("the cell is not a number")
		}
		values := rec[1 : 1+nAxes]
		for j, v := range values {
			if indexOf(r.Axes[j].Values, v) < 0 {
				return nil, bad(fmt.Sprintf("%q is not a value of %s", v, r.Axes[j].Name))
			}
		}
		f := rec[1+nAxes:]
		if r.Risk != nil {
			c, skipped, err := riskFromCSV(idx, values, f)
			if err != nil {
				return nil, bad(err.Error())
			}
			if skipped != nil {
				r.Skipped = append(r.Skipped, *skipped)
			} else {
				r.Cells = append(r.Cells, *c)
			}
			continue
		}
		category, result, complete, from := f[0], f[1], f[2], f[3]
		props := f[4 : 4+nProps]
		rest := f[4+nProps:]
		if category == Skipped {
			r.Skipped = append(r.Skipped, SkippedReport{Cell: idx, Values: values, Reason: rest[7]})
			continue
		}
		if _, ok := categoryOf(category); !ok {
			return nil, bad(fmt.Sprintf("unknown category %q", category))
		}
		c := CellReport{Cell: idx, Values: values, Category: category, TraceFile: rest[6]}
		c.JSONReport = checker.JSONReport{Command: "check", Model: checker.ModelKafka, Result: result, Complete: complete == "true",
			StopReason: rest[7], Properties: r.Properties, Violations: []checker.JSONViolation{}, Witnesses: map[string]bool{},
			Config: checkedFromCSV(rest[8 : 8+len(csvCheckedHeader)])}
		if from != "" {
			n, err := strconv.Atoi(from)
			if err != nil {
				return nil, bad("inferred_from is not a number")
			}
			c.InferredFrom = &n
		}
		for j, p := range props {
			if p == "" {
				continue
			}
			n, err := strconv.Atoi(p)
			if err != nil {
				return nil, bad(fmt.Sprintf("%s's trace length %q is not a number", r.Properties[j], p))
			}
			c.Violations = append(c.Violations, checker.JSONViolation{Property: r.Properties[j], TraceLength: n})
		}
		for j, w := range []string{"partition-offline", "produce-refused"} {
			switch rest[j] {
			case "true":
				c.Witnesses[w] = true
			case "false":
				c.Witnesses[w] = false
			case "":
			default:
				return nil, bad(fmt.Sprintf("%s is %q, not true, false or empty", w, rest[j]))
			}
		}
		nums := []*int64{&c.DistinctStates, &c.GeneratedStates}
		for j, p := range nums {
			if *p, err = strconv.ParseInt(rest[2+j], 10, 64); err != nil {
				return nil, bad("a state count is not a number")
			}
		}
		if c.Depth, err = strconv.Atoi(rest[4]); err != nil {
			return nil, bad("the depth is not a number")
		}
		if c.ElapsedSeconds, err = strconv.ParseFloat(rest[5], 64); err != nil {
			return nil, bad("the seconds are not a number")
		}
		r.Cells = append(r.Cells, c)
	}
	r.summarize()
	return &r, nil
}

// csvHeader is WriteCSV's first row.
func (r *Report) csvHeader() []string {
	head := []string{"cell"}
	for _, a := range r.Axes {
		head = append(head, a.Name)
	}
	if r.Simulation != nil {
		head = append(head, r.simCSVHeader()...)
		return append(head, csvCheckedHeader...)
	}
	if r.Risk != nil {
		head = append(head, riskCSVHeader...)
		return append(head, csvCheckedHeader...)
	}
	head = append(head, "category", "result", "complete", "inferred_from")
	head = append(head, r.Properties...)
	head = append(head, "partition_offline", "produce_refused", "distinct_states", "generated_states", "depth", "seconds", "trace_file", "reason")
	return append(head, csvCheckedHeader...)
}

// WithoutTimings is the report with every measured time and memory figure
// zeroed: what is the same on any machine, for committed documents.
func (r *Report) WithoutTimings() *Report {
	out := *r
	out.Cells = append([]CellReport(nil), r.Cells...)
	for i := range out.Cells {
		c := &out.Cells[i].JSONReport
		c.ElapsedSeconds, c.StatesPerSecond, c.PeakMemoryBytes, c.Workers = 0, 0, 0, 0
		if s := out.Cells[i].Simulation; s != nil {
			cp := *s
			cp.Seconds, cp.StepsPerSecond = 0, 0
			out.Cells[i].Simulation = &cp
		}
		if rk := out.Cells[i].Risk; rk != nil {
			cp := *rk
			cp.ElapsedSeconds = 0
			out.Cells[i].Risk = &cp
		}
	}
	out.summarize()
	return &out
}

// WritePivot prints the categories as a Markdown matrix: a column per
// value of the column axis, a row per combination of the other axes but
// the inner one, and in each entry a symbol per value of the inner axis.
func (r *Report) WritePivot(w io.Writer, column, inner string) error {
	ci, ii := r.AxisIndex(column), r.AxisIndex(inner)
	if ci < 0 || ii < 0 || ci == ii {
		return badf("the pivot needs two different axes of the sweep (%s)", strings.Join(r.axisNames(), ", "))
	}
	cat := map[string]string{}
	var order []string
	seen := map[string]bool{}
	rowKey := func(values []string) string {
		var parts []string
		for i, v := range values {
			if i != ci && i != ii {
				parts = append(parts, v)
			}
		}
		return strings.Join(parts, " | ")
	}
	for _, row := range r.rows() {
		c := Skipped
		if row.cell != nil {
			c = row.cell.Category
		}
		cat[strings.Join(row.values, "\x00")] = c
		if k := rowKey(row.values); !seen[k] {
			seen[k] = true
			order = append(order, k)
		}
	}
	var head []string
	for i, a := range r.Axes {
		if i != ci && i != ii {
			head = append(head, a.Name)
		}
	}
	fmt.Fprintf(w, "| %s | %s |\n", strings.Join(head, " | "), strings.Join(r.Axes[ci].Values, " | "))
	fmt.Fprintln(w, strings.Repeat("|---", len(head)+len(r.Axes[ci].Values))+"|")
	for _, k := range order {
		fmt.Fprintf(w, "| %s |", k)
		for _, cv := range r.Axes[ci].Values {
			var syms []string
			for _, iv := range r.Axes[ii].Values {
				values := r.valuesOf(k, ci, cv, ii, iv)
				info, _ := categoryOf(cat[strings.Join(values, "\x00")])
				syms = append(syms, info.symbol)
			}
			fmt.Fprintf(w, " %s |", strings.Join(syms, " "))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// valuesOf rebuilds a cell's values from a pivot row's key and its column
// and inner values.
func (r *Report) valuesOf(key string, ci int, cv string, ii int, iv string) []string {
	rest := strings.Split(key, " | ")
	values := make([]string, len(r.Axes))
	k := 0
	for i := range values {
		switch i {
		case ci:
			values[i] = cv
		case ii:
			values[i] = iv
		default:
			values[i] = rest[k]
			k++
		}
	}
	return values
}
