package history

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkAnalyze: every anomaly check and the cycle search on 50,000
// operations over 100 keys from 20 processes, with Jepsen's default
// dependencies and with every kind drawn (ww, rw: many more edges, and
// cycles, since lagging polls make anti-dependencies):
//
//	go test ./history -run '^$' -bench Analyze -cpu 1
func BenchmarkAnalyze(b *testing.B) {
	ops := kafkaLike(b, rand.New(rand.NewPCG(7, 7)), 20, 100, 50_000)
	for _, c := range []struct {
		name string
		opts AnalyzeOptions
	}{{"jepsen-defaults", AnalyzeOptions{}}, {"ww-rw-realtime", AnalyzeOptions{WWDeps: true, RWDeps: true}}} {
		b.Run(c.name, func(b *testing.B) {
			var as []Anomaly
			for b.Loop() {
				as = AnalyzeWith(ops, c.opts)
			}
			cycles := 0
			for _, a := range as {
				if len(a.Steps) > 0 {
					cycles++
				}
			}
			b.ReportMetric(float64(len(ops)), "operations")
			b.ReportMetric(float64(cycles), "cycles")
		})
	}
}

// kafkaLike is a history of n operations by clients that send to and
// poll random keys of a correct log: a send lands at its completion, a
// poll reads up to five records from the client's position in the key.
func kafkaLike(tb testing.TB, rng *rand.Rand, clients, keys, n int) []Operation {
	tb.Helper()
	logs := make([][]int64, keys)
	pos := make([][]int, clients)
	for i := range pos {
		pos[i] = make([]int, keys)
	}
	type open struct {
		busy bool
		send bool
		key  int64
		val  int64
	}
	procs := make([]open, clients)
	var h ClientHistory
	next := int64(1)
	ev := func(p int, typ OpType, f string, mops ...Mop) {
		i := int64(len(h.Ops))
		h.Ops = append(h.Ops, ClientOp{Index: i, Time: i, Type: typ, Process: int64(p), F: f, Mops: mops})
	}
	for done := 0; done < n; {
		p := rng.IntN(clients)
		o := &procs[p]
		if !o.busy {
			*o = open{busy: true, send: rng.IntN(2) == 0, key: int64(rng.IntN(keys))}
			if o.send {
				o.val = next
				next++
				ev(p, Invoke, FSend, snd(o.key, o.val))
			} else {
				ev(p, Invoke, FPoll, Mop{F: FPoll})
			}
			continue
		}
		o.busy = false
		done++
		k := o.key
		if o.send {
			logs[k] = append(logs[k], o.val)
			ev(p, OK, FSend, sent(k, int64(len(logs[k])-1), o.val))
			continue
		}
		var pairs []int64
		for j := pos[p][k]; j < len(logs[k]) && j < pos[p][k]+5; j++ {
			pairs = append(pairs, int64(j), logs[k][j])
		}
		pos[p][k] += len(pairs) / 2
		ev(p, OK, FPoll, polled(k, pairs...))
	}
	ops, err := h.Pair()
	if err != nil {
		tb.Fatal(err)
	}
	return ops
}
