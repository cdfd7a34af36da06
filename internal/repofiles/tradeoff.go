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
	TradeoffCSV = "testdata/sweeps/tradeoff.csv"
	TradeoffDoc = "docs/tradeoff.md"
	TradeoffSVG = "docs/tradeoff.svg"
)

// tradeoffOperatorAfter is how long the page's operator waits, offline,
// before enabling unclean election: half an hour.
const tradeoffOperatorAfter = 0.5

// tradeoffCheckStates bounds the cells --check measures again.
const tradeoffCheckStates = 10_000

func tradeoffPlan() (*sweep.Plan, error) {
	spec, _, err := sweep.Preset("tradeoff")
	if err != nil {
		return nil, err
	}
	sw, err := spec.Sweep()
	if err != nil {
		return nil, err
	}
	sw.Properties = []string{"committed-offsets-preserved"}
	sw.Risk = sweep.DefaultRiskMeasure(tradeoffOperatorAfter)
	return sw.Plan()
}

// runTradeoff measures the preset, from the cache where it can.
func runTradeoff(opts CatalogueOptions) (*sweep.Report, error) {
	plan, err := tradeoffPlan()
	if err != nil {
		return nil, err
	}
	return plan.Run(sweep.Options{CacheDir: opts.CacheDir, Progress: opts.Progress, Context: opts.Context})
}

// tradeoffFiles are the committed files of a measurement of the preset.
func tradeoffFiles(rep *sweep.Report) ([]GeneratedFile, error) {
	rep = rep.WithoutTimings()
	var csvData, doc, svg bytes.Buffer
	if err := rep.WriteCSV(&csvData); err != nil {
		return nil, err
	}
	if err := rep.TradeoffPlot(&svg, "svg"); err != nil {
		return nil, err
	}
	tradeoffDoc(&doc, rep)
	doc.WriteString("\n## Every cell\n\n")
	rep.WriteMarkdown(&doc)
	return []GeneratedFile{{TradeoffCSV, csvData.Bytes()}, {TradeoffDoc, doc.Bytes()}, {TradeoffSVG, svg.Bytes()}}, nil
}

// checkTradeoff draws the page and picture from the committed CSV, and
// measures again every cell whose chains are small: a model change that
// moves any of their figures shows.
func checkTradeoff(root string, ctx context.Context) ([]GeneratedFile, []string, error) {
	plan, err := tradeoffPlan()
	if err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, TradeoffCSV))
	if err != nil {
		return nil, []string{fmt.Sprintf("%s is missing: run electcheck catalogue", TradeoffCSV)}, nil
	}
	rep, err := sweep.ReadCSV(data, plan.NewReport(sweep.Shard{}))
	if err != nil {
		return nil, []string{fmt.Sprintf("%s is not the tradeoff preset's: %v (run electcheck catalogue)", TradeoffCSV, err)}, nil
	}
	files, err := tradeoffFiles(rep)
	if err != nil {
		return nil, nil, err
	}
	var problems []string
	if len(rep.Cells)+len(rep.Skipped) != len(plan.Cells)+len(plan.Skipped) {
		return files, []string{fmt.Sprintf("%s has %d cells, the preset %d: run electcheck catalogue", TradeoffCSV,
			len(rep.Cells)+len(rep.Skipped), len(plan.Cells)+len(plan.Skipped))}, nil
	}
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
			problems = append(problems, fmt.Sprintf("%s: cell %d is no longer a valid configuration", TradeoffCSV, c.Cell))
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
				TradeoffCSV, c.Cell, c.Values, a.PLoss(), off, a.FaultFree.States+a.Incident.States, c.Risk.PLoss, c.Risk.OfflineMinutesPerYear, c.Risk.States))
		}
	}
	return files, problems, nil
}

// near is equality to 1e-12 relative: the CSV keeps every digit, the
// solve is exact, so only a change in the model moves a figure more.
func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}
