package sweep

import (
	"image/color"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The heat map: each cell's category over two chosen axes, one panel per
// combination of the other axes' values.

func colorOf(colors []categoryInfo, cat string) color.Color {
	for _, c := range colors {
		if c.name == cat {
			return c.color
		}
	}
	return color.Black
}

// HeatMap draws the report's categories over axes x and y (by name) as SVG
// or PNG (format "svg" or "png").
func (r *Report) HeatMap(w io.Writer, x, y, format string) error {
	xi, yi := r.AxisIndex(x), r.AxisIndex(y)
	switch {
	case xi < 0 || yi < 0:
		return badf("--plot-x and --plot-y must name two of the sweep's axes (%s), not %q and %q", strings.Join(r.axisNames(), ", "), x, y)
	case xi == yi:
		return badf("--plot-x and --plot-y must name two different axes, not %s twice", x)
	case format != "svg" && format != "png":
		return badf("the heat map is written as .svg or .png, not %q", format)
	}
	// Panels: every combination of the other axes, in index order.
	category := map[string]string{}
	panelOf := map[string]int{}
	var panels []string
	key := func(values []string, skip ...int) string {
		var parts []string
		for i, v := range values {
			if i != skip[0] && (len(skip) < 2 || i != skip[1]) {
				parts = append(parts, r.Axes[i].Name+"="+v)
			}
		}
		return strings.Join(parts, "\n")
	}
	for _, row := range r.rows() {
		cat := Skipped
		if row.cell != nil {
			cat = row.cell.Category
		}
		category[strings.Join(row.values, "\x00")] = cat
		p := key(row.values, xi, yi)
		if _, ok := panelOf[p]; !ok {
			panelOf[p] = len(panels)
			panels = append(panels, p)
		}
	}
	cols := int(math.Ceil(math.Sqrt(float64(len(panels)))))
	if others := len(r.Axes) - 2; others > 0 {
		last := len(r.Axes) - 1
		for last == xi || last == yi {
			last--
		}
		if n := len(r.Axes[last].Values); n <= 6 && len(panels)%n == 0 {
			cols = n
		}
	}
	rows := (len(panels) + cols - 1) / cols
	nx, ny := len(r.Axes[xi].Values), len(r.Axes[yi].Values)
	lines := strings.Count(panels[0], "\n") + 1
	if panels[0] == "" {
		lines = 0
	}
	panelW := vg.Length(nx)*vg.Points(34) + vg.Points(90)
	panelH := vg.Length(ny)*vg.Points(22) + vg.Points(50) + vg.Length(lines)*vg.Points(11)
	width := max(vg.Length(cols)*panelW, vg.Points(320))
	colors := r.categoriesOf()
	legendH := vg.Length(len(legendRows(colors, width)))*legendRowH + vg.Points(16)
	height := vg.Length(rows)*panelH + legendH

	plots := make([][]*plot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
	}
	for pi, name := range panels {
		p := plot.New()
		p.Title.Text = name
		p.Title.TextStyle.Font.Size = vg.Points(9)
		p.X.Label.Text, p.Y.Label.Text = r.Axes[xi].Name, r.Axes[yi].Name
		p.X.Label.TextStyle.Font.Size, p.Y.Label.TextStyle.Font.Size = vg.Points(9), vg.Points(9)
		p.X.Tick.Marker, p.Y.Tick.Marker = ticks(r.Axes[xi].Values), ticks(r.Axes[yi].Values)
		g := categoryGrid{nx: nx, ny: ny}
		for _, row := range r.rows() {
			if key(row.values, xi, yi) != name {
				continue
			}
			g.cells = append(g.cells, gridCell{x: indexOf(r.Axes[xi].Values, row.values[xi]), y: indexOf(r.Axes[yi].Values, row.values[yi]),
				color: colorOf(colors, category[strings.Join(row.values, "\x00")])})
		}
		p.Add(g)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, float64(nx), 0, float64(ny)
		plots[pi/cols][pi%cols] = p
	}

	var canvas vg.CanvasWriterTo
	if format == "svg" {
		canvas = vgsvg.New(width, height)
	} else {
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(144), vgimg.UseBackgroundColor(color.White))}
	}
	dc := draw.New(canvas)
	drawLegend(colors, draw.Crop(dc, 0, 0, height-legendH, 0))
	body := draw.Crop(dc, 0, 0, 0, -legendH)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(6), PadY: vg.Points(6), PadTop: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4), PadBottom: vg.Points(4)}
	canvases := plot.Align(plots, tiles, body)
	for i := range plots {
		for j, p := range plots[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	_, err := canvas.WriteTo(w)
	return err
}

func (r *Report) AxisIndex(name string) int {
	for i, a := range r.Axes {
		if a.Name == name {
			return i
		}
	}
	return -1
}

func (r *Report) axisNames() []string {
	var out []string
	for _, a := range r.Axes {
		out = append(out, a.Name)
	}
	return out
}

func indexOf(values []string, v string) int {
	for i, w := range values {
		if w == v {
			return i
		}
	}
	return -1
}

// ticks labels the middle of each unit-wide column (or row).
func ticks(labels []string) plot.ConstantTicks {
	var t plot.ConstantTicks
	for i, l := range labels {
		t = append(t, plot.Tick{Value: float64(i) + 0.5, Label: l})
	}
	return t
}

// categoryGrid is a panel's cells, one unit square each.
type categoryGrid struct {
	nx, ny int
	cells  []gridCell
}

type gridCell struct {
	x, y  int
	color color.Color
}

func (g categoryGrid) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, float64(g.nx), 0, float64(g.ny)
}

func (g categoryGrid) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	gap := vg.Points(1)
	for _, cell := range g.cells {
		x0, x1 := trX(float64(cell.x))+gap, trX(float64(cell.x+1))-gap
		y0, y1 := trY(float64(cell.y))+gap, trY(float64(cell.y+1))-gap
		c.FillPolygon(cell.color, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
}

const legendRowH = vg.Length(16)

var legendStyle = text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(9)), XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}

const legendBox = vg.Length(10)

// legendRows deals the legend's entries into rows that fit the width.
func legendRows(colors []categoryInfo, width vg.Length) [][]int {
	var rows [][]int
	var row []int
	x := vg.Points(8)
	for i, cc := range colors {
		w := legendBox + vg.Points(16) + legendStyle.Width(cc.label)
		if len(row) > 0 && x+w > width {
			rows, row, x = append(rows, row), nil, vg.Points(8)
		}
		row = append(row, i)
		x += w
	}
	return append(rows, row)
}

// drawLegend draws the categories' colours, in rows.
func drawLegend(colors []categoryInfo, c draw.Canvas) {
	y := c.Max.Y - vg.Points(8) - legendRowH/2
	for _, row := range legendRows(colors, c.Max.X-c.Min.X) {
		x := c.Min.X + vg.Points(8)
		for _, i := range row {
			cc := colors[i]
			c.FillPolygon(cc.color, []vg.Point{{X: x, Y: y - legendBox/2}, {X: x + legendBox, Y: y - legendBox/2}, {X: x + legendBox, Y: y + legendBox/2}, {X: x, Y: y + legendBox/2}})
			c.FillText(legendStyle, vg.Point{X: x + legendBox + vg.Points(4), Y: y}, cc.label)
			x += legendBox + vg.Points(16) + legendStyle.Width(cc.label)
		}
		y -= legendRowH
	}
}
