package model

// Parts of a state, for a property to declare what it reads: a random walk
// need not check a property again on a state whose parts it reads are
// those of the previous state, on which it held (explore's Invariant.Reads).
type Parts uint64

const (
	// PartController is the controller's state (State.Ctrl).
	PartController Parts = 1 << iota
	// PartGhost is what clients were told and saw (State.Ghost).
	PartGhost
	// PartUsed is the fault budget spent (State.Used).
	PartUsed
	// PartStatus is each broker's Status.
	PartStatus
	// PartRoles is each broker's view of the partition: Leader, Epoch, ISR.
	PartRoles
	// PartHW is each broker's high watermark.
	PartHW
	// PartLogs is each broker's log: LEO and Log.
	PartLogs
	// PartReplication is each broker's replication bookkeeping: Flushed,
	// Remote, Fetched, Proposed, Truncating.
	PartReplication
)

// AllParts is every part: a property that declares it is checked on every
// state.
const AllParts = PartController | PartGhost | PartUsed | PartStatus | PartRoles | PartHW | PartLogs | PartReplication

// Changed returns the parts in which a and b differ. Every field of State
// is in exactly one part (TestChangedCoversState), so Changed(a, b) == 0
// if and only if a == b.
func Changed(a, b *State) Parts {
	var p Parts
	if a.Ctrl != b.Ctrl {
		p |= PartController
	}
	if a.Ghost != b.Ghost {
		p |= PartGhost
	}
	if a.Used != b.Used {
		p |= PartUsed
	}
	for i := range a.Brokers {
		x, y := &a.Brokers[i], &b.Brokers[i]
		if *x == *y {
			continue
		}
		if x.Status != y.Status {
			p |= PartStatus
		}
		if x.Leader != y.Leader || x.Epoch != y.Epoch || x.ISR != y.ISR {
			p |= PartRoles
		}
		if x.HW != y.HW {
			p |= PartHW
		}
		if x.LEO != y.LEO || x.Log != y.Log {
			p |= PartLogs
		}
		if x.Flushed != y.Flushed || x.Remote != y.Remote || x.Fetched != y.Fetched || x.Proposed != y.Proposed || x.Truncating != y.Truncating {
			p |= PartReplication
		}
	}
	return p
}
