package sweep

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"electcheck/checker"
	"electcheck/history"
)

// WriteText prints the sweep for a terminal: what was swept, then one
// table per value of the leading axes, with a row per value of the last
// two, then the totals.
func (r *Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "sweep %s: %d cells", r.SweepID, r.Summary.Cells)
	if r.Shard != "" {
		fmt.Fprintf(w, " (shard %s)", r.Shard)
	}
	fmt.Fprintln(w)
	var axes []string
	for _, a := range r.Axes {
		axes = append(axes, fmt.Sprintf("%s {%s}", a.Name, strings.Join(a.Values, ", ")))
	}
	field := func(name, value string) { fmt.Fprint(w, checker.WrapField(name, value)) }
	field("axes:", strings.Join(axes, " × "))
	base := r.Base
	if base == "" {
		base = "(none)"
	}
	field("base:", base+"; the recommended setup for the rest, unless --config")
	field("properties:", strings.Join(r.Properties, ", "))
	for _, l := range r.checkedLines() {
		field(l[0], l[1])
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	heading := "\x00"
	for _, row := range r.rows() {
		if h := r.heading(row.values, "  "); h != heading {
			heading = h
			fmt.Fprintln(tw)
			if h != "" {
				fmt.Fprintln(tw, h)
			}
			var names []string
			for _, a := range r.Axes[r.split():] {
				names = append(names, a.Name)
			}
			switch {
			case r.Simulation != nil:
				fmt.Fprintf(tw, "  %s\toutcome\t%s\tseconds\tnote\n", strings.Join(names, "\t"), strings.Join(simHeader, "\t"))
			case r.Risk != nil:
				fmt.Fprintf(tw, "  %s\toutcome\t%s\tseconds\tnote\n", strings.Join(names, "\t"), strings.Join(riskHeader, "\t"))
			default:
				fmt.Fprintf(tw, "  %s\toutcome\tfails (shortest trace, states)\toffline\trefused\tstates\tseconds\tnote\n", strings.Join(names, "\t"))
			}
		}
		vals := strings.Join(row.values[r.split():], "\t")
		if row.cell == nil {
			fmt.Fprintf(tw, "  %s\tskipped\t\t\t\t\t\t%s\n", vals, shortReason(row.reason))
			continue
		}
		c := row.cell
		if c.Simulation != nil {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%.2f\t%s\n", vals, outcomeText(c.Category), strings.Join(c.simColumns(), "\t"), c.ElapsedSeconds, r.note(c))
			continue
		}
		if r.Risk != nil {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%.2f\t%s\n", vals, outcomeText(c.Category), strings.Join(c.riskColumns(), "\t"), c.ElapsedSeconds, r.note(c))
			continue
		}
		states, secs := checker.Commas(c.DistinctStates), fmt.Sprintf("%.2f", c.ElapsedSeconds)
		if c.InferredFrom != nil {
			states, secs = "-", "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", vals, outcomeText(c.Category), c.Fails(),
			c.witness("partition-offline"), c.witness("produce-refused"), states, secs, r.note(c))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n%s", checker.WrapField("summary:", r.Totals()), r.legend())
	return nil
}

// WriteMarkdown prints the sweep as a document: the same tables.
func (r *Report) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "- **Sweep:** `%s`, %d cells", r.SweepID, r.Summary.Cells)
	if r.Shard != "" {
		fmt.Fprintf(w, " (shard %s)", r.Shard)
	}
	fmt.Fprintln(w)
	for _, a := range r.Axes {
		fmt.Fprintf(w, "- **%s:** %s\n", a.Name, strings.Join(a.Values, ", "))
	}
	if r.Base != "" {
		fmt.Fprintf(w, "- **Every cell:** `%s`\n", r.Base)
	}
	fmt.Fprintf(w, "- **Properties:** `%s`\n", strings.Join(r.Properties, "`, `"))
	for _, l := range r.checkedLines() {
		fmt.Fprintf(w, "- **%s** %s\n", strings.ToUpper(l[0][:1])+l[0][1:], history.MarkdownCell(l[1]))
	}
	fmt.Fprintf(w, "- **Summary:** %s\n", r.Totals())
	heading := "\x00"
	for _, row := range r.rows() {
		if h := r.heading(row.values, ", "); h != heading {
			heading = h
			if h != "" {
				fmt.Fprintf(w, "\n### %s\n", h)
			}
			fmt.Fprintln(w)
			for _, a := range r.Axes[r.split():] {
				fmt.Fprintf(w, "| %s ", a.Name)
			}
			switch {
			case r.Simulation != nil:
				fmt.Fprintf(w, "| outcome | %s | note |\n", strings.Join(simHeader, " | "))
				fmt.Fprintln(w, strings.Repeat("|---", len(r.Axes)-r.split()+len(simHeader)+2)+"|")
			case r.Risk != nil:
				fmt.Fprintf(w, "| outcome | %s | note |\n", strings.Join(riskHeader, " | "))
				fmt.Fprintln(w, strings.Repeat("|---", len(r.Axes)-r.split()+len(riskHeader)+2)+"|")
			default:
				fmt.Fprintln(w, "| outcome | fails (shortest trace, states) | offline | refused | states | note |")
				fmt.Fprintln(w, strings.Repeat("|---", len(r.Axes)-r.split()+6)+"|")
			}
		}
		for _, v := range row.values[r.split():] {
			fmt.Fprintf(w, "| %s ", v)
		}
		if row.cell == nil {
			fmt.Fprintf(w, "| skipped |%s %s |\n", strings.Repeat(" |", r.mdColumns()-2), history.MarkdownCell(shortReason(row.reason)))
			continue
		}
		c := row.cell
		if c.Simulation != nil {
			fmt.Fprintf(w, "| %s | %s | %s |\n", outcomeText(c.Category), strings.Join(c.simColumns(), " | "), history.MarkdownCell(r.note(c)))
			continue
		}
		if r.Risk != nil {
			fmt.Fprintf(w, "| %s | %s | %s |\n", outcomeText(c.Category), strings.Join(c.riskColumns(), " | "), history.MarkdownCell(r.note(c)))
			continue
		}
		states := checker.Commas(c.DistinctStates)
		if c.InferredFrom != nil {
			states = "-"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", outcomeText(c.Category), c.Fails(),
			c.witness("partition-offline"), c.witness("produce-refused"), states, history.MarkdownCell(r.note(c)))
	}
	fmt.Fprintf(w, "\n%s", strings.ReplaceAll(r.legend(), "\n", " "))
	fmt.Fprintln(w)
}

// WriteCSV prints one row per cell, skipped ones included, for scripts:
// the axes' values, the category, each property's shortest counterexample
// length (empty when it holds or is unknown), the witnesses, the search's
// figures, provenance.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.csvHeader()); err != nil {
		return err
	}
	for _, row := range r.rows() {
		rec := append([]string{strconv.Itoa(row.index)}, row.values...)
		rec = append(rec, r.csvRecord(row)...)
		if row.cell != nil {
			rec = append(rec, row.cell.csvChecked()...)
		} else {
			rec = append(rec, make([]string, len(csvCheckedHeader))...)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRecord is a row's CSV columns between its values and what it
// checked.
func (r *Report) csvRecord(row sweepRow) []string {
	if r.Simulation != nil {
		if row.cell == nil {
			rec := append([]string{Skipped}, make([]string, len(r.simCSVHeader())-2)...)
			return append(rec, row.reason)
		}
		return r.simCSVRecord(row.cell)
	}
	if r.Risk != nil {
		if row.cell == nil {
			rec := append([]string{Skipped}, make([]string, len(riskCSVHeader)-2)...)
			return append(rec, row.reason)
		}
		return riskCSVRecord(row.cell)
	}
	if row.cell == nil {
		rec := append([]string{Skipped, "", "", ""}, make([]string, len(r.Properties))...)
		return append(rec, "", "", "", "", "", "", "", row.reason)
	}
	c := row.cell
	from := ""
	if c.InferredFrom != nil {
		from = strconv.Itoa(*c.InferredFrom)
	}
	rec := []string{c.Category, c.Result, strconv.FormatBool(c.Complete), from}
	for _, p := range r.Properties {
		length := ""
		for _, v := range c.Violations {
			if v.Property == p {
				length = strconv.Itoa(v.TraceLength)
			}
		}
		rec = append(rec, length)
	}
	csvWitness := func(name string) string {
		switch c.witness(name) {
		case "yes":
			return "true"
		case "no":
			return "false"
		}
		return ""
	}
	return append(rec, csvWitness("partition-offline"), csvWitness("produce-refused"),
		strconv.FormatInt(c.DistinctStates, 10), strconv.FormatInt(c.GeneratedStates, 10), strconv.Itoa(c.Depth),
		strconv.FormatFloat(c.ElapsedSeconds, 'f', 3, 64), c.TraceFile, c.StopReason)
}

// shortReason is why a cell was skipped, without the advice that follows
// the first colon (the CSV and JSON keep it whole).
func shortReason(s string) string {
	if i := strings.Index(s, ": "); i > 0 {
		return s[:i]
	}
	return s
}

// legend explains the tables' columns.
func (r *Report) legend() string {
	if r.Simulation != nil {
		return simLegend
	}
	if r.Risk != nil && r.Risk.Method == "simulate" {
		return riskLegend + riskSimLegend
	}
	if r.Risk != nil {
		return riskLegend
	}
	return sweepLegend
}

// mdColumns counts the Markdown table's columns after the axes: outcome,
// the figures, note.
func (r *Report) mdColumns() int {
	if r.Simulation != nil {
		return len(simHeader) + 2
	}
	if r.Risk != nil {
		return len(riskHeader) + 2
	}
	return 6
}
