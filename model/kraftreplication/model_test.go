package kraftreplication

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// settings are constants of both variants the tests walk: the figure's,
// and ones that reach every action.
func settings() []struct {
	v Variant
	c Constants
} {
	k := DefaultConstants(KIP966)
	busy := Constants{BrokerCount: 3, InitReplicationFactor: 2, Values: "A,B", MinISR: 1, InitIsrSize: 1,
		NoDataLossShutdownLimit: 1, DataLossShutdownLimit: 1, FenceBrokerLimit: 2, LeaderShrinkIsrLimit: 1, ReassignmentLimit: 1}
	v35 := busy
	v35.NoDataLossShutdownLimit, v35.DataLossShutdownLimit, v35.CleanShutdownLimit, v35.UncleanShutdownLimit = 0, 0, 1, 1
	lrs := v35
	lrs.AvoidLastReplicaStanding = true
	return []struct {
		v Variant
		c Constants
	}{{KIP966, k}, {KIP966, busy}, {V35, DefaultConstants(V35)}, {V35, v35}, {V35, lrs}}
}

// walk takes random walks, checking at every step that Next is pure and
// deterministic, that a state decodes to itself, and that every action
// Actions lists formats to a text FindAction reads back.
func walk(t testing.TB, m *Model, seed uint64, walks, length int) []State {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	var out []State
	var acts []Action
	for range walks {
		s := m.Init()[0]
		for range length {
			out = append(out, s)
			enc := m.Encode(nil, &s)
			if back, err := m.Decode(enc); err != nil || back != s {
				t.Fatalf("seed %d, %s: Decode(Encode(s)) = %v\n%s", seed, m.v, err, m.Describe(&s))
			}
			acts = m.Actions(&s, acts[:0])
			if len(acts) == 0 {
				break
			}
			a := acts[r.IntN(len(acts))]
			if found, err := m.FindAction(&s, m.Format(a)); err != nil || m.Format(found) != m.Format(a) {
				t.Fatalf("seed %d, %s: FindAction(%q) = %v", seed, m.v, m.Format(a), err)
			}
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
	kinds := map[Kind]bool{}
	for i, st := range settings() {
		m, err := New(st.v, st.c)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range walk(t, m, uint64(i)+1, 300, 60) {
			if s.Fault != NoFault && s.Fault != FaultLogDomain {
				t.Errorf("%s %s: a walk reached a fault: %s\n%s", st.v, st.c.Text(st.v), s.Fault, m.Describe(&s))
			}
			for _, a := range m.Actions(&s, nil) {
				kinds[a.Kind] = true
			}
		}
	}
	for k := range numKinds {
		if !kinds[k] {
			t.Errorf("no walk enabled %s", (&Model{v: KIP966}).KindNames()[k])
		}
	}
}

// TestViewLeavesOutAuxiliaries checks that the view is the state's
// identity under the VIEW: the auxiliary variables and messages_discard do
// not change it, every other variable does, and Encode keeps them all.
func TestViewLeavesOutAuxiliaries(t *testing.T) {
	m, _ := New(KIP966, DefaultConstants(KIP966))
	s := m.Init()[0]
	u := s
	u.Ctrs.Fence, u.FLO[0], u.AuxBrokerEpoch = 1, 1, 9
	u.Discarded[0], u.NDiscarded = APRequest{ISR: 1, Leader: 0, BrokerEpoch: 1}, 1
	if !bytes.Equal(m.View(nil, &s), m.View(nil, &u)) {
		t.Error("the view depends on an auxiliary variable")
	}
	if bytes.Equal(m.Encode(nil, &s), m.Encode(nil, &u)) {
		t.Error("Encode leaves out an auxiliary variable")
	}
	w := s
	w.Data[1].HWM = 2
	if bytes.Equal(m.View(nil, &s), m.View(nil, &w)) {
		t.Error("the view leaves out partition_data")
	}
}

// TestViewIsInjective checks over random walks that two states with the
// same view are equal but for the variables the VIEW leaves out.
func TestViewIsInjective(t *testing.T) {
	for i, st := range settings() {
		m, _ := New(st.v, st.c)
		byView := map[string]State{}
		for _, s := range walk(t, m, uint64(i)+11, 200, 50) {
			key := string(m.View(nil, &s))
			prev, ok := byView[key]
			hide := func(x State) State {
				x.AuxBrokerEpoch, x.Ctrs, x.FLO, x.Discarded, x.NDiscarded = 0, Counters{}, [MaxBrokers]int8{}, [MaxDiscard]APRequest{}, 0
				return x
			}
			if ok && hide(prev) != hide(s) {
				t.Fatalf("%s: two states share a view\n%s\n%s", st.v, m.Describe(&prev), m.Describe(&s))
			}
			byView[key] = s
		}
	}
}

func TestInitialState(t *testing.T) {
	c := DefaultConstants(KIP966)
	c.BrokerCount, c.InitReplicationFactor, c.InitIsrSize, c.MinISR = 3, 3, 2, 2
	m, _ := New(KIP966, c)
	s := m.Init()[0]
	// Broker 3 is a replica outside the ISR: fenced, a stale partition
	// epoch, no metadata log; the partition epoch is 2.
	if s.Reg[2].Fenced != true || s.Unfenced != 0b011 || s.BrokerLog[2] != 0 || s.Meta[2].PartitionEpoch != 1 || s.Part.PartitionEpoch != 2 {
		t.Errorf("initial state:\n%s", m.Describe(&s))
	}
	if s.Role[0] != Leader || s.Role[1] != Follower || s.LESO[0] != 1 || !s.Fetchers[1][0].Added || s.Fetchers[0][1].Added {
		t.Errorf("initial roles:\n%s", m.Describe(&s))
	}
	for _, p := range m.Properties() {
		if err := p.Check(m, &s); err != nil {
			t.Errorf("%s fails in the initial state: %v", p.Name, err)
		}
	}
}

func TestDecodeRejectsMalformedBytes(t *testing.T) {
	m, _ := New(KIP966, DefaultConstants(KIP966))
	s := m.Init()[0]
	enc := m.Encode(nil, &s)
	for _, bad := range [][]byte{enc[:len(enc)-1], append(bytes.Clone(enc), 0), {99}, nil} {
		if _, err := m.Decode(bad); err == nil {
			t.Errorf("Decode(%x) succeeded", bad)
		}
	}
}

func FuzzDecode(f *testing.F) {
	m, _ := New(KIP966, settings()[1].c)
	for _, s := range walk(f, m, 9, 5, 30) {
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
	if _, err := ParseVariant("kip320"); err == nil {
		t.Error("an unknown variant parsed")
	}
}

func TestConstantsOutsideTheAssumptions(t *testing.T) {
	ok := DefaultConstants(KIP966)
	for _, tc := range []struct {
		v   Variant
		mod func(c *Constants)
	}{
		{KIP966, func(c *Constants) { c.InitIsrSize = 1 }},           // InitIsrSize < MinISR
		{KIP966, func(c *Constants) { c.MinISR = 3 }},                // MinISR > InitReplicationFactor
		{KIP966, func(c *Constants) { c.InitReplicationFactor = 3 }}, // > BrokerCount
		{KIP966, func(c *Constants) { c.BrokerCount = 5 }},
		{KIP966, func(c *Constants) { c.Values = "" }},
		{KIP966, func(c *Constants) { c.Values = "A,A" }},
		{KIP966, func(c *Constants) { c.Values = "A,1" }},
		{KIP966, func(c *Constants) { c.FenceBrokerLimit = -1 }},
		{KIP966, func(c *Constants) { c.ReassignmentLimit = MaxLimit + 1 }},
		{KIP966, func(c *Constants) { c.UncleanShutdownLimit = 1 }},
		{KIP966, func(c *Constants) { c.AvoidLastReplicaStanding = true }},
		{V35, func(c *Constants) { c.DataLossShutdownLimit = 1 }},
	} {
		c := ok
		tc.mod(&c)
		if _, err := New(tc.v, c); err == nil {
			t.Errorf("%s: constants %+v accepted", tc.v, c)
		}
	}
	if _, err := New(KIP966, ok); err != nil {
		t.Error(err)
	}
}
