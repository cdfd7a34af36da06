package markov

import (
	"container/heap"
	"math"
	"runtime"
)

// MostLikelyPath returns the most likely path of the embedded jump chain
// from state from to a state target accepts: the path whose
// product of jump probabilities (rate over the source's exit rate) is
// largest, and that product. It is Dijkstra's shortest path on −log p,
// ties broken by the smaller state index, so the path is the same on
// every run. It returns nil and 0 when no target is reachable. Target
// states end the path; they are not passed through.
func MostLikelyPath(c *Chain, from uint32, target func(s uint32) bool) ([]uint32, float64) {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	n := c.N()
	dist := make([]float64, n)
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	prev := make([]uint32, n)
	done := make([]bool, n)
	dist[from] = 0
	q := &pathQueue{{s: from}}
	for q.Len() > 0 {
		it := heap.Pop(q).(pathItem)
		s := it.s
		if done[s] || it.d > dist[s] {
			continue
		}
		done[s] = true
		if target(s) {
			path := []uint32{s}
			for s != from {
				s = prev[s]
				path = append(path, s)
			}
			for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
				path[i], path[j] = path[j], path[i]
			}
			return path, math.Exp(-dist[path[len(path)-1]])
		}
		exit := c.Exit(s)
		if exit == 0 {
			continue
		}
		lo, hi := c.bounds(s)
		for k := lo; k < hi; k++ {
			t := c.to[k]
			d := dist[s] - math.Log(c.rate(k)/exit)
			if done[t] || d > dist[t] || d == dist[t] && s >= prev[t] {
				continue
			}
			dist[t], prev[t] = d, s
			heap.Push(q, pathItem{s: t, d: d})
		}
	}
	return nil, 0
}

type pathItem struct {
	s uint32
	d float64
}

// pathQueue is a min-heap on distance, then state.
type pathQueue []pathItem

func (q pathQueue) Len() int { return len(q) }
func (q pathQueue) Less(i, j int) bool {
	return q[i].d < q[j].d || q[i].d == q[j].d && q[i].s < q[j].s
}
func (q pathQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *pathQueue) Push(x any)   { *q = append(*q, x.(pathItem)) }
func (q *pathQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
