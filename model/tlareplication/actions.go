package tlareplication

import (
	"fmt"
	"strings"
)

// Kind is a class of actions; its TLA+ name depends on the variant.
type Kind uint8

const (
	ElectLeader      Kind = iota // ControllerElectLeader
	ControllerShrink             // ControllerShrinkIsr
	BecomeLeader                 // BecomeLeader
	Write                        // LeaderWrite
	ExpandIsr                    // LeaderExpandIsr and its fenced versions
	ShrinkIsr                    // LeaderShrinkIsr and its fenced versions
	IncHighWatermark             // LeaderIncHighWatermark and its fenced versions
	Fetch                        // FollowerReplicate, FollowerFetch, FencedFollowerFetch
	BecomeFollower               // the variant's become-follower action
	Truncate                     // FollowerTruncate (Kip320FirstTry only)
	numKinds
)

// KindNames are the TLA+ action names of the variant's Next, indexed by
// Kind; a kind the variant lacks is named "-".
func (m *Model) KindNames() []string {
	names := []string{"ControllerElectLeader", "ControllerShrinkIsr", "BecomeLeader", "LeaderWrite"}
	switch m.v {
	case HWTruncation, Kip101, Kip279:
		follower := map[Variant]string{HWTruncation: "BecomeFollowerTruncateToHighWatermark",
			Kip101: "BecomeFollowerTruncateKip101", Kip279: "BecomeFollowerTruncateKip279"}[m.v]
		names = append(names, "LeaderExpandIsr", "LeaderShrinkIsr", "LeaderIncHighWatermark", "FollowerReplicate", follower, "-")
	case Kip320FirstTry:
		names = append(names, "LeaderExpandIsrBetterFencing", "LeaderShrinkIsrBetterFencing", "ImprovedLeaderIncHighWatermark",
			"FollowerFetch", "BecomeFollower", "FollowerTruncate")
	case Kip320:
		names = append(names, "FencedLeaderExpandIsr", "FencedLeaderShrinkIsr", "FencedLeaderIncHighWatermark",
			"FencedFollowerFetch", "FencedBecomeFollowerAndTruncate", "-")
	}
	return names
}

// Action is one binding of one disjunct of Next: the unit TLC counts a
// generated state for. A and B are replicas (their roles depend on the
// kind), Req the leader epoch of a LeaderAndIsr request, Alt the disjunct
// taken where an action's disjuncts can hold together.
type Action struct {
	Kind Kind
	A, B Replica
	Req  int8
	Alt  uint8
}

// Format prints the action with its TLA+ name and bindings.
func (m *Model) Format(a Action) string {
	name := m.KindNames()[a.Kind]
	var args []string
	switch a.Kind {
	case ElectLeader:
		args = append(args, "newLeader = "+ReplicaName(a.A))
	case ControllerShrink, Write:
		args = append(args, "replica = "+ReplicaName(a.A))
	case BecomeLeader:
		args = append(args, fmt.Sprintf("request epoch %d", a.Req))
	case ExpandIsr, ShrinkIsr:
		args = append(args, "leader = "+ReplicaName(a.A), "replica = "+ReplicaName(a.B))
	case IncHighWatermark:
		args = append(args, "leader = "+ReplicaName(a.A))
	case Fetch:
		args = append(args, "follower = "+ReplicaName(a.A), "leader = "+ReplicaName(a.B))
	case BecomeFollower:
		args = append(args, "leader = "+ReplicaName(a.A), "replica = "+ReplicaName(a.B), fmt.Sprintf("request epoch %d", a.Req))
	case Truncate:
		args = append(args, "leader = "+ReplicaName(a.A), "follower = "+ReplicaName(a.B))
	}
	if a.Alt > 0 {
		args = append(args, fmt.Sprintf("disjunct %d", a.Alt+1))
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}

// Kind of an action, for coverage.
func KindOf(a Action) int { return int(a.Kind) }

// ParseAction reads the text Format writes, for this model's variant:
// "FencedFollowerFetch(follower = r2, leader = r1)",
// "BecomeLeader(request epoch 2)", "...(..., disjunct 2)".
func (m *Model) ParseAction(text string) (Action, error) {
	bad := func(why string) (Action, error) {
		return Action{}, fmt.Errorf("malformed %s action %q: %s", m.v.Module(), text, why)
	}
	open := strings.IndexByte(text, '(')
	if open < 0 || !strings.HasSuffix(text, ")") {
		return bad("write Name(arguments), as in FencedFollowerFetch(follower = r2, leader = r1)")
	}
	name := text[:open]
	var a Action
	found := false
	for k, n := range m.KindNames() {
		if n == name && n != "-" {
			a.Kind, found = Kind(k), true
		}
	}
	if !found {
		return bad("no such action in " + m.v.Module())
	}
	replica := func(s string) (Replica, bool) {
		var n int
		if _, err := fmt.Sscanf(s, "r%d", &n); err != nil || n < 1 || n > int(m.n) || fmt.Sprintf("r%d", n) != s {
			return 0, false
		}
		return Replica(n - 1), true
	}
	args := strings.TrimSuffix(text[open+1:], ")")
	if args != "" {
		for _, arg := range strings.Split(args, ", ") {
			var n int
			if _, err := fmt.Sscanf(arg, "request epoch %d", &n); err == nil {
				if n < 0 || n > MaxLeaderEpoch {
					return bad("epoch out of range")
				}
				a.Req = int8(n)
				continue
			}
			if _, err := fmt.Sscanf(arg, "disjunct %d", &n); err == nil {
				if n < 2 || n > 2 {
					return bad("disjunct out of range")
				}
				a.Alt = uint8(n - 1)
				continue
			}
			key, val, ok := strings.Cut(arg, " = ")
			r, okR := replica(val)
			if !ok || !okR {
				return bad(fmt.Sprintf("cannot read argument %q", arg))
			}
			switch key {
			case "newLeader", "follower":
				if a.Kind == Truncate {
					a.B = r
				} else {
					a.A = r
				}
			case "replica":
				if a.Kind == ExpandIsr || a.Kind == ShrinkIsr || a.Kind == BecomeFollower {
					a.B = r
				} else {
					a.A = r
				}
			case "leader":
				if a.Kind == Fetch {
					a.B = r
				} else {
					a.A = r
				}
			default:
				return bad(fmt.Sprintf("unknown argument %q", key))
			}
		}
	}
	if m.Format(a) != text {
		return bad("its arguments do not fit the action")
	}
	return a, nil
}
