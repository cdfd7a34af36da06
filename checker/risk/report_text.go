package risk

import (
	"fmt"
	"io"
	"strings"

	"electcheck/checker"
	"electcheck/history"
)

// headerFields are the lines that name what was measured.
func (r *Report) headerFields() [][2]string {
	h := r.header
	return [][2]string{{"model:", h.ModelLine}, {"rules:", h.RulesLine}, {"defaults:", h.BaseLine},
		{"incident:", h.BoundsLine + " (the faults one incident may hold; one more is counted as cut off)"},
		{"rates:", r.ratesLine()}, {"horizon:", horizonName(r.HorizonHours)}}
}

// ratesLine is the rates, with the scheduler in force.
func (r *Report) ratesLine() string {
	line := RatesLine(&r.rates)
	if r.schedulerLine != "" {
		line = strings.Replace(line, "scheduler uniform", "scheduler "+r.schedulerLine, 1)
	}
	return line
}

// figure writes a probability or a rate in three significant digits.
func figure(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 1 && 1-v < 1e-3:
		return fmt.Sprintf("1 − %.3g", 1-v) // 0.99998 would hide what matters
	}
	return fmt.Sprintf("%.3g", v)
}

// mttdl says the mean time to data loss in words.
func (r *Report) mttdl() string {
	if r.MTTDLYears == nil {
		return "never: no incident within the bounds loses committed data"
	}
	return figure(*r.MTTDLYears) + " years"
}

// minutes says a long-run figure, or why there is none.
func minutes(v *float64) string {
	if v == nil {
		return "unbounded: an incident can leave the partition offline for good"
	}
	return figure(*v) + " min/yr"
}

// schedulerRange is P(loss)'s interval over schedulers, or what to ask
// for it.
func (r *Report) schedulerRange() string {
	if r.Method == "simulate" {
		return "the uniform scheduler (a simulation walks one)"
	}
	if r.PLossMin == nil {
		return "--scheduler min or max gives P(loss)'s interval over how the model's open choices are resolved"
	}
	return fmt.Sprintf("P(loss) from %s to %s  (%s states, %s choices)", figure(*r.PLossMin), figure(*r.PLossMax),
		checker.Commas(int64(r.Scheduler.States)), checker.Commas(int64(r.Scheduler.Choices)))
}

// WriteText prints the report for a person.
func (r *Report) WriteText(w io.Writer) {
	for _, f := range r.headerFields() {
		if f[1] != "" {
			fmt.Fprint(w, checker.WrapField(f[0], f[1]))
		}
	}
	fmt.Fprintln(w)
	if r.Method == "simulate" {
		s := r.Simulation
		fmt.Fprintf(w, "risk by simulation: %s fault-free states, %s incidents walked (seed %d; rerun with --seed %d), in %.1fs\n",
			checker.Commas(int64(r.Chains.FaultFree.States)), checker.Commas(int64(s.Runs)), s.Seed, s.Seed, r.ElapsedSeconds)
		fmt.Fprintf(w, "  estimates, with %g%% intervals in the simulation lines below\n", 100*s.Confidence)
	} else {
		fmt.Fprintf(w, "risk: %s fault-free and %s incident states, %s transitions, in %.1fs\n",
			checker.Commas(int64(r.Chains.FaultFree.States)), checker.Commas(int64(r.Chains.Incident.States)), checker.Commas(int64(r.Transitions)), r.ElapsedSeconds)
	}
	rows := [][2]string{
		{"P(committed data lost within " + horizonName(r.HorizonHours) + ")", figure(r.PLoss) +
			fmt.Sprintf("  (at most %s, counting every incident the bounds cut off as a loss)", figure(r.PLossUpper))},
		{"mean time to data loss", r.mttdl()},
		{"over schedulers", r.schedulerRange()},
		{"offline (no leader)", minutes(r.OfflineMinutesPerYear)},
		{"acks=all writes refused", minutes(r.RefusedMinutesPerYear)},
	}
	table(w, rows)
	in := r.Incident
	fmt.Fprintf(w, "per incident (%s a year: a fault in steady operation, and what follows until the partition heals):\n", figure(in.RatePerYear))
	table(w, [][2]string{
		{"loses committed data", figure(in.PLoss)},
		{"heals", figure(in.PHealed)},
		{"cut off by the bounds", figure(in.PTruncated) + "  (one fault more than the incident may hold: raise its budget to follow it)"},
		{"stuck offline for good", figure(in.PStuck)},
		{"lasts", fmt.Sprintf("%s h on average; offline %s h; writes refused %s h", figure(in.MeanHours), figure(in.OfflineHours), figure(in.RefusedHours))},
	})
	if s := r.Simulation; s != nil {
		s.writeText(w)
	}
	if lp := r.path; lp != nil {
		fmt.Fprintf(w, "most likely loss (%s%% of the incidents that lose data; an incident takes it with p %s):\n", figure(100*lp.Share), figure(lp.Probability))
		acts := r.LossPath.Actions
		fmt.Fprint(w, checker.WrapField("  before:", orNone(strings.Join(acts[:lp.FaultFreeSteps], ", "))))
		fmt.Fprint(w, checker.WrapField("  incident:", strings.Join(acts[lp.FaultFreeSteps:], ", ")))
		fmt.Fprint(w, checker.WrapField("  lost:", lp.File.Message))
		fmt.Fprintln(w, "  (--trace-out FILE writes it as a trace file; electcheck replay FILE shows it step by step)")
	}
}

func orNone(s string) string {
	if s == "" {
		return "(nothing: the initial state)"
	}
	return s
}

// table prints name-value rows with the values aligned.
func table(w io.Writer, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r[0], r[1])
	}
}

// WriteMarkdown prints the report as a Markdown document: what was
// measured, the figures, and the most likely loss step by step.
func (r *Report) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "# Risk: %s\n\n| | |\n|---|---|\n", history.MarkdownCell(r.header.ModelLine))
	for _, f := range r.headerFields()[1:] {
		if f[1] != "" {
			fmt.Fprintf(w, "| %s | %s |\n", strings.TrimSuffix(f[0], ":"), history.MarkdownCell(f[1]))
		}
	}
	in := r.Incident
	fmt.Fprintf(w, "\n## Figures\n\n| measure | value |\n|---|---|\n")
	for _, row := range [][2]string{
		{"P(committed data lost within " + horizonName(r.HorizonHours) + ")", figure(r.PLoss)},
		{"... counting every cut-off incident as a loss", figure(r.PLossUpper)},
		{"mean time to data loss", r.mttdl()},
		{"offline (no leader)", minutes(r.OfflineMinutesPerYear)},
		{"acks=all writes refused", minutes(r.RefusedMinutesPerYear)},
		{"incidents a year", figure(in.RatePerYear)},
		{"an incident loses committed data", figure(in.PLoss)},
		{"an incident heals", figure(in.PHealed)},
		{"an incident is cut off by the bounds", figure(in.PTruncated)},
		{"an incident leaves the partition offline for good", figure(in.PStuck)},
		{"an incident lasts (hours)", figure(in.MeanHours)},
		{"of which offline (hours)", figure(in.OfflineHours)},
		{"chains (states, transitions)", fmt.Sprintf("%s + %s states, %s transitions", checker.Commas(int64(r.Chains.FaultFree.States)),
			checker.Commas(int64(r.Chains.Incident.States)), checker.Commas(int64(r.Transitions)))},
	} {
		fmt.Fprintf(w, "| %s | %s |\n", history.MarkdownCell(row[0]), history.MarkdownCell(row[1]))
	}
	if s := r.Simulation; s != nil {
		fmt.Fprintf(w, "\n## Simulation\n\n%s incidents walked (seed %d, bias %g, start bias %g), %g%% intervals (%s).\n\n| measure | estimate | interval |\n|---|---|---|\n",
			checker.Commas(int64(s.Runs)), s.Seed, s.Bias, s.StartBias, 100*s.Confidence, s.Method)
		for _, row := range []struct {
			name string
			iv   Interval
		}{{"P(committed data lost within " + horizonName(r.HorizonHours) + ")", Interval{Estimate: s.Estimate, Low: s.Low, High: s.High}},
			{"an incident loses committed data", s.IncidentLoss}, {"an incident lasts (hours)", s.MeanHours}, {"of which offline (hours)", s.OfflineHours}} {
			fmt.Fprintf(w, "| %s | %s | [%s, %s] |\n", history.MarkdownCell(row.name), figure(row.iv.Estimate), figure(row.iv.Low), figure(row.iv.High))
		}
		if s.Note != "" {
			fmt.Fprintf(w, "\n%s\n", history.MarkdownCell(s.Note))
		}
	}
	lp := r.path
	if lp == nil {
		if r.Method != "simulate" {
			fmt.Fprintf(w, "\nNo incident within the bounds loses committed data.\n")
		}
		return
	}
	fmt.Fprintf(w, "\n## The most likely loss\n\n%s%% of the incidents that lose committed data take this path; an incident takes it with probability %s. "+
		"Steps 1 to %d are steady operation, step %d the incident's first fault.\n\n",
		figure(100*lp.Share), figure(lp.Probability), lp.FaultFreeSteps, lp.FaultFreeSteps+1)
	for _, s := range lp.File.Steps[1:] {
		line := "`" + s.Action + "`"
		if s.Explanation != "" {
			line += ": " + s.Explanation
		}
		fmt.Fprintf(w, "%d. %s\n", s.Step, line)
	}
	fmt.Fprintf(w, "\nAt the end: %s.\n", lp.File.Message)
}
