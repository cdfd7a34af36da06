package explore

// fpSet is the visited set: 64-bit fingerprints in a flat open-addressing
// table with linear probing. Zero marks an empty slot (Fingerprint never
// returns 0). The table doubles when it is three-quarters full.
type fpSet struct {
	slots []uint64
	n     int
	mask  uint64
}

func newFPSet(capacity int) *fpSet {
	size := 1024
	for size*3/4 < capacity {
		size *= 2
	}
	return &fpSet{slots: make([]uint64, size), mask: uint64(size - 1)}
}

// insert adds fp and reports whether it was new.
func (s *fpSet) insert(fp uint64) bool {
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	i := fp & s.mask
	for {
		switch s.slots[i] {
		case 0:
			s.slots[i] = fp
			s.n++
			return true
		case fp:
			return false
		}
		i = (i + 1) & s.mask
	}
}

// contains reports whether fp is in the set.
func (s *fpSet) contains(fp uint64) bool {
	i := fp & s.mask
	for {
		switch s.slots[i] {
		case 0:
			return false
		case fp:
			return true
		}
		i = (i + 1) & s.mask
	}
}

func (s *fpSet) grow() {
	old := s.slots
	s.slots = make([]uint64, 2*len(old))
	s.mask = uint64(len(s.slots) - 1)
	for _, fp := range old {
		if fp == 0 {
			continue
		}
		i := fp & s.mask
		for s.slots[i] != 0 {
			i = (i + 1) & s.mask
		}
		s.slots[i] = fp
	}
}

// bytes is the memory the table holds.
func (s *fpSet) bytes() int64 { return int64(len(s.slots)) * 8 }
