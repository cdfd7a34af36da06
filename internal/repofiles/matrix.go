package repofiles

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"electcheck/checker"
	"electcheck/checker/sweep"
)

// The durability matrix: the durability preset's sweep, committed as a CSV
// (its source of truth), a document and a heat map drawn from it.
const (
	MatrixCSV = "testdata/sweeps/durability.csv"
	MatrixDoc = "docs/durability-matrix.md"
	MatrixSVG = "docs/durability-matrix.svg"
)

// matrixCheckStates bounds the cells --check searches again: for each
// release, the largest searched cell below it.
const matrixCheckStates = 150_000

func durabilityPlan() (*sweep.Plan, error) {
	spec, props, err := sweep.Preset("durability")
	if err != nil {
		return nil, err
	}
	sw, err := spec.Sweep()
	if err != nil {
		return nil, err
	}
	sw.Properties = props
	return sw.Plan()
}

// runMatrix runs the durability preset, from the cache where it can.
func runMatrix(opts CatalogueOptions) (*sweep.Report, error) {
	plan, err := durabilityPlan()
	if err != nil {
		return nil, err
	}
	return plan.Run(sweep.Options{CacheDir: opts.CacheDir, Progress: opts.Progress, Context: opts.Context})
}

// matrixFiles are the committed files of a run of the preset.
func matrixFiles(rep *sweep.Report) ([]GeneratedFile, error) {
	rep = rep.WithoutTimings()
	var csvData, doc, svg bytes.Buffer
	if err := rep.WriteCSV(&csvData); err != nil {
		return nil, err
	}
	if err := rep.HeatMap(&svg, "kafka-version", "min-insync-replicas", "svg"); err != nil {
		return nil, err
	}
	if err := matrixDoc(&doc, rep); err != nil {
		return nil, err
	}
	doc.WriteString("\n## Every cell\n\n")
	rep.WriteMarkdown(&doc)
	return []GeneratedFile{{MatrixCSV, csvData.Bytes()}, {MatrixDoc, doc.Bytes()}, {MatrixSVG, svg.Bytes()}}, nil
}

// checkMatrix draws the document and heat map from the committed CSV,
// and searches again, for each release, the largest cell below
// matrixCheckStates: a model change that moves any of them shows.
func checkMatrix(root string, ctx context.Context) ([]GeneratedFile, []string, error) {
	plan, err := durabilityPlan()
	if err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, MatrixCSV))
	if err != nil {
		return nil, []string{fmt.Sprintf("%s is missing: run electcheck catalogue", MatrixCSV)}, nil
	}
	rep, err := sweep.ReadCSV(data, plan.NewReport(sweep.Shard{}))
	if err != nil {
		return nil, []string{fmt.Sprintf("%s is not the durability preset's: %v (run electcheck catalogue)", MatrixCSV, err)}, nil
	}
	files, err := matrixFiles(rep)
	if err != nil {
		return nil, nil, err
	}
	var problems []string
	if len(rep.Cells)+len(rep.Skipped) != len(plan.Cells)+len(plan.Skipped) {
		problems = append(problems, fmt.Sprintf("%s has %d cells, the preset %d: run electcheck catalogue", MatrixCSV,
			len(rep.Cells)+len(rep.Skipped), len(plan.Cells)+len(plan.Skipped)))
		return files, problems, nil
	}
	best := map[string]*sweep.CellReport{}
	vi := plan.NewReport(sweep.Shard{}).AxisIndex("kafka-version")
	for i := range rep.Cells {
		c := &rep.Cells[i]
		v := c.Values[vi]
		if c.InferredFrom == nil && c.Complete && c.DistinctStates <= matrixCheckStates && (best[v] == nil || c.DistinctStates > best[v].DistinctStates) {
			best[v] = c
		}
	}
	for _, v := range plan.Sweep.Axes[vi].Values {
		c := best[v.Label]
		if c == nil {
			continue
		}
		var cell *sweep.Cell
		for i := range plan.Cells {
			if plan.Cells[i].Index == c.Cell {
				cell = &plan.Cells[i]
			}
		}
		if cell == nil {
			problems = append(problems, fmt.Sprintf("%s: cell %d is no longer a valid configuration", MatrixCSV, c.Cell))
			continue
		}
		o, err := checker.Check(cell.Request, checker.Search{Workers: 2, KeepGoing: true, Context: ctx})
		if err != nil {
			return nil, nil, err
		}
		if ctx != nil && ctx.Err() != nil {
			break // stopped: the search was cut short, not changed
		}
		jr, err := o.JSON()
		if err != nil {
			return nil, nil, err
		}
		now := sweep.CellReport{JSONReport: jr}
		now.Category = sweep.CategoryOf(&jr)
		if now.Category != c.Category || now.DistinctStates != c.DistinctStates || !reflect.DeepEqual(now.Fails(), c.Fails()) {
			problems = append(problems, fmt.Sprintf("%s: cell %d (%v) is now %s, %s, %d states; recorded %s, %s, %d states: run electcheck catalogue",
				MatrixCSV, c.Cell, c.Values, now.Category, now.Fails(), now.DistinctStates, c.Category, c.Fails(), c.DistinctStates))
		}
	}
	return files, problems, nil
}
