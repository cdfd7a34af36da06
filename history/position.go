package history

import (
	"fmt"
	"slices"
	"strings"
)

// The consumer's position. A Kafka consumer polls from its position: after
// assign with seek-to-beginning?, the log's first record; after a poll,
// the record after the last one it returned. A poll returns records from
// there up to some point at or below the high watermark, so a poll whose
// first record lies past the position skipped records the log held, and
// one whose first record lies before it read some again. Jepsen's analysis
// assumes the same (its poll-skip and nonmonotonic-poll anomalies compare
// consecutive polls); the linearizability check holds every poll to it,
// as a static check on each key, unless told not to (Assumptions).

// Assumptions are what the linearizability check takes for granted of
// consumers. The zero value assumes everything; a history that breaks an
// assumption for a reason outside the model (aborted transactions a
// read_committed consumer skips, a log truncated by retention) can turn
// it off.
type Assumptions struct {
	// NoSeekStart drops "after assign with seek-to-beginning?, a
	// consumer's first poll of a key starts at the log's first record".
	NoSeekStart bool
	// NoPollContinues drops "a consumer's poll of a key starts right
	// after the last record its previous poll of that key returned".
	NoPollContinues bool
}

// AssumptionNames are the assumptions' names, as --assume takes them.
var AssumptionNames = []string{"seek-start", "poll-continues"}

// ParseAssumption sets the named assumption on or off.
func (as *Assumptions) ParseAssumption(name string, on bool) error {
	switch name {
	case "seek-start":
		as.NoSeekStart = !on
	case "poll-continues":
		as.NoPollContinues = !on
	default:
		return fmt.Errorf("unknown assumption %q: use %s", clip(name), strings.Join(AssumptionNames, " or "))
	}
	return nil
}

// position is where a process's consumer stands on one key.
type position struct {
	place int   // the next place it reads
	why   int64 // the event that put it there
	seek  bool  // put there by a seek to the beginning (else by a poll)
}

// positionChecks holds every key's polls to their consumers' positions,
// in one pass over each process's operations; places are each key's
// places (a key that is not there is left alone: the static pass already
// failed it). It returns, per key, why its first poll that broke one did.
func (a *analysis) positionChecks(places map[int64][]int64, as Assumptions) map[int64]string {
	broken := map[int64]string{}
	if as.NoSeekStart && as.NoPollContinues {
		return broken
	}
	ids, procs := a.byProcess()
	pos := map[int64]position{} // a known position, by key
	for _, p := range ids {
		clear(pos)
		for _, c := range procs[p] {
			switch c.call.F {
			case FAssign, FSubscribe:
				clear(pos)
				// Only assign says where the consumer stands: subscribe
				// hands partitions over in rebalances, from committed
				// offsets the history does not show.
				if c.call.F == FAssign && c.typ == OK && (c.call.SeekToBeginning || c.op.SeekToBeginning) {
					for _, k := range c.call.Keys {
						pos[k] = position{place: 0, why: c.call.Index, seek: true}
					}
				}
			case FCrash:
				clear(pos)
			case FPoll, FTxn:
				pollAt(c, pos, places, as, broken)
			}
		}
	}
	return broken
}

// pollAt holds one operation's polls to pos, and moves pos.
func pollAt(c *completion, pos map[int64]position, places map[int64][]int64, as Assumptions, broken map[int64]string) {
	polls := false
	for _, m := range c.op.Mops {
		polls = polls || m.F == FPoll
	}
	if !polls {
		return
	}
	if c.typ != OK {
		clear(pos) // it may have read anything
		return
	}
	for _, k := range c.op.Rebalanced {
		delete(pos, k) // the consumer lost or gained the key mid-poll
	}
	for _, m := range c.op.Mops {
		for _, r := range m.Reads {
			offsets, ok := places[r.Key]
			if !ok || len(r.Records) == 0 || slices.Contains(c.op.Rebalanced, r.Key) {
				continue
			}
			lo, hi := r.Records[0].Offset, r.Records[0].Offset
			for _, rec := range r.Records {
				lo, hi = min(lo, rec.Offset), max(hi, rec.Offset)
			}
			first := placeOf(offsets, lo)
			if !as.NoPollContinues {
				if why := withinPoll(c, r, offsets); why != "" {
					if _, already := broken[r.Key]; !already {
						broken[r.Key] = why
					}
				}
			}
			if p, known := pos[r.Key]; known && first != p.place && (p.seek && !as.NoSeekStart || !p.seek && !as.NoPollContinues) {
				if _, already := broken[r.Key]; !already {
					broken[r.Key] = positionBroken(c, r.Key, p, first, offsets)
				}
			}
			pos[r.Key] = position{place: placeOf(offsets, hi) + 1, why: c.call.Index}
		}
	}
}

// withinPoll says how a poll's records of one key fail to follow one
// another in the log ("" when each is the record after the one before):
// a consumer reads on from where it stands, so a poll that skips a record
// the log holds, or reads one again, broke poll-continues inside itself
// (Jepsen's int-poll-skip and int-nonmonotonic-poll).
func withinPoll(c *completion, r KeyRead, offsets []int64) string {
	if len(r.Records) < 2 {
		return ""
	}
	prev := placeOf(offsets, r.Records[0].Offset)
	for i := 1; i < len(r.Records); i++ {
		if prev+1 < len(offsets) && offsets[prev+1] == r.Records[i].Offset {
			prev++ // the usual case, with no search
			continue
		}
		next := placeOf(offsets, r.Records[i].Offset)
		return fmt.Sprintf("process %d's poll (event %d) of key %s read offset %d then offset %d, %s (--assume poll-continues=false allows it)",
			c.call.Process, c.call.Index, KeyText(r.Key), r.Records[i-1].Offset, r.Records[i].Offset, moved(prev+1, next))
	}
	return ""
}

// positionBroken says how a poll left its consumer's position.
func positionBroken(c *completion, k int64, pos position, first int, offsets []int64) string {
	at := func(pl int) string {
		if pl < len(offsets) {
			return fmt.Sprintf("offset %d", offsets[pl])
		}
		return "the log's end"
	}
	from := fmt.Sprintf("after its poll (event %d)", pos.why)
	if pos.seek {
		from = fmt.Sprintf("the log's start, after it sought to the beginning (event %d)", pos.why)
	}
	return fmt.Sprintf("process %d's poll (event %d) of key %s started at %s, but its consumer stood at %s, %s: %s (--assume %s=false allows it)",
		c.call.Process, c.call.Index, KeyText(k), at(first), at(pos.place), from, moved(pos.place, first), map[bool]string{true: "seek-start", false: "poll-continues"}[pos.seek])
}

// moved says what a consumer standing at place stand did by reading place
// read next (another place).
func moved(stand, read int) string {
	if read < stand {
		return fmt.Sprintf("reading %s again", plural(stand-read, "record", "records"))
	}
	return fmt.Sprintf("skipping %s", plural(read-stand, "record", "records"))
}
