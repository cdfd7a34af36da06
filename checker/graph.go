package checker

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/multi"

	"electcheck/explore"
	"electcheck/history"
)

// dotNode is a state in the DOT output.
type dotNode struct {
	id    int64
	attrs []encoding.Attribute
}

func (n dotNode) ID() int64                        { return n.id }
func (n dotNode) DOTID() string                    { return fmt.Sprintf("s%d", n.id) }
func (n dotNode) Attributes() []encoding.Attribute { return n.attrs }

// dotLine is a transition in the DOT output.
type dotLine struct {
	from, to graph.Node
	id       int64
	attrs    []encoding.Attribute
}

func (l dotLine) From() graph.Node                 { return l.from }
func (l dotLine) To() graph.Node                   { return l.to }
func (l dotLine) ReversedLine() graph.Line         { return dotLine{l.to, l.from, l.id, l.attrs} }
func (l dotLine) ID() int64                        { return l.id }
func (l dotLine) Attributes() []encoding.Attribute { return l.attrs }

// Graph is a configuration's whole state graph as Graphviz DOT, with the
// states and steps of the request's primary trace (its counterexample, or
// the trace to the witness it shows) highlighted.
type Graph struct {
	DOT          []byte
	States       int
	Transitions  int
	Highlighted  int
	NothingToSee bool // no property failed and no witness was shown: nothing is highlighted
}

// StateGraph draws the state graph of a small configuration: an error for
// more than limit states (a BadRequest: lower the bounds). The search's
// symmetry says whether a node is a state or an orbit, and its Show which
// witness's trace to highlight instead of the counterexample.
func StateGraph(req Request, s Search, limit int) (*Graph, error) {
	m, err := lookup(req.Model)
	if err != nil {
		return nil, err
	}
	return m.graph(&req, &s, limit)
}

func stateGraph[S any, A any](req *Request, s *Search, m explore.Model[S, A], canon func(*S), r history.Renderer[S, A], limit int) (*Graph, error) {
	states, edges, err := explore.StateGraph(m, canon, limit)
	if err != nil {
		return nil, badf("%v: lower the bounds (for example --records 1 --crashes 1) or raise --max-graph-states", err)
	}
	// The highlighted path: the primary trace of a check.
	o, err := Check(*req, *s)
	if err != nil {
		return nil, err
	}
	out := &Graph{States: len(states), Transitions: len(edges)}
	onPath := map[string]int{} // identity bytes -> position on the path
	var enc []byte
	ident := explore.Identity(m)
	key := func(s S) string {
		if canon != nil {
			canon(&s)
		}
		enc = ident(enc[:0], &s)
		return string(enc)
	}
	var pathActions []string
	if o.Primary == nil {
		out.NothingToSee = true
	} else {
		// Rebuild the path's states from the trace's actions.
		s := m.Init()[0]
		onPath[key(s)] = 0
		for i, st := range o.Primary.Steps[1:] {
			var next S
			found := false
			for _, a := range m.Actions(&s, nil) {
				if r.ActionText(a) == st.Action {
					next, found = m.Next(&s, a), true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("internal error: the highlighted trace does not replay at step %d", i+1)
			}
			s = next
			onPath[key(s)] = i + 1
			pathActions = append(pathActions, st.Action)
		}
	}
	g := multi.NewDirectedGraph()
	nodes := make([]dotNode, len(states))
	for i := range states {
		attrs := []encoding.Attribute{{Key: "label", Value: dotLabel(fmt.Sprintf("state %d\n%s", i, r.Describe(&states[i])))},
			{Key: "shape", Value: "box"}, {Key: "fontname", Value: "monospace"}}
		if pos, ok := onPath[key(states[i])]; ok {
			attrs = append(attrs, encoding.Attribute{Key: "color", Value: "red"}, encoding.Attribute{Key: "penwidth", Value: "3"},
				encoding.Attribute{Key: "xlabel", Value: fmt.Sprintf("%q", fmt.Sprintf("step %d", pos))})
		}
		nodes[i] = dotNode{id: int64(i), attrs: attrs}
		g.AddNode(nodes[i])
	}
	for i, e := range edges {
		text := r.ActionText(e.Action)
		attrs := []encoding.Attribute{{Key: "label", Value: dotLabel(text)}, {Key: "fontname", Value: "monospace"}}
		from, okFrom := onPath[key(states[e.From])]
		to, okTo := onPath[key(states[e.To])]
		if okFrom && okTo && to == from+1 && from < len(pathActions) && text == pathActions[from] {
			attrs = append(attrs, encoding.Attribute{Key: "color", Value: "red"}, encoding.Attribute{Key: "penwidth", Value: "3"})
		}
		g.SetLine(dotLine{from: nodes[e.From], to: nodes[e.To], id: int64(i), attrs: attrs})
	}
	b, err := dot.MarshalMulti(g, "electcheck", "", "  ")
	if err != nil {
		return nil, err
	}
	out.DOT, out.Highlighted = append(b, '\n'), len(onPath)
	return out, nil
}

// dotLabel makes text a DOT HTML-like label with left-aligned lines (gonum
// passes <...> labels through as they are).
func dotLabel(text string) string {
	text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(text)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	return "<" + strings.Join(lines, `<BR ALIGN="LEFT"/>`) + `<BR ALIGN="LEFT"/>>`
}
