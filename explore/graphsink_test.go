package explore

import (
	"fmt"
	"reflect"
	"testing"
)

// graphRecorder is a GraphSink that keeps everything and checks the order
// of the calls.
type graphRecorder struct {
	states  []string
	labels  []uint64
	rows    [][]uint32
	weights [][]float64
}

func (g *graphRecorder) State(id uint32, fp uint64, enc []byte) error {
	if int(id) != len(g.states) || len(g.labels) != len(g.states) {
		return fmt.Errorf("state %d after %d states and %d labels", id, len(g.states), len(g.labels))
	}
	if fp != Fingerprint(enc) {
		return fmt.Errorf("state %d: fingerprint %x of %x", id, fp, enc)
	}
	g.states = append(g.states, string(enc))
	return nil
}

func (g *graphRecorder) Label(id uint32, labels uint64) error {
	if int(id) != len(g.labels) || len(g.states) != len(g.labels)+1 {
		return fmt.Errorf("label of %d after %d labels", id, len(g.labels))
	}
	g.labels = append(g.labels, labels)
	return nil
}

func (g *graphRecorder) Row(from uint32, to []uint32, weights []float64) error {
	if int(from) != len(g.rows) {
		return fmt.Errorf("row of %d after %d rows", from, len(g.rows))
	}
	g.rows = append(g.rows, append([]uint32(nil), to...))
	g.weights = append(g.weights, append([]float64(nil), weights...))
	return nil
}

// The graph BFS hands its sink is StateGraph's, state for state and edge
// for edge (both number states in sequential BFS order), whatever the
// number of workers and however many windows a level takes, with and
// without symmetry; labels and weights are the spec's.
func TestGraphSinkIsTheStateGraph(t *testing.T) {
	defer func(w int) { windowBlocks = w }(windowBlocks)
	windowBlocks = 2 // several windows a level
	for _, sym := range []bool{false, true} {
		var m Model[point, move] = grid{40}
		var canon func(*point)
		if sym {
			sg := symGrid{grid{40}}
			m, canon = sg, sg.Canonicalize
		}
		states, edges, err := StateGraph(m, canon, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 2, 3} {
			rec := &graphRecorder{}
			spec := Spec[point, move]{Model: m,
				Labels: []func(*point) bool{
					func(p *point) bool { return p.X == p.Y },
					func(p *point) bool { return p.X == 40 },
				},
				Weights: func(p *point, acts []move, dst []float64) []float64 {
					for _, a := range acts {
						dst = append(dst, float64(a)+0.5)
					}
					return dst
				},
			}
			res, err := Run(spec, Options{Workers: workers, Graph: rec, Symmetry: sym})
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.labels) != len(states) || len(rec.rows) != len(states) || res.Stats.Distinct != int64(len(states)) {
				t.Fatalf("symmetry %t, %d workers: %d labels, %d rows, %d distinct; StateGraph %d states", sym, workers, len(rec.labels), len(rec.rows), res.Stats.Distinct, len(states))
			}
			k := 0
			for id, p := range states {
				want := uint64(0)
				if p.X == p.Y {
					want |= 1
				}
				if p.X == 40 {
					want |= 2
				}
				if rec.states[id] != string(m.Encode(nil, &p)) {
					t.Fatalf("state %d: recorded %x, StateGraph %v", id, rec.states[id], p)
				}
				if rec.labels[id] != want {
					t.Fatalf("state %d %v: labels %b, want %b", id, p, rec.labels[id], want)
				}
				var to []uint32
				var wts []float64
				for ; k < len(edges) && edges[k].From == id; k++ {
					to = append(to, uint32(edges[k].To))
					wts = append(wts, float64(edges[k].Action)+0.5)
				}
				if !reflect.DeepEqual(rec.rows[id], to) || !reflect.DeepEqual(rec.weights[id], wts) {
					t.Fatalf("symmetry %t, %d workers, state %d: row %v %v, StateGraph %v %v", sym, workers, id, rec.rows[id], rec.weights[id], to, wts)
				}
			}
		}
	}
}

func TestGraphSinkRefusesDFS(t *testing.T) {
	_, err := Run(Spec[point, move]{Model: grid{2}}, Options{Strategy: DFS, Graph: &graphRecorder{}})
	if err == nil {
		t.Error("a DFS with a graph sink ran")
	}
}

// wideCube is a toy model with wide BFS levels (thousands of states: many
// frontier blocks, several windows a level): a point in [0,n]³ stepping
// along any axis, or back to the origin.
type wideCube struct{ n uint8 }

type point3 [3]uint8

func (c wideCube) Init() []point3 { return []point3{{}} }

func (c wideCube) Actions(p *point3, dst []int) []int {
	for i := range 3 {
		if p[i] < c.n {
			dst = append(dst, i)
		}
	}
	return append(dst, 3)
}

func (c wideCube) Next(p *point3, a int) point3 {
	if a == 3 {
		return point3{}
	}
	q := *p
	q[a]++
	return q
}

func (c wideCube) Encode(dst []byte, p *point3) []byte { return append(dst, p[:]...) }

func (c wideCube) Decode(b []byte) (point3, error) {
	if len(b) != 3 {
		return point3{}, fmt.Errorf("bad length %d", len(b))
	}
	return point3{b[0], b[1], b[2]}, nil
}

func TestGraphSinkWideLevels(t *testing.T) {
	defer func(w int) { windowBlocks = w }(windowBlocks)
	windowBlocks = 2
	m := wideCube{30}
	states, edges, err := StateGraph[point3, int](m, nil, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		rec := &graphRecorder{}
		if _, err := Run(Spec[point3, int]{Model: m}, Options{Workers: workers, Graph: rec}); err != nil {
			t.Fatal(err)
		}
		if len(rec.rows) != len(states) || len(states) != 31*31*31 {
			t.Fatalf("%d rows, %d states", len(rec.rows), len(states))
		}
		k := 0
		for id := range states {
			for j, to := range rec.rows[id] {
				if e := edges[k]; e.From != id || uint32(e.To) != to || rec.weights[id][j] != 1 {
					t.Fatalf("%d workers, state %d edge %d: %d (weight %g), StateGraph %+v", workers, id, j, to, rec.weights[id][j], e)
				}
				k++
			}
		}
		if k != len(edges) {
			t.Fatalf("%d edges, StateGraph %d", k, len(edges))
		}
	}
}
