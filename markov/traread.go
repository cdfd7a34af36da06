package markov

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
)

// ReadTra reads a CTMC (or DTMC) from PRISM's .tra format: a first line
// "STATES TRANSITIONS", then exactly that many "source target rate" rows
// with sources in ascending order. Blank lines are ignored. The chain is
// built with a Builder, so parallel rows are summed and self-loops
// dropped; a chain WriteTra wrote reads back identical. maxStates bounds
// the number of states a header may claim (0 means 1<<31), so that a
// corrupt or hostile file cannot make the reader allocate without limit.
// Errors name the line.
func ReadTra(r io.Reader, maxStates int) (*Chain, error) {
	if maxStates <= 0 {
		maxStates = 1 << 31
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	line := 0
	next := func() ([][]byte, bool) {
		for sc.Scan() {
			line++
			if f := bytes.Fields(sc.Bytes()); len(f) > 0 {
				return f, true
			}
		}
		return nil, false
	}
	head, ok := next()
	if !ok {
		return nil, readErr(sc.Err(), line, "empty file: want a first line \"STATES TRANSITIONS\"")
	}
	if len(head) != 2 {
		return nil, fmt.Errorf("line %d: want \"STATES TRANSITIONS\", got %d fields (an MDP's .tra has 3: read it as an MDP)", line, len(head))
	}
	n, err1 := strconv.ParseUint(string(head[0]), 10, 32)
	m, err2 := strconv.ParseUint(string(head[1]), 10, 63)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("line %d: want two counts \"STATES TRANSITIONS\", got %q", line, bytes.Join(head, []byte(" ")))
	}
	if n > uint64(maxStates) {
		return nil, fmt.Errorf("line %d: %d states, more than the %d this reader was allowed", line, n, maxStates)
	}
	b, _ := NewBuilder(nil)
	var row []Edge
	src := uint64(0)
	flush := func(upto uint64) error { // rows of states src … upto−1
		for ; src < upto; src++ {
			b.AddState(0)
			if err := b.AddRow(row); err != nil {
				return err
			}
			row = row[:0]
		}
		return nil
	}
	for k := uint64(0); k < m; k++ {
		f, ok := next()
		if !ok {
			return nil, readErr(sc.Err(), line, fmt.Sprintf("the header promises %d transitions, the file has %d", m, k))
		}
		s, t, rate, err := traRow(f, n)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if s < src {
			return nil, fmt.Errorf("line %d: source %d after source %d: rows must be sorted by source", line, s, src)
		}
		if err := flush(s); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		row = append(row, Edge{uint32(t), rate})
	}
	if f, ok := next(); ok {
		return nil, fmt.Errorf("line %d: %q after the %d transitions the header promises", line, bytes.Join(f, []byte(" ")), m)
	}
	if err := sc.Err(); err != nil {
		return nil, readErr(err, line, "")
	}
	if err := flush(n); err != nil {
		return nil, err
	}
	return b.Build()
}

// traRow parses "source target rate".
func traRow(f [][]byte, n uint64) (s, t uint64, rate float64, err error) {
	if len(f) != 3 {
		return 0, 0, 0, fmt.Errorf("want \"source target rate\", got %d fields", len(f))
	}
	s, err1 := strconv.ParseUint(string(f[0]), 10, 32)
	t, err2 := strconv.ParseUint(string(f[1]), 10, 32)
	if err1 != nil || err2 != nil || s >= n || t >= n {
		return 0, 0, 0, fmt.Errorf("states %q and %q: want indices below %d", f[0], f[1], n)
	}
	rate, err = strconv.ParseFloat(string(f[2]), 64)
	if err != nil || rate < 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
		return 0, 0, 0, fmt.Errorf("rate %q: want a finite non-negative number", f[2])
	}
	return s, t, rate, nil
}

func readErr(err error, line int, msg string) error {
	if err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	return fmt.Errorf("line %d: %s", line, msg)
}
