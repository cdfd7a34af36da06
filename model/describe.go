package model

import (
	"fmt"
	"strings"
)

// Describe is the canonical text of a state, one line per broker and then
// the controller and what clients were told, in the spirit of the diagrams
// in seed 003:
//
//	broker 1  leader         epoch 2  log [0:a/1] [1:b/1] [2:c/2]  LEO 3  HW 2  ISR {1,2}  fetch offsets {2:2,3:1}
//	broker 2  follower of 1  epoch 2  log [0:a/1] [1:b/1]          LEO 2  HW 1
//	broker 3  down                    log [0:a/1]                  LEO 1  HW 1  (power loss; unflushed suffix lost)
//	controller: leader 1, epoch 2, ISR {1,2}, live {1,2}
//
// An entry [o:r/e] is record r at offset o, appended in leader epoch e. A
// leader's fetch offsets are what it knows of each follower's log: the
// offset the follower last fetched from in this leadership.
func (m *Model) Describe(s *State) string {
	rows := make([][]string, 0, m.rf)
	for id := BrokerID(1); id <= m.rf; id++ {
		rows = append(rows, m.brokerColumns(s, id))
	}
	var sb strings.Builder
	writeTable(&sb, rows)
	c := &s.Ctrl
	fmt.Fprintf(&sb, "controller: leader %s, epoch %d, ISR %s", c.Leader, c.Epoch, c.ISR)
	if c.ELR != 0 {
		fmt.Fprintf(&sb, ", ELR %s", c.ELR)
	}
	if c.LastLeader != None {
		fmt.Fprintf(&sb, ", last known leader %s", c.LastLeader)
	}
	fmt.Fprintf(&sb, ", live %s", c.Live)
	if c.Leader == None {
		sb.WriteString(" (partition offline)")
	}
	if c.UncleanEnabled {
		sb.WriteString("; the operator enabled unclean leader election")
	}
	sb.WriteByte('\n')
	if t := m.terms(s); t != "" {
		fmt.Fprintf(&sb, "metadata a broker may still apply late: %s\n", t)
	}
	g := &s.Ghost
	if g.Produced > 0 {
		sb.WriteString("producer:")
		for k, r := range g.Records[:g.Produced] {
			fmt.Fprintf(&sb, " %s %s", RecordID(k+1), r.Fate)
			if r.Fate != Refused {
				fmt.Fprintf(&sb, " at %d on broker %d", r.Offset, r.Leader)
			}
			if int(k) < int(g.Produced)-1 {
				sb.WriteByte(';')
			}
		}
		sb.WriteByte('\n')
	}
	if g.TrueHW > 0 {
		fmt.Fprintf(&sb, "committed (true HW %d): %s\n", g.TrueHW, entries(g.Committed[:g.TrueHW]))
	}
	if g.Consumed > 0 {
		sb.WriteString("consumer read:")
		for o, r := range g.Read[:g.Consumed] {
			fmt.Fprintf(&sb, " [%d:%s]", o, r)
		}
		sb.WriteByte('\n')
	}
	if f := m.faultsUsed(s); f != "" {
		fmt.Fprintf(&sb, "faults used: %s\n", f)
	}
	return sb.String()
}

// terms lists the terms of older epochs a broker may still apply.
func (m *Model) terms(s *State) string {
	c := &s.Ctrl
	var parts []string
	for e := m.OldestTerm(s); e < c.Epoch; e++ {
		t := c.History[e]
		parts = append(parts, fmt.Sprintf("epoch %d leader %s ISR %s", e, t.Leader, t.ISR))
	}
	return strings.Join(parts, "; ")
}

func (m *Model) brokerColumns(s *State, id BrokerID) []string {
	b := s.Broker(id)
	role := ""
	switch {
	case b.Leader == id && !s.StillLeads(id):
		role = "stale leader"
	case b.Leader == id:
		role = "leader"
	case b.Leader != None:
		role = "follower of " + b.Leader.String()
	default:
		role = "no leader known"
	}
	epoch := fmt.Sprintf("epoch %d", b.Epoch)
	switch {
	case b.Status == Paused:
		role = "paused, " + role
	case b.Status != Up:
		role, epoch = "down", ""
	}
	cols := []string{"broker " + id.String(), role, epoch, "log " + entries(b.Entries()),
		fmt.Sprintf("LEO %d", b.LEO), fmt.Sprintf("HW %d", b.HW)}
	if m.powerLossPossible(s) && b.Flushed > 0 && b.Flushed < b.LEO {
		cols = append(cols, fmt.Sprintf("fsynced %d", b.Flushed))
	}
	if b.Leader == id {
		cols = append(cols, "ISR "+b.ISR.String(), "fetch offsets "+m.fetchOffsets(b, id))
		if b.Proposed != 0 {
			cols = append(cols, "proposed ISR "+b.Proposed.String()+" (in flight)")
		}
	}
	if b.Truncating {
		cols = append(cols, "(to look up its divergence before fetching)")
	}
	if b.Status.Down() {
		cols = append(cols, "("+b.Status.reason()+")")
	}
	return cols
}

// alignedColumns is how many leading columns writeTable aligns: broker,
// role, epoch, log, LEO and HW. The notes after them (flushed, ISR, why a
// broker is down) differ from row to row and follow unpadded.
const alignedColumns = 6

// writeTable pads the aligned columns to their widest cell.
func writeTable(sb *strings.Builder, rows [][]string) {
	var width [alignedColumns]int
	for _, r := range rows {
		for i := range alignedColumns {
			width[i] = max(width[i], len(r[i]))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			line.WriteString(c)
			if i < alignedColumns {
				line.WriteString(strings.Repeat(" ", width[i]-len(c)))
			}
		}
		sb.WriteString(strings.TrimRight(line.String(), " "))
		sb.WriteByte('\n')
	}
}

// fetchOffsets prints what a leader knows of its followers' logs, as
// {follower:offset,...}: the offset each last fetched from in this
// leadership.
func (m *Model) fetchOffsets(b *Broker, self BrokerID) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for f := BrokerID(1); f <= m.rf; f++ {
		if f == self {
			continue
		}
		if sb.Len() > 1 {
			sb.WriteByte(',')
		}
		if b.Fetched.Has(f) {
			fmt.Fprintf(&sb, "%d:%d", f, b.Remote[f-1])
		} else {
			fmt.Fprintf(&sb, "%d:-", f)
		}
	}
	sb.WriteByte('}')
	return sb.String()
}

func entries(es []Entry) string {
	if len(es) == 0 {
		return "(empty)"
	}
	var sb strings.Builder
	for o, e := range es {
		if o > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "[%d:%s/%d]", o, e.Rec, e.Epoch)
	}
	return sb.String()
}

func (m *Model) faultsUsed(s *State) string {
	var parts []string
	add := func(name string, used uint8, bound int) {
		if bound > 0 {
			parts = append(parts, fmt.Sprintf("%s %d/%d", name, used, bound))
		}
	}
	b := &m.cfg.Bounds
	add("crashes", s.Used.Crashes, b.Crashes)
	add("power losses", s.Used.PowerLosses, b.PowerLosses)
	add("disk losses", s.Used.DiskLosses, b.DiskLosses)
	add("clean shutdowns", s.Used.CleanShutdowns, b.CleanShutdowns)
	add("pauses", s.Used.Pauses, b.Pauses)
	add("correlated power losses", s.Used.CorrelatedPowerLosses, b.CorrelatedPowerLosses)
	return strings.Join(parts, ", ")
}
