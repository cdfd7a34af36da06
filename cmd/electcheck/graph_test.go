package main

import (
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph/formats/dot"
	"gonum.org/v1/gonum/graph/formats/dot/ast"
)

// parsedGraph is what a test needs from electcheck graph's DOT output,
// read back with gonum's DOT parser.
type parsedGraph struct {
	nodes, edges   int
	redNodes       map[string]int // node ID -> step on the highlighted path
	redEdges       int
	labelsWithText int
}

func parseDOT(t testing.TB, out string) parsedGraph {
	t.Helper()
	f, err := dot.ParseString(out)
	if err != nil {
		t.Fatalf("electcheck graph printed DOT that does not parse: %v", err)
	}
	if len(f.Graphs) != 1 || !f.Graphs[0].Directed {
		t.Fatalf("want one directed graph, got %d", len(f.Graphs))
	}
	g := parsedGraph{redNodes: map[string]int{}}
	attr := func(as []*ast.Attr, key string) string {
		for _, a := range as {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	for _, st := range f.Graphs[0].Stmts {
		switch st := st.(type) {
		case *ast.NodeStmt:
			g.nodes++
			if strings.Contains(attr(st.Attrs, "label"), "controller: leader") {
				g.labelsWithText++
			}
			if attr(st.Attrs, "color") == "red" {
				x, err := strconv.Unquote(attr(st.Attrs, "xlabel"))
				step, err2 := strconv.Atoi(strings.TrimPrefix(x, "step "))
				if err != nil || err2 != nil {
					t.Fatalf("highlighted node %s has xlabel %q", st.Node.ID, attr(st.Attrs, "xlabel"))
				}
				g.redNodes[st.Node.ID] = step
			}
		case *ast.EdgeStmt:
			g.edges++
			if attr(st.Attrs, "color") == "red" {
				g.redEdges++
			}
		}
	}
	return g
}

// The graph holds exactly the states a complete search counts, one edge
// per generated successor, and the counterexample highlighted step by
// step.
func TestGraphMatchesTheSearch(t *testing.T) {
	args := []string{"--replication-factor", "2", "--acks", "1", "--records", "1", "--crashes", "1"}
	rep, code := checkJSON(t, append(args, "--symmetry=false", "--keep-going")...)
	if code != exitViolation || !rep.Complete || len(rep.Violations) == 0 {
		t.Fatalf("check: exit %d, complete %v, %d violations", code, rep.Complete, len(rep.Violations))
	}
	out, stderr, code := runCLI(append([]string{"graph"}, args...)...)
	if code != exitOK {
		t.Fatalf("graph: exit %d: %s", code, stderr)
	}
	g := parseDOT(t, out)
	// Pinned: 557 states, 1703 transitions (every generated successor
	// but the initial state, which is generated without an action).
	if int64(g.nodes) != rep.DistinctStates || int64(g.edges) != rep.GeneratedStates-1 || g.nodes != 557 {
		t.Errorf("graph has %d nodes and %d edges; the search found %d distinct and %d generated states",
			g.nodes, g.edges, rep.DistinctStates, rep.GeneratedStates)
	}
	if g.labelsWithText != g.nodes {
		t.Errorf("%d of %d nodes are labelled with their state", g.labelsWithText, g.nodes)
	}
	// The shortest counterexample: 4 states, 3 steps, numbered 0..3.
	n := rep.Violations[0].TraceLength
	if len(g.redNodes) != n || g.redEdges != n-1 || n != 4 {
		t.Errorf("highlighted %d nodes and %d edges for a trace of %d states", len(g.redNodes), g.redEdges, n)
	}
	seen := map[int]bool{}
	for _, step := range g.redNodes {
		seen[step] = true
	}
	for i := 0; i < n; i++ {
		if !seen[i] {
			t.Errorf("no highlighted node is step %d", i)
		}
	}

	// --show highlights a witness's path instead, on a configuration
	// without violations.
	out, stderr, code = runCLI("graph", "--replication-factor", "2", "--min-insync-replicas", "1", "--records", "1", "--crashes", "1", "--show", "partition-offline")
	if code != exitOK {
		t.Fatalf("graph --show: exit %d: %s", code, stderr)
	}
	if g := parseDOT(t, out); len(g.redNodes) < 2 || g.redEdges != len(g.redNodes)-1 {
		t.Errorf("graph --show partition-offline highlighted %d nodes and %d edges", len(g.redNodes), g.redEdges)
	}
}

func TestGraphRefusesLargeSpaces(t *testing.T) {
	_, stderr, code := runCLI("graph", "--records", "1", "--crashes", "1", "--max-graph-states", "100")
	if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "more than 100 states") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = runCLI("graph", "--max-graph-states", "zero")
	if code != exitUsage || !strings.Contains(stderr, `invalid argument "zero" for "--max-graph-states" flag: not a whole number`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = runCLI("graph", "--max-graph-states", "0")
	if code != exitUsage || !strings.Contains(stderr, "--max-graph-states must be a positive number") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
