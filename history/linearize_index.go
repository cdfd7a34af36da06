package history

import "fmt"

// keyIndex is what the linearizability check needs of one key, gathered
// in one pass over the history, so that no step of it walks the whole
// history once per key (50,000 operations over 100 keys took seconds that
// way): the sends to the key, the highest high watermark a poll of it
// saw, the completions that read it, and the first poll that read past
// its own high watermark.
type keyIndex struct {
	sends   int
	maxHW   int64
	reads   []int32 // indexes in a.comps, ascending
	aboveHW string
}

// indexKeys indexes every key the history touches.
func (a *analysis) indexKeys() map[int64]*keyIndex {
	ix := map[int64]*keyIndex{}
	get := func(k int64) *keyIndex {
		x := ix[k]
		if x == nil {
			x = &keyIndex{}
			ix[k] = x
		}
		return x
	}
	for i := range a.comps {
		c := &a.comps[i]
		for _, m := range c.op.Mops {
			if m.F == FSend {
				get(m.Key).sends++
			}
			for _, r := range m.Reads {
				x := get(r.Key)
				if n := len(x.reads); n == 0 || x.reads[n-1] != int32(i) {
					x.reads = append(x.reads, int32(i))
				}
				if !r.HasHW {
					continue
				}
				x.maxHW = max(x.maxHW, r.HW)
				for _, rec := range r.Records {
					if rec.Offset >= r.HW && x.aboveHW == "" {
						x.aboveHW = fmt.Sprintf("a poll (event %d) read offset %d above the high watermark %d it saw", c.op.Index, rec.Offset, r.HW)
					}
				}
			}
		}
	}
	return ix
}
