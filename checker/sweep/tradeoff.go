package sweep

import (
	"image/color"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The trade-off picture of a measuring sweep: each configuration a point,
// P(loss within the horizon) up on a log scale; across, minutes a year
// offline in one panel and minutes a year with acks=all writes refused in
// the other; in each, the Pareto front: the configurations no other
// beats on both.

// TradeoffPoint is one measured cell in the picture.
type TradeoffPoint struct {
	Label                          string
	OfflineMinutes, RefusedMinutes float64
	PLoss                          float64
	// Front: on the Pareto front of P(loss) and minutes offline (lower
	// is better in both; no other point is at least as good in both and
	// better in one).
	Front bool
}

// TradeoffPoints are the measured cells whose figures are finite, with
// the Pareto front of P(loss) against minutes offline marked.
func (r *Report) TradeoffPoints() []TradeoffPoint {
	var pts []TradeoffPoint
	for _, c := range r.Cells {
		if c.Risk == nil || c.Risk.OfflineMinutesPerYear == nil || c.Risk.RefusedMinutesPerYear == nil {
			continue
		}
		pts = append(pts, TradeoffPoint{Label: strings.Join(c.Values, " "), OfflineMinutes: *c.Risk.OfflineMinutesPerYear,
			RefusedMinutes: *c.Risk.RefusedMinutesPerYear, PLoss: c.Risk.PLoss})
	}
	front := paretoFront(pts, func(p TradeoffPoint) float64 { return p.OfflineMinutes })
	for i := range pts {
		pts[i].Front = front[i]
	}
	return pts
}

// paretoFront marks the points no other beats on x and P(loss).
func paretoFront(pts []TradeoffPoint, x func(TradeoffPoint) float64) []bool {
	out := make([]bool, len(pts))
	for i := range pts {
		out[i] = true
		for j := range pts {
			a, b := pts[j], pts[i]
			if x(a) <= x(b) && a.PLoss <= b.PLoss && (x(a) < x(b) || a.PLoss < b.PLoss) {
				out[i] = false
				break
			}
		}
	}
	return out
}

// TradeoffPlot draws the picture as SVG or PNG; axes names the values in
// each point's label. A loss probability of 0 cannot sit on a log scale:
// those points are drawn on a floor line two decades below the smallest
// positive one, labelled "none".
func (r *Report) TradeoffPlot(w io.Writer, format string) error {
	pts := r.TradeoffPoints()
	if len(pts) == 0 {
		return badf("the trade-off picture needs measured cells (sweep --measure risk) with finite figures")
	}
	minPos := math.Inf(1)
	for _, p := range pts {
		if p.PLoss > 0 {
			minPos = math.Min(minPos, p.PLoss)
		}
	}
	if math.IsInf(minPos, 1) {
		minPos = 1e-6
	}
	floor := math.Pow(10, math.Floor(math.Log10(minPos))-2)
	legend := "labels: " + strings.Join(r.axisNames(), ", ")
	left, err := tradeoffPanel(pts, floor, func(p TradeoffPoint) float64 { return p.OfflineMinutes }, "minutes offline a year (no leader)", legend)
	if err != nil {
		return err
	}
	right, err := tradeoffPanel(pts, floor, func(p TradeoffPoint) float64 { return p.RefusedMinutes }, "minutes a year with acks=all writes refused", legend)
	if err != nil {
		return err
	}
	width, height := vg.Points(960), vg.Points(440)
	var canvas vg.CanvasWriterTo
	switch format {
	case "svg":
		canvas = vgsvg.New(width, height)
	case "png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(144), vgimg.UseBackgroundColor(color.White))}
	default:
		return badf("the trade-off picture is written as .svg or .png, not %q", format)
	}
	plots := [][]*plot.Plot{{left, right}}
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(14), PadTop: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4), PadBottom: vg.Points(4)}
	canvases := plot.Align(plots, tiles, draw.New(canvas))
	left.Draw(canvases[0][0])
	right.Draw(canvases[0][1])
	_, err = canvas.WriteTo(w)
	return err
}

// tradeoffPanel is one panel: P(loss) against x.
func tradeoffPanel(pts []TradeoffPoint, floor float64, x func(TradeoffPoint) float64, xlabel, legend string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "P(loss) against " + xlabel
	p.Title.TextStyle.Font.Size = vg.Points(9)
	p.X.Label.Text = xlabel + "\n" + legend
	p.X.Label.TextStyle.Font.Size = vg.Points(8)
	p.Y.Label.Text = "P(committed data lost in a year), log scale"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = decadeTicks{floor: floor}
	isFront := paretoFront(pts, x)
	all, front := make(plotter.XYs, len(pts)), plotter.XYs{}
	// Configurations whose figures agree to three digits share a point
	// and a label.
	var labels plotter.XYLabels
	var shared [][]string
	at := map[[2]string]int{}
	for i, pt := range pts {
		all[i] = plotter.XY{X: x(pt), Y: math.Max(pt.PLoss, floor)}
		key := [2]string{strconv.FormatFloat(all[i].X, 'g', 3, 64), strconv.FormatFloat(all[i].Y, 'g', 3, 64)}
		if k, ok := at[key]; ok {
			shared[k] = append(shared[k], pt.Label)
		} else {
			at[key] = len(labels.XYs)
			labels.XYs = append(labels.XYs, all[i])
			shared = append(shared, []string{pt.Label})
		}
		if isFront[i] {
			front = append(front, all[i])
		}
	}
	for _, names := range shared {
		label := strings.Join(names, " / ")
		if len(names) > 2 {
			label = strconv.Itoa(len(names)) + " configurations"
		}
		labels.Labels = append(labels.Labels, label)
	}
	sort.Slice(front, func(i, j int) bool {
		return front[i].X < front[j].X || front[i].X == front[j].X && front[i].Y > front[j].Y
	})
	scatter, err := plotter.NewScatter(all)
	if err != nil {
		return nil, err
	}
	scatter.GlyphStyle.Color = color.RGBA{0x45, 0x75, 0xb4, 0xff}
	scatter.GlyphStyle.Radius = vg.Points(2.5)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, xy := range all {
		lo, hi = math.Min(lo, xy.X), math.Max(hi, xy.X)
	}
	floorLine, err := plotter.NewLine(plotter.XYs{{X: lo, Y: floor}, {X: hi, Y: floor}})
	if err != nil {
		return nil, err
	}
	floorLine.Color, floorLine.Dashes = color.Gray{0x99}, []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(floorLine, scatter)
	p.Legend.Add("configuration", scatter)
	if len(front) > 1 {
		l, err := plotter.NewLine(front)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = color.RGBA{0xb2, 0x18, 0x2b, 0xff}, vg.Points(1)
		p.Add(l)
		p.Legend.Add("Pareto front", l)
	}
	lab, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].Font.Size = vg.Points(6)
		lab.TextStyle[i].XAlign = draw.XLeft
	}
	lab.Offset = vg.Point{X: vg.Points(3), Y: vg.Points(2)}
	p.Add(lab)
	p.Legend.Top, p.Legend.TextStyle.Font.Size = true, vg.Points(8)
	return p, nil
}

// decadeTicks label the powers of ten ("1e-12"), and the floor "none".
type decadeTicks struct{ floor float64 }

func (d decadeTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		v := math.Pow(10, e)
		if v < min || v > max {
			continue
		}
		label := strconv.FormatFloat(v, 'g', 1, 64)
		if v == d.floor {
			label = "none"
		}
		out = append(out, plot.Tick{Value: v, Label: label})
	}
	return out
}
