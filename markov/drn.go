package markov

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strconv"
)

// RewardModel is a named state reward, for the DRN writer.
type RewardModel struct {
	Name   string
	Reward func(s uint32) float64
}

// WriteDRN writes the chain in Storm's DRN format (the Storm
// documentation, "DRN input format"): a header (@type: CTMC, @parameters,
// @reward_models, @nr_states, @nr_choices) and @model, where each state
// line is "state ID !EXIT [REWARDS] LABELS" and its one action lists
// "TARGET : RATE". A deadlock state is written with a self-loop of rate 1
// (Storm wants a transition in every row; a self-loop changes nothing in
// a CTMC). Reward names and labels must be free of spaces, as label names
// are.
func WriteDRN(w io.Writer, c *Chain, rewards []RewardModel) error {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("// Written by electcheck's markov package\n@type: CTMC\n@parameters\n\n@reward_models\n")
	for i, r := range rewards {
		if err := (LabelNames{r.Name}).validate(); err != nil {
			return fmt.Errorf("reward model: %w", err)
		}
		if i > 0 {
			bw.WriteByte(' ')
		}
		bw.WriteString(r.Name)
	}
	fmt.Fprintf(bw, "\n@nr_states\n%d\n@nr_choices\n%d\n@model\n", c.N(), c.N())
	var line []byte
	for s := range c.N() {
		u := uint32(s)
		exit := c.Exit(u)
		deadlock := exit == 0
		if deadlock {
			exit = 1
		}
		line = fmt.Appendf(line[:0], "state %d !", s)
		line = appendFloat(line, exit)
		if len(rewards) > 0 {
			line = append(line, " ["...)
			for i, r := range rewards {
				if i > 0 {
					line = append(line, ", "...)
				}
				line = appendFloat(line, r.Reward(u))
			}
			line = append(line, ']')
		}
		for i, name := range c.names {
			if c.labels[s]&(1<<i) != 0 {
				line = append(line, ' ')
				line = append(line, name...)
			}
		}
		line = append(line, "\n\taction 0\n"...)
		if deadlock {
			line = fmt.Appendf(line, "\t\t%d : 1\n", s)
		}
		lo, hi := c.bounds(u)
		for k := lo; k < hi; k++ {
			line = append(line, '\t', '\t')
			line = strconv.AppendUint(line, uint64(c.to[k]), 10)
			line = append(line, " : "...)
			line = appendFloat(line, c.rate(k))
			line = append(line, '\n')
		}
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
