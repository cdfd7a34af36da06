package markov

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
)

// PRISM's explicit model files (the PRISM manual, appendix "Explicit Model
// Files"): .tra transitions, .lab labels, .sta state values, .srew state
// rewards. They are what `prism -importmodel m.tra,sta,lab,srew -ctmc`
// reads. Numbers are written with strconv's shortest form ('g', -1), which
// reads back to the same float64, bit for bit.

// Labelled is what the label writers need: a Chain or an MDP.
type Labelled interface {
	N() int
	Names() LabelNames
	Labels(s uint32) Labels
}

// appendFloat writes v in the shortest form that reads back exactly.
func appendFloat(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', -1, 64) }

// WriteTra writes the chain's transitions: a first line "STATES
// TRANSITIONS", then "source target rate" rows by ascending source, then
// target.
func WriteTra(w io.Writer, c *Chain) error {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	bw := bufio.NewWriterSize(w, 1<<16)
	var line []byte
	line = fmt.Appendf(line, "%d %d\n", c.N(), c.Transitions())
	for s := range c.N() {
		lo, hi := c.bounds(uint32(s))
		for k := lo; k < hi; k++ {
			line = strconv.AppendUint(line, uint64(s), 10)
			line = append(line, ' ')
			line = strconv.AppendUint(line, uint64(c.to[k]), 10)
			line = append(line, ' ')
			line = appendFloat(line, c.rate(k))
			line = append(line, '\n')
		}
		if len(line) > 1<<15 || s == c.N()-1 {
			if _, err := bw.Write(line); err != nil {
				return err
			}
			line = line[:0]
		}
	}
	if _, err := bw.Write(line); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteMDPTra writes an MDP's transitions: "STATES CHOICES TRANSITIONS",
// then "source choice target probability" rows, choices numbered from 0
// within each state.
func WriteMDPTra(w io.Writer, m *MDP) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "%d %d %d\n", m.N(), m.Choices(), m.Transitions())
	var line []byte
	for s := range m.N() {
		lo, hi := m.choices(s)
		for a := lo; a < hi; a++ {
			for k := m.transOff[a]; k < m.transOff[a+1]; k++ {
				line = fmt.Appendf(line[:0], "%d %d %d ", s, a-lo, m.to[k])
				line = appendFloat(line, m.p[k])
				line = append(line, '\n')
				if _, err := bw.Write(line); err != nil {
					return err
				}
			}
		}
	}
	return bw.Flush()
}

// WriteLab writes the labels: a first line `0="init" 1="lost" …` (index i
// names bit i), then "state: i j …" for every state with a label. PRISM
// takes its initial states from the label "init".
func WriteLab(w io.Writer, m Labelled) error {
	bw := bufio.NewWriter(w)
	for i, name := range m.Names() {
		if i > 0 {
			bw.WriteByte(' ')
		}
		fmt.Fprintf(bw, "%d=%q", i, name)
	}
	bw.WriteByte('\n')
	var line []byte
	for s := range m.N() {
		l := m.Labels(uint32(s))
		if l == 0 {
			continue
		}
		line = strconv.AppendUint(line[:0], uint64(s), 10)
		line = append(line, ':')
		for i := range len(m.Names()) {
			if l&(1<<i) != 0 {
				line = append(line, ' ')
				line = strconv.AppendInt(line, int64(i), 10)
			}
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteSta writes the states' values for people: a first line
// "(v1,v2,…)" naming the variables, then "state:(x1,x2,…)".
func WriteSta(w io.Writer, n int, vars []string, values func(s uint32) []int) error {
	bw := bufio.NewWriter(w)
	bw.WriteByte('(')
	for i, v := range vars {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(v)
	}
	bw.WriteString(")\n")
	var line []byte
	for s := range n {
		vals := values(uint32(s))
		if len(vals) != len(vars) {
			return fmt.Errorf("state %d has %d values for %d variables", s, len(vals), len(vars))
		}
		line = strconv.AppendUint(line[:0], uint64(s), 10)
		line = append(line, ':', '(')
		for i, v := range vals {
			if i > 0 {
				line = append(line, ',')
			}
			line = strconv.AppendInt(line, int64(v), 10)
		}
		line = append(line, ')', '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteSrew writes state rewards: "STATES NONZERO", then "state reward"
// for every state whose reward is not 0.
func WriteSrew(w io.Writer, n int, reward func(s uint32) float64) error {
	nonzero := 0
	for s := range n {
		r := reward(uint32(s))
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return fmt.Errorf("state %d has reward %v", s, r)
		}
		if r != 0 {
			nonzero++
		}
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d\n", n, nonzero)
	var line []byte
	for s := range n {
		if r := reward(uint32(s)); r != 0 {
			line = strconv.AppendUint(line[:0], uint64(s), 10)
			line = append(line, ' ')
			line = appendFloat(line, r)
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}
