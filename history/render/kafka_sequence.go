package render

import (
	"fmt"
	"strings"

	"electcheck/history"
	"electcheck/model"
)

// The Mermaid sequence diagram of a Kafka trace: the producer, the brokers,
// the controller and the consumer as lifelines, each step's requests and
// answers as messages, what the controller decided as notes over it, and a
// closing note over the whole diagram on what the trace shows.

// mline is one line of a diagram: a message between two lifelines, a note
// over one or two, or a note spanning every lifeline drawn.
type mline struct {
	from, to string // a message's ends, or the lifelines a note is over
	arrow    string // "->>", "-->>" or "--x"; "" for a note
	span     bool   // a note over the whole diagram
	text     string
	about    string // a lifeline the line names, drawn even if it has no message: the broker elected
}

func message(from, arrow, to, text string) mline {
	return mline{from: from, arrow: arrow, to: to, text: text}
}

func note(over, text string) mline { return mline{from: over, text: text} }

func spanNote(text string) mline { return mline{span: true, text: text} }

// mtext makes text safe after a Mermaid colon, where '#' starts a comment
// and ';' ends the statement.
func mtext(s string) string {
	return strings.NewReplacer(";", ",", "#", "no. ", "\n", " ").Replace(s)
}

// lifeline is a participant: its alias in the diagram and its name.
type lifeline struct{ alias, name string }

func (k Kafka) lifelines() []lifeline {
	out := []lifeline{{"P", "Producer"}}
	for b := 1; b <= k.M.RF(); b++ {
		out = append(out, lifeline{fmt.Sprintf("B%d", b), fmt.Sprintf("Broker %d", b)})
	}
	return append(out, lifeline{"C", "Controller"}, lifeline{"K", "Consumer"})
}

// Sequence is the Mermaid sequence diagram of trace t, after
// "sequenceDiagram": a lifeline for every replica of the partition, and for
// the producer, the controller and the consumer when they have a message
// or note (a consumer that never reads is left out), each step's messages
// and notes,
// and a closing note on what the trace shows: the records lost for a
// property violated, the situation reached for a witness.
func (k Kafka) Sequence(t history.Trace[model.State, model.Action], doc history.Document) []string {
	var lines []mline
	for i := 1; i < t.Len(); i++ {
		lines = append(lines, k.step(&t.Steps[i-1].State, &t.Steps[i].State, *t.Steps[i].Action)...)
	}
	for _, c := range k.closing(&t.Steps[t.Len()-1].State, doc) {
		lines = append(lines, spanNote(c))
	}
	used := map[string]bool{}
	for _, l := range lines {
		if !l.span {
			used[l.from], used[l.to] = true, true
		}
		used[l.about] = true
	}
	var out, drawn []string
	for _, p := range k.lifelines() {
		// A replica is part of the configuration even when it never
		// acts: a diagram of three replicas shows three.
		if used[p.alias] || strings.HasPrefix(p.alias, "B") {
			out = append(out, fmt.Sprintf("participant %s as %s", p.alias, p.name))
			drawn = append(drawn, p.alias)
		}
	}
	for _, l := range lines {
		switch {
		case l.span && len(drawn) == 1:
			out = append(out, fmt.Sprintf("Note over %s: %s", drawn[0], mtext(l.text)))
		case l.span && len(drawn) > 1:
			out = append(out, fmt.Sprintf("Note over %s,%s: %s", drawn[0], drawn[len(drawn)-1], mtext(l.text)))
		case l.arrow != "":
			out = append(out, fmt.Sprintf("%s%s%s: %s", l.from, l.arrow, l.to, mtext(l.text)))
		case l.to != "":
			out = append(out, fmt.Sprintf("Note over %s,%s: %s", l.from, l.to, mtext(l.text)))
		case l.from != "":
			out = append(out, fmt.Sprintf("Note over %s: %s", l.from, mtext(l.text)))
		}
	}
	return out
}

// step is the messages and notes of one step, in the words of Explain.
func (k Kafka) step(before, after *model.State, a model.Action) []mline {
	id := a.Broker
	if id == model.None {
		id = 1 // the whole partition acts; keep the lookups below valid
	}
	b := fmt.Sprintf("B%d", id)
	var out []mline
	bb, ba := before.Broker(id), after.Broker(id)
	bc, ac := &before.Ctrl, &after.Ctrl
	isrShown := false // a message already says how the controller's ISR changed
	switch a.Kind {
	case model.Produce:
		rec := model.RecordID(before.Ghost.Produced + 1)
		out = append(out, message("P", "->>", b, fmt.Sprintf("produce %s (acks=%s)", rec, k.M.Config().Acks)))
	case model.Fetch:
		l := fmt.Sprintf("B%d", bb.Leader)
		keep := commonPrefix(bb.Entries(), ba.Entries())
		if keep < bb.LEO {
			out = append(out, note(b, fmt.Sprintf("truncates %s (%s)", offsets(keep, bb.LEO), records(bb.Log[keep:bb.LEO]))))
		}
		out = append(out, message(b, "->>", l, fmt.Sprintf("fetch from offset %d", keep)))
		if a.Lost {
			out = append(out, message(l, "--x", b, "response lost"))
		} else {
			out = append(out, message(l, "-->>", b, fmt.Sprintf("%s, HW %d", records(ba.Log[keep:ba.LEO]), ba.HW)))
		}
	case model.ShrinkISR, model.ExpandISR:
		if p := ba.Proposed; p != 0 {
			out = append(out, message(b, "->>", "C", fmt.Sprintf("AlterPartition ISR %s → %s", bb.ISR, p)))
		} else {
			out = append(out, message(b, "->>", "C", fmt.Sprintf("ISR %s → %s", bc.ISR, ac.ISR)))
			isrShown = true
		}
	case model.AlterPartition:
		if ac.ISR == bb.Proposed || ac.Epoch != bc.Epoch {
			out = append(out, message("C", "-->>", b, fmt.Sprintf("accepted: ISR %s → %s", bc.ISR, ac.ISR)))
		} else {
			out = append(out, message("C", "--x", b, fmt.Sprintf("refused ISR %s: the ISR stays %s", bb.Proposed, ac.ISR)))
		}
		isrShown = true
	case model.Metadata:
		text := fmt.Sprintf("epoch %d, leader %s", ba.Epoch, ba.Leader)
		if ba.Leader == id {
			text += fmt.Sprintf(", ISR %s", ba.ISR)
		}
		if a.Old {
			text += " (late)"
		}
		out = append(out, message("C", "->>", b, text))
		if ba.LEO < bb.LEO {
			out = append(out, note(b, fmt.Sprintf("truncates to its HW %d, dropping %s", ba.LEO, records(bb.Log[ba.LEO:bb.LEO]))))
		}
	case model.Consume:
		out = append(out, message("K", "->>", b, fmt.Sprintf("fetch from offset %d", before.Ghost.Consumed)))
		out = append(out, message(b, "-->>", "K", records(bb.Log[before.Ghost.Consumed:after.Ghost.Consumed])))
	case model.Crash:
		out = append(out, note(b, "process crash"))
	case model.PowerLoss:
		if ba.LEO < bb.LEO {
			out = append(out, note(b, fmt.Sprintf("power loss: %s lost, keeps %d of %d records", records(bb.Log[ba.LEO:bb.LEO]), ba.LEO, bb.LEO)))
		} else {
			out = append(out, note(b, fmt.Sprintf("power loss: all %d records were on disk", bb.LEO)))
		}
	case model.DiskLoss:
		if bb.LEO > 0 {
			out = append(out, note(b, fmt.Sprintf("disk lost: %s gone", records(bb.Entries()))))
		} else {
			out = append(out, note(b, "disk lost (its log was empty)"))
		}
	case model.CorrelatedPowerLoss:
		out = append(out, correlatedNotes(k.M.RF(), before, after, a)...)
	case model.Pause:
		out = append(out, note(b, "paused"))
	case model.CleanShutdown:
		out = append(out, message(b, "->>", "C", "controlled shutdown"))
	case model.Detect:
		text := fmt.Sprintf("fences broker %d", id)
		if bc.ISR != ac.ISR {
			text += fmt.Sprintf(", ISR %s → %s", bc.ISR, ac.ISR)
		} else if bc.ISR.Has(id) {
			text += fmt.Sprintf(", which stays in the ISR %s as its last member", ac.ISR)
		}
		out = append(out, note("C", text))
		isrShown = true
	case model.Restart:
		out = append(out, message(b, "->>", "C", "register after restart"))
	case model.Register:
		out = append(out, message(b, "->>", "C", "register again"))
	case model.Resume:
		out = append(out, note(b, "resumes"))
	case model.PreferredElection:
		out = append(out, note("C", "preferred-replica election"))
	case model.Elect:
		out = append(out, note("C", "applies the new setting"))
	case model.EnableUnclean:
		out = append(out, note("C", "operator sets unclean.leader.election.enable=true"))
	}
	eb := electionBefore(k.M, before, a)
	if el := electionNote(&eb, ac); el != "" {
		n := note("C", el)
		if ac.Leader != model.None {
			n.about = fmt.Sprintf("B%d", ac.Leader)
		}
		out = append(out, n)
	}
	var changes []string
	if bc.ISR != ac.ISR && !isrShown {
		changes = append(changes, fmt.Sprintf("ISR %s → %s", bc.ISR, ac.ISR))
	}
	if bc.ELR != ac.ELR {
		changes = append(changes, fmt.Sprintf("ELR %s → %s", bc.ELR, ac.ELR))
	}
	if len(changes) > 0 {
		out = append(out, note("C", strings.Join(changes, ", ")))
	}
	return append(out, k.answers(before, after, id)...)
}

// electionNote says, as Explain does, how the controller's leader changed.
func electionNote(bc, ac *model.Controller) string {
	switch classifyElection(bc, ac) {
	case epochBump:
		return fmt.Sprintf("leader epoch bumped to %d", ac.Epoch)
	case goesOffline:
		return "no eligible replica: the partition is offline"
	case cleanElection:
		return fmt.Sprintf("elects broker %d in epoch %d (clean: it is in the ISR %s)", ac.Leader, ac.Epoch, bc.ISR)
	case elrElection:
		return fmt.Sprintf("elects broker %d in epoch %d from the eligible leader replicas %s (the ISR being empty)", ac.Leader, ac.Epoch, bc.ELR)
	case lastLeaderElection:
		return fmt.Sprintf("elects broker %d, the last known leader, in epoch %d: UNCLEAN, the ISR and ELR being empty (KIP-966)", ac.Leader, ac.Epoch)
	case uncleanElection:
		return fmt.Sprintf("elects broker %d in epoch %d by UNCLEAN election: it was not in the ISR %s", ac.Leader, ac.Epoch, bc.ISR)
	}
	return ""
}

// answers is what the producer heard in a step, and the committed offsets
// growing.
func (k Kafka) answers(before, after *model.State, id model.BrokerID) []mline {
	var out []mline
	for r := range after.Ghost.Produced {
		rb, ra := before.Ghost.Records[r], after.Ghost.Records[r]
		if r < before.Ghost.Produced && rb.Fate == ra.Fate {
			continue
		}
		rec := model.RecordID(r + 1)
		leader := fmt.Sprintf("B%d", ra.Leader)
		switch ra.Fate {
		case model.Acked:
			out = append(out, message(leader, "-->>", "P", fmt.Sprintf("ack %s (offset %d)", rec, ra.Offset)))
		case model.FailedAfterAppend:
			out = append(out, message(leader, "--x", "P", fmt.Sprintf("%s NOT_ENOUGH_REPLICAS_AFTER_APPEND", rec)))
		case model.LeaderLost:
			out = append(out, message(leader, "--x", "P", fmt.Sprintf("%s failed, leader gone", rec)))
		case model.Refused:
			out = append(out, message(fmt.Sprintf("B%d", id), "--x", "P", fmt.Sprintf("%s NotEnoughReplicas", rec)))
		}
	}
	if after.Ghost.TrueHW > before.Ghost.TrueHW {
		out = append(out, spanNote(fmt.Sprintf("committed up to offset %d", after.Ghost.TrueHW-1)))
	}
	return out
}
