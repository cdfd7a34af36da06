package render

import (
	"fmt"
	"strings"

	"electcheck/model"
)

// A correlated power loss in Kafka's words: every broker whose machine has
// power loses it at once, each keeping what its OS had written to disk.

// explainCorrelated is Explain's line for a correlated power loss.
func explainCorrelated(rf int, before, after *model.State, a model.Action) string {
	parts := []string{"every broker loses power at once (a rack or data-centre power outage)"}
	for id := model.BrokerID(1); int(id) <= rf; id++ {
		bb, ba := before.Broker(id), after.Broker(id)
		switch {
		case a.Hit.Has(id):
			parts = append(parts, "broker "+id.String()+powerLossText(bb, ba))
		case bb.Status.Down():
			parts = append(parts, fmt.Sprintf("broker %d was already down", id))
		}
	}
	return strings.Join(parts, "; ")
}

// powerLossText is what a broker's disk kept, as " lost nothing: ..." or
// " keeps N of its M records: X lost".
func powerLossText(bb, ba *model.Broker) string {
	if ba.LEO == bb.LEO {
		return fmt.Sprintf(": the OS had written all %d of its records to disk, so nothing is lost", bb.LEO)
	}
	return fmt.Sprintf(": the OS had written %d of its %d records to disk, %s lost", ba.LEO, bb.LEO, records(bb.Log[ba.LEO:bb.LEO]))
}

// correlatedNotes are the sequence diagram's notes of a correlated power
// loss: one over every lifeline, then one per broker it took down.
func correlatedNotes(rf int, before, after *model.State, a model.Action) []mline {
	out := []mline{spanNote("every broker loses power at once (rack or data-centre outage)")}
	for id := model.BrokerID(1); int(id) <= rf; id++ {
		if !a.Hit.Has(id) {
			continue
		}
		b := fmt.Sprintf("B%d", id)
		bb, ba := before.Broker(id), after.Broker(id)
		if ba.LEO < bb.LEO {
			out = append(out, note(b, fmt.Sprintf("power loss: %s lost, keeps %d of %d records", records(bb.Log[ba.LEO:bb.LEO]), ba.LEO, bb.LEO)))
		} else {
			out = append(out, note(b, fmt.Sprintf("power loss: all %d records were on disk", bb.LEO)))
		}
	}
	return out
}
