package repofiles

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"electcheck/checker/risk"
	"electcheck/checker/sweep"
)

// The trade-off page: the tradeoff preset measured (sweep --measure
// risk), committed as a CSV (its source of truth), a document and a
// picture drawn from it.
const (
	TradeoffCSV     = "testdata/sweeps/tradeoff.csv"
	TradeoffSlowCSV = "testdata/sweeps/tradeoff-slow-restart.csv"
	TradeoffDoc     = "docs/tradeoff.md"
	TradeoffSVG     = "docs/tradeoff.svg"
	TradeoffSlowSVG = "docs/tradeoff-slow-restart.svg"
)

// tradeoffOperatorAfter is how long the page's operator waits, offline,
// before enabling unclean election: half an hour.
const tradeoffOperatorAfter = 0.5

// tradeoffCheckStates bounds the cells --check measures again.
const tradeoffCheckStates = 10_000

// tradeoffVariant is one measurement of the preset on the page: at the
// default rates, and with brokers that take a day to come back (a dead
// machine replaced), where unclean election has something to buy.
type tradeoffVariant struct {
	csv, svg string
	measure  func() *sweep.RiskMeasure
}

var tradeoffVariants = []tradeoffVariant{
	{TradeoffCSV, TradeoffSVG, func() *sweep.RiskMeasure { return sweep.DefaultRiskMeasure(tradeoffOperatorAfter) }},
	{TradeoffSlowCSV, TradeoffSlowSVG, func() *sweep.RiskMeasure {
		return sweep.RiskMeasureWith(tradeoffOperatorAfter, func(r *risk.Rates) { r.Restart = 24 })
	}},
}

func tradeoffPlan(v tradeoffVariant) (*sweep.Plan, error) {
	spec, _, err := sweep.Preset("tradeoff")
	if err != nil {
		return nil, err
	}
	sw, err := spec.Sweep()
	if err != nil {
		return nil, err
	}
	sw.Properties = []string{"committed-offsets-preserved"}
	sw.Risk = v.measure()
	return sw.Plan()
}

// runTradeoff measures the preset in each variant, from the cache where
// it can.
func runTradeoff(opts CatalogueOptions) ([]*sweep.Report, error) {
	var reps []*sweep.Report
	for _, v := range tradeoffVariants {
		plan, err := tradeoffPlan(v)
		if err != nil {
			return nil, err
		}
		rep, err := plan.Run(sweep.Options{CacheDir: opts.CacheDir, Progress: opts.Progress, Context: opts.Context})
		if err != nil {
			return nil, err
		}
		reps = append(reps, rep)
	}
	return reps, nil
}

// tradeoffFiles are the committed files of the variants' measurements.
func tradeoffFiles(reps []*sweep.Report) ([]GeneratedFile, error) {
	var files []GeneratedFile
	for i, rep := range reps {
		rep = rep.WithoutTimings()
		reps[i] = rep
		var csvData, svg bytes.Buffer
		if err := rep.WriteCSV(&csvData); err != nil {
			return nil, err
		}
		if err := rep.TradeoffPlot(&svg, "svg"); err != nil {
			return nil, err
		}
		files = append(files, GeneratedFile{tradeoffVariants[i].csv, csvData.Bytes()}, GeneratedFile{tradeoffVariants[i].svg, svg.Bytes()})
	}
	var doc bytes.Buffer
	tradeoffDoc(&doc, reps[0], reps[1])
	doc.WriteString("\n## Every cell, at the default rates\n\n")
	reps[0].WriteMarkdown(&doc)
	doc.WriteString("\n## Every cell, with a day to come back\n\n")
	reps[1].WriteMarkdown(&doc)
	return append(files, GeneratedFile{TradeoffDoc, doc.Bytes()}), nil
}

// checkTradeoff draws the page and picture from the committed CSV, and
// measures again every cell whose chains are small: a model change that
// moves any of their figures shows.
func checkTradeoff(root string, ctx context.Context) ([]GeneratedFile, []string, error) {
	var reps []*sweep.Report
	var problems []string
	for _, v := range tradeoffVariants {
		rep, more, err := checkTradeoffVariant(root, ctx, v)
		if err != nil || rep == nil {
			return nil, append(problems, more...), err
		}
		reps, problems = append(reps, rep), append(problems, more...)
	}
	files, err := tradeoffFiles(reps)
	return files, problems, err
}

// checkTradeoffVariant reads a variant's committed CSV and measures its
// small cells again; a nil report says the CSV cannot be used.
func checkTradeoffVariant(root string, ctx context.Context, v tradeoffVariant) (*sweep.Report, []string, error) {
	plan, err := tradeoffPlan(v)
	if err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, v.csv))
	if err != nil {
		return nil, []string{fmt.Sprintf("%s is missing: run electcheck catalogue", v.csv)}, nil
	}
	rep, err := sweep.ReadCSV(data, plan.NewReport(sweep.Shard{}))
	if err != nil {
		return nil, []string{fmt.Sprintf("%s is not the tradeoff preset's: %v (run electcheck catalogue)", v.csv, err)}, nil
	}
	if len(rep.Cells)+len(rep.Skipped) != len(plan.Cells)+len(plan.Skipped) {
		return nil, []string{fmt.Sprintf("%s has %d cells, the preset %d: run electcheck catalogue", v.csv,
			len(rep.Cells)+len(rep.Skipped), len(plan.Cells)+len(plan.Skipped))}, nil
	}
	var problems []string
	for i := range rep.Cells {
		c := &rep.Cells[i]
		if c.Risk == nil || c.Risk.States > tradeoffCheckStates {
			continue
		}
		var cell *sweep.Cell
		for j := range plan.Cells {
			if plan.Cells[j].Index == c.Cell {
				cell = &plan.Cells[j]
			}
		}
		if cell == nil {
			problems = append(problems, fmt.Sprintf("%s: cell %d is no longer a valid configuration", v.csv, c.Cell))
			continue
		}
		cfg := cell.Request.Kafka
		cfg.Consumer = false
		rates, err := plan.Sweep.Risk.Rates(cfg)
		if err != nil {
			return nil, nil, err
		}
		a, err := risk.Analyze(risk.Request{Config: cfg, Rates: rates, Horizon: plan.Sweep.Risk.Horizon}, risk.Options{Workers: 2, Symmetry: true, Context: ctx})
		if ctx != nil && ctx.Err() != nil {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		off := a.OfflineMinutesPerYear()
		if a.FaultFree.States+a.Incident.States != c.Risk.States || !near(a.PLoss(), c.Risk.PLoss) || c.Risk.OfflineMinutesPerYear == nil || !near(off, *c.Risk.OfflineMinutesPerYear) {
			problems = append(problems, fmt.Sprintf("%s: cell %d (%v) now measures p %g, %g min/yr offline, %d states; recorded %g, %v, %d: run electcheck catalogue",
				v.csv, c.Cell, c.Values, a.PLoss(), off, a.FaultFree.States+a.Incident.States, c.Risk.PLoss, c.Risk.OfflineMinutesPerYear, c.Risk.States))
		}
	}
	return rep, problems, nil
}

// near is equality to 1e-12 relative: the CSV keeps every digit, the
// solve is exact, so only a change in the model moves a figure more.
func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}
