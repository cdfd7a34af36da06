package history

// A shortcut for the cycle search, for the histories of single sends and
// single polls that electcheck simulate and most Kafka tests make.
//
// Under the default dependencies (wr edges, with realtime order or none)
// such a graph has no cycle unless some poll read a value from the future.
// Let every vertex v weigh call(v), the index of its invocation. A
// realtime edge a -> b leaves an ok completion a for an operation invoked
// after a completed: call(a) < ret(a) < call(b). A wr edge w -> r goes
// from a vertex that sent a value to one that polled it; if no vertex both
// sends and polls, r sends nothing, so r's only way on is a realtime edge
// r -> x, which needs r ok: call(x) > ret(r). So if every ok poll r
// returned after the invocation of each sender w it read from
// (call(w) < ret(r)), then call(x) > call(w): the weight rises along
// every realtime edge and every wr edge with the edge after it, and no
// path returns to where it started. A poll that is not ok ends every path
// through it. With write-write or anti-dependencies, or process order,
// the argument does not hold, and the graph is searched.

// acyclicByTime reports that the argument above holds for this history
// and these options: the dependency graph has no cycle, and need not be
// built. TestAcyclicByTimeAgreesWithSearch checks it against the search.
func (a *analysis) acyclicByTime(opts AnalyzeOptions) bool {
	if opts.WWDeps || opts.RWDeps || opts.order() == OrderProcess {
		return false
	}
	for i := range a.comps {
		c := &a.comps[i]
		if !isTxn(c) {
			continue
		}
		sends, polls := false, false
		for _, m := range c.op.Mops {
			switch m.F {
			case FSend:
				sends = true
			case FPoll:
				polls = true
			}
		}
		if sends && polls {
			return false
		}
	}
	for i := range a.comps {
		r := &a.comps[i]
		if !isTxn(r) || r.typ != OK {
			continue
		}
		for _, m := range r.op.Mops {
			if m.F != FPoll {
				continue
			}
			for _, kr := range m.Reads {
				for _, rec := range kr.Records {
					if w := a.writer[kr.Key][rec.Value]; w != nil && w != r && isTxn(w) && w.call.Index >= r.op.Index {
						return false
					}
				}
			}
		}
	}
	return true
}
