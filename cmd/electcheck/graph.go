package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/multi"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/model"
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

// runGraph prints the whole state graph of a small configuration as
// Graphviz DOT, with the counterexample's (or --show's) states and steps
// highlighted.
func runGraph(args []string, stdout, stderr io.Writer) error {
	var rest []string
	limit := 2000
	for i := 0; i < len(args); i++ {
		// --max-graph-states is graph's own; the rest are check's flags.
		if a, ok := strings.CutPrefix(args[i], "--max-graph-states"); ok {
			v := strings.TrimPrefix(a, "=")
			if v == "" && i+1 < len(args) {
				i++
				v = args[i]
			}
			if _, err := fmt.Sscanf(v, "%d", &limit); err != nil || limit < 1 {
				return usagef("--max-graph-states must be a positive number, not %q", v)
			}
			continue
		}
		rest = append(rest, args[i])
	}
	// One node per real state unless asked otherwise: orbit
	// representatives rename brokers, which is confusing in a picture.
	explicit := false
	for _, a := range rest {
		explicit = explicit || strings.HasPrefix(a, "--symmetry")
	}
	if !explicit {
		rest = append(rest, "--symmetry=false")
	}
	r, err := parseCheck(rest)
	if errors.Is(err, pflag.ErrHelp) {
		fmt.Fprint(stdout, "usage: electcheck graph [check's flags] [--max-graph-states N]\n\n"+
			"Prints the whole state graph of a small configuration as Graphviz DOT (dot -Tsvg),\n"+
			"one node per state (per orbit under symmetry), one edge per action, with the\n"+
			"states and steps of the counterexample (or of the --show witness trace) in red.\n"+
			"Fails for more than --max-graph-states states (default 2000).\n\n"+
			"check's flags:\n"+r.flags.fs.FlagUsages())
		return nil
	}
	if err != nil {
		return err
	}
	var out []byte
	switch c := r.checker.(type) {
	case *kafkaChecker:
		var canon func(*model.State)
		if c.symmetry {
			canon = c.model.Canonicalize
		}
		out, err = renderGraph(c, c.model, canon, history.Kafka{M: c.model}, limit, r.opts, stderr)
	case *tlaChecker:
		out, err = renderGraph(c, c.model, nil, history.TLA{M: c.model}, limit, r.opts, stderr)
	}
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

func renderGraph[S any, A any](c checker, m explore.Model[S, A], canon func(*S), r history.Renderer[S, A], limit int, opts explore.Options, stderr io.Writer) ([]byte, error) {
	states, edges, err := explore.StateGraph(m, canon, limit)
	if err != nil {
		return nil, usagef("%v: lower the bounds (for example --records 1 --crashes 1) or raise --max-graph-states", err)
	}
	// The highlighted path: the primary trace of a check.
	o, err := c.check(opts)
	if err != nil {
		return nil, err
	}
	onPath := map[string]int{} // canonical bytes -> position on the path
	var enc []byte
	key := func(s S) string {
		if canon != nil {
			canon(&s)
		}
		enc = m.Encode(enc[:0], &s)
		return string(enc)
	}
	var pathActions []string
	if o.primary == nil {
		fmt.Fprintf(stderr, "electcheck: every property holds in these %d states, so nothing is highlighted; --show WITNESS highlights the path to a witness\n", len(states))
	} else {
		// Rebuild the path's states from the trace's actions.
		s := m.Init()[0]
		onPath[key(s)] = 0
		for i, st := range o.primary.Steps[1:] {
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
	return append(b, '\n'), nil
}

// dotLabel makes text a DOT HTML-like label with left-aligned lines (gonum
// passes <...> labels through as they are).
func dotLabel(text string) string {
	text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(text)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	return "<" + strings.Join(lines, `<BR ALIGN="LEFT"/>`) + `<BR ALIGN="LEFT"/>>`
}
