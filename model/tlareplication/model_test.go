package tlareplication

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// consistent checks what holds of every state of the specification by
// construction: logs are Nil past their end, requests exist for exactly the
// epochs handed out, sequences within their bounds.
func (m *Model) consistent(s *State) string {
	for r := range MaxReplicas {
		l := &s.ReplicaLog[r]
		if int(l.EndOffset) > m.c.LogSize {
			return "a log beyond LogSize"
		}
		for o := l.EndOffset; o < MaxLogSize; o++ {
			if l.Records[o] != (Record{}) {
				return "a record past a log's end"
			}
		}
		if Replica(r) >= m.n && (s.ReplicaState[r] != ReplicaState{} || *l != Log{}) {
			return "state for a replica beyond Replicas"
		}
	}
	if int(s.NextLeaderEpoch) > m.c.MaxLeaderEpoch+1 || int(s.NextRecordID) > m.c.MaxRecords {
		return "a sequence beyond its bound"
	}
	for e := s.NextLeaderEpoch; e <= MaxLeaderEpoch; e++ {
		if s.Requests[e] != (QuorumState{}) {
			return "a request for an epoch not handed out"
		}
	}
	if s.NextLeaderEpoch > 0 && s.QuorumState.LeaderEpoch != s.NextLeaderEpoch-1 {
		return "the quorum's epoch is not the newest"
	}
	return ""
}

func walk(t testing.TB, m *Model, seed uint64, walks, length int) []State {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 3))
	var out []State
	var acts []Action
	for range walks {
		s := m.Init()[0]
		for range length {
			if why := m.consistent(&s); why != "" {
				t.Fatalf("seed %d, %s: %s\n%s", seed, m.v, why, m.Describe(&s))
			}
			out = append(out, s)
			enc := m.Encode(nil, &s)
			if back, err := m.Decode(enc); err != nil || back != s {
				t.Fatalf("seed %d, %s: Decode(Encode(s)) = %v", seed, m.v, err)
			}
			acts = m.Actions(&s, acts[:0])
			if len(acts) == 0 {
				break
			}
			a := acts[r.IntN(len(acts))]
			before := s
			next := m.Next(&s, a)
			if s != before || m.Next(&s, a) != next {
				t.Fatalf("seed %d, %s: Next(%s) changed its input or is not deterministic", seed, m.v, m.Format(a))
			}
			s = next
		}
	}
	return out
}

func TestRandomWalks(t *testing.T) {
	for v := HWTruncation; v < numVariants; v++ {
		for _, c := range []Constants{DefaultConstants(), {Replicas: 4, LogSize: 3, MaxRecords: 4, MaxLeaderEpoch: 4}, {Replicas: 1, LogSize: 1, MaxRecords: 0, MaxLeaderEpoch: 0}} {
			m, err := New(v, c)
			if err != nil {
				t.Fatal(err)
			}
			states := walk(t, m, uint64(v)+1, 200, 40)
			byEnc := map[string]State{}
			for _, s := range states {
				enc := string(m.Encode(nil, &s))
				if prev, ok := byEnc[enc]; ok && prev != s {
					t.Fatalf("%s %v: two states share an encoding", v, c)
				}
				byEnc[enc] = s
			}
		}
	}
}

func TestInitialState(t *testing.T) {
	m, _ := New(Kip320, DefaultConstants())
	s := m.Init()[0]
	// Init: quorumState = [leaderEpoch |-> Nil, leader |-> None, isr |-> Replicas].
	if q := s.QuorumState; q.LeaderEpoch != Nil || q.Leader != None || q.ISR != 7 {
		t.Errorf("quorum %+v", q)
	}
	// So LeaderInIsr is false in the initial state: NONE is not a replica.
	if err := leaderInIsr(m, &s); err == nil {
		t.Error("LeaderInIsr holds in the initial state; the specification says otherwise")
	}
	// The only enabled actions are the controller's.
	for _, a := range m.Actions(&s, nil) {
		if a.Kind != ElectLeader && a.Kind != ControllerShrink {
			t.Errorf("unexpected initial action %s", m.Format(a))
		}
	}
}

func TestDecodeRejectsMalformedBytes(t *testing.T) {
	m, _ := New(Kip320, DefaultConstants())
	s := m.Init()[0]
	enc := m.Encode(nil, &s)
	for _, bad := range [][]byte{enc[:len(enc)-1], append(bytes.Clone(enc), 0), {99}} {
		if _, err := m.Decode(bad); err == nil {
			t.Errorf("Decode(%x) succeeded", bad)
		}
	}
}

func FuzzDecode(f *testing.F) {
	m, _ := New(Kip320FirstTry, DefaultConstants())
	for _, s := range walk(f, m, 9, 5, 20) {
		f.Add(m.Encode(nil, &s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := m.Decode(b)
		if err == nil && !bytes.Equal(m.Encode(nil, &s), b) {
			t.Fatalf("Encode(Decode(%x)) differs", b)
		}
	})
}

func TestParseVariant(t *testing.T) {
	for i, name := range Variants() {
		if v, err := ParseVariant(name); err != nil || v != Variant(i) {
			t.Errorf("ParseVariant(%s) = %v, %v", name, v, err)
		}
	}
	if _, err := ParseVariant("kip999"); err == nil {
		t.Error("an unknown variant parsed")
	}
	for _, c := range []Constants{{0, 2, 2, 2}, {6, 2, 2, 2}, {3, 0, 2, 2}, {3, 9, 2, 2}, {3, 2, -1, 2}, {3, 2, 17, 2}, {3, 2, 2, -1}, {3, 2, 2, 15}} {
		if _, err := New(Kip320, c); err == nil {
			t.Errorf("constants %+v accepted", c)
		}
	}
}

func TestParseActionRoundTrips(t *testing.T) {
	for v := HWTruncation; v < numVariants; v++ {
		m, _ := New(v, DefaultConstants())
		for _, s := range walk(t, m, 21, 100, 30) {
			for _, a := range m.Actions(&s, nil) {
				got, err := m.ParseAction(m.Format(a))
				if err != nil || got != a {
					t.Fatalf("%s: ParseAction(%q) = %+v, %v; want %+v", v, m.Format(a), got, err, a)
				}
			}
		}
		for _, bad := range []string{"", "LeaderWrite", "LeaderWrite(replica = r9)", "Nope(replica = r1)", "LeaderWrite(replica = r1, disjunct 7)", "BecomeLeader(request epoch x)"} {
			if _, err := m.ParseAction(bad); err == nil {
				t.Errorf("%s: ParseAction(%q) succeeded", v, bad)
			}
		}
	}
}

func FuzzParseAction(f *testing.F) {
	m, _ := New(Kip320, DefaultConstants())
	for _, s := range []string{"FencedFollowerFetch(follower = r2, leader = r1)", "BecomeLeader(request epoch 2)", "FencedLeaderShrinkIsr(leader = r1, replica = r2, disjunct 2)", "x("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := m.ParseAction(s)
		if err == nil && m.Format(a) != s {
			t.Fatalf("ParseAction(%q) accepted text that is not its action's", s)
		}
	})
}
