package render

import (
	"fmt"
	"sort"
	"strings"

	"electcheck/history"
	"electcheck/model"
)

// The closing note of a Kafka trace's diagram: what its last state shows.
// A record clients were told of (committed, acknowledged, read) and the
// current leader no longer holds at its offset is lost; this is what the
// durability properties check, worked out here from the ghost state so
// that the note can name every such record, not only the first.

// toldRecord is a record clients were told of, and what they were told.
type toldRecord struct {
	rec                    model.RecordID
	off                    model.Offset
	committed, acked, read bool
	fate                   model.Fate
	replacedBy             model.RecordID // what the leader holds at off instead, if anything
}

// told lists the records clients were told of in s, by offset.
func told(s *model.State) []toldRecord {
	g := &s.Ghost
	byRec := map[model.RecordID]*toldRecord{}
	get := func(rec model.RecordID, off model.Offset) *toldRecord {
		t := byRec[rec]
		if t == nil {
			t = &toldRecord{rec: rec, off: off, fate: g.Records[rec-1].Fate}
			byRec[rec] = t
		}
		return t
	}
	for o, e := range g.Committed[:g.TrueHW] {
		get(e.Rec, model.Offset(o)).committed = true
	}
	for k, r := range g.Records[:g.Produced] {
		if r.Fate == model.Acked {
			get(model.RecordID(k+1), r.Offset).acked = true
		}
	}
	for o, rec := range g.Read[:g.Consumed] {
		get(rec, model.Offset(o)).read = true
	}
	out := make([]toldRecord, 0, len(byRec))
	for _, t := range byRec {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].off != out[j].off {
			return out[i].off < out[j].off
		}
		return out[i].rec < out[j].rec
	})
	return out
}

// lostOn lists the records of ts that broker b's log does not hold at
// their offsets.
func lostOn(b *model.Broker, ts []toldRecord) []toldRecord {
	var out []toldRecord
	for _, t := range ts {
		switch {
		case t.off >= b.LEO:
			out = append(out, t)
		case b.Log[t.off].Rec != t.rec:
			t.replacedBy = b.Log[t.off].Rec
			out = append(out, t)
		}
	}
	return out
}

// holds reports whether broker b's log holds every record of ts.
func holds(b *model.Broker, ts []toldRecord) bool { return len(lostOn(b, ts)) == 0 }

// lossProperties are the properties (package invariants) that a record
// lost from the leader's log violates. For them the closing note lists
// every record lost, which says what their messages say of the first one;
// for the others it gives the message, then the records lost, if any.
var lossProperties = map[string]bool{
	"acked-records-durable":       true,
	"committed-offsets-preserved": true,
	"consumed-records-stable":     true,
	"no-offset-reuse":             true,
}

// closing is the closing notes of a diagram ending in state last: for a
// property violated, the records lost or the property's message; for a
// witness, the situation reached; then what became of the records clients
// were told of.
func (k Kafka) closing(last *model.State, doc history.Document) []string {
	switch {
	case doc.Property != "":
		lost := k.lost(last)
		if lossProperties[doc.Property] && len(lost) > 0 {
			return []string{"Lost: " + describeLost(lost)}
		}
		out := []string{fmt.Sprintf("Violates %s: %s", doc.Property, doc.Message)}
		if len(lost) > 0 {
			out = append(out, "Lost: "+describeLost(lost))
		}
		return out
	case doc.Witness != "" && doc.WitnessText != "":
		return []string{fmt.Sprintf("Shows %s: %s", doc.Witness, doc.WitnessText), k.outcome(last)}
	case doc.Witness != "":
		return []string{"Shows " + doc.Witness, k.outcome(last)}
	}
	return []string{k.outcome(last)}
}

// lost lists the records clients were told of that the controller's
// leader, if it is running, no longer holds.
func (k Kafka) lost(s *model.State) []toldRecord {
	l := s.Ctrl.Leader
	if l == model.None || s.Broker(l).Status.Down() {
		return nil
	}
	return lostOn(s.Broker(l), told(s))
}

// outcome says what became of the records clients were told of.
func (k Kafka) outcome(s *model.State) string {
	ts := told(s)
	l := s.Ctrl.Leader
	if l == model.None || s.Broker(l).Status.Down() {
		head := "No leader: the partition is offline"
		if l != model.None {
			head = fmt.Sprintf("Broker %d, the leader, is down", l)
		}
		if len(ts) == 0 {
			return head
		}
		var keep []string
		for id := model.BrokerID(1); int(id) <= k.M.RF(); id++ {
			if b := s.Broker(id); holds(b, ts) {
				status := "running"
				switch {
				case b.Status.Down():
					status = "down"
				case b.Status == model.Paused:
					status = "paused"
				}
				keep = append(keep, fmt.Sprintf("broker %d (%s)", id, status))
			}
		}
		if len(keep) == 0 {
			return fmt.Sprintf("%s<br/>no replica holds all of %s", head, names(ts))
		}
		return fmt.Sprintf("%s<br/>%s kept on %s", head, names(ts), and(keep))
	}
	if lost := lostOn(s.Broker(l), ts); len(lost) > 0 {
		return "Lost: " + describeLost(lost)
	}
	if len(ts) == 0 {
		return "Nothing was acknowledged, committed or read"
	}
	return fmt.Sprintf("Nothing lost: broker %d, leader in epoch %d, holds %s", l, s.Ctrl.Epoch, names(ts))
}

func names(ts []toldRecord) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.rec.String())
	}
	return strings.Join(out, ", ")
}

// and joins a list as a sentence does: "x", "x and y", "x, y and z".
func and(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// describeLost says which records are lost and what clients were told of
// them: "record b, committed at offset 1 (acknowledged to its producer)".
// Runs of records at consecutive offsets told the same are one line.
func describeLost(ts []toldRecord) string {
	var lines []string
	for i := 0; i < len(ts); {
		j := i + 1
		for j < len(ts) && ts[j].off == ts[j-1].off+1 && sameTold(ts[i], ts[j]) {
			j++
		}
		lines = append(lines, describeRun(ts[i:j]))
		i = j
	}
	return strings.Join(lines, "<br/>")
}

func sameTold(x, y toldRecord) bool {
	return x.committed == y.committed && x.acked == y.acked && x.read == y.read && x.fate == y.fate &&
		(x.replacedBy == 0) == (y.replacedBy == 0)
}

// describeRun describes records told the same at consecutive offsets.
func describeRun(run []toldRecord) string {
	t := run[0]
	n := len(run)
	what := fmt.Sprintf("record %s", t.rec)
	at := fmt.Sprintf("offset %d", t.off)
	its := "its"
	if n > 1 {
		what = fmt.Sprintf("records %s to %s", t.rec, run[n-1].rec)
		if n == 2 {
			what = fmt.Sprintf("records %s and %s", t.rec, run[1].rec)
		}
		at = offsets(t.off, run[n-1].off+1)
		its = "their"
	}
	var told string
	var also []string
	switch {
	case t.committed:
		told = "committed at " + at
		switch {
		case t.acked:
			also = append(also, "acknowledged to "+its+" producer")
		case t.fate == model.LeaderLost || t.fate == model.FailedAfterAppend:
			also = append(also, its+" producer was told the write failed")
		case t.fate == model.Sent:
			also = append(also, "acks=0: "+its+" producer never heard back")
		}
		if t.read {
			also = append(also, "read by the consumer")
		}
	case t.acked:
		told = "acknowledged at " + at
		also = append(also, "never committed")
		if t.read {
			also = append(also, "read by the consumer")
		}
	default:
		told = "read by the consumer at " + at
	}
	s := what + ", " + told
	if t.replacedBy != 0 {
		var by []string
		for _, r := range run {
			by = append(by, r.replacedBy.String())
		}
		s += ", replaced by " + strings.Join(by, ", ")
	}
	if len(also) > 0 {
		s += " (" + strings.Join(also, ", ") + ")"
	}
	return s
}
