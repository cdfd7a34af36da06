package model

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// walkConfigs cover every truncation generation, both controllers, eligible
// leader replicas and every kind of fault.
func walkConfigs() map[string]Config {
	out := map[string]Config{}
	base := DefaultConfig()
	base.Bounds = Bounds{Records: 4, Crashes: 2, PowerLosses: 1, DiskLosses: 1, CleanShutdowns: 1, Pauses: 1, MaxLeaderEpoch: 4}
	with := func(c Config, kv ...string) Config {
		for i := 0; i < len(kv); i += 2 {
			if err := c.Set(kv[i], kv[i+1]); err != nil {
				panic(err)
			}
		}
		return c
	}
	out["4.4 all faults"] = base
	out["4.4 without ELR"] = with(base, "eligible.leader.replicas.version", "0")
	out["4.0 ELR, fenced last leader"] = with(base, "electcheck.kafka.version", "4.0", "eligible.leader.replicas.version", "1")
	out["3.4 KRaft, epoch bump on shrink"] = with(base, "electcheck.kafka.version", "3.4", "flush.messages", "1")
	out["2.7 ZooKeeper, AlterIsr"] = with(base, "electcheck.kafka.version", "2.7")
	out["2.0 iterated lookup"] = with(base, "electcheck.kafka.version", "2.0")
	out["0.11 one lookup"] = with(base, "electcheck.kafka.version", "0.11", "acks", "1")
	out["0.10 unclean"] = with(base, "electcheck.kafka.version", "0.10")
	out["0.10 clean, halting"] = with(base, "electcheck.kafka.version", "0.10", "unclean.leader.election.enable", "false")
	out["RF 5 acks=1"] = with(base, "acks", "1", "replication.factor", "5", "min.insync.replicas", "3")
	out["RF 1 acks=0"] = with(base, "replication.factor", "1", "min.insync.replicas", "1", "acks", "0")
	// Apart from the others: a correlated power loss has one action per
	// combination of what the disks kept, so a walk that may take one
	// mostly does, early.
	out["4.4 correlated power loss"] = with(base, "electcheck.correlated.power.losses", "1", "electcheck.crashes", "1")
	out["3.9 correlated power loss"] = with(base, "electcheck.kafka.version", "3.9", "electcheck.correlated.power.losses", "2", "electcheck.power.losses", "0")
	return out
}

// randomWalks returns states reached by seeded random walks, and checks on
// every step what must hold of Next, Step, Encode, Decode and ParseAction.
func randomWalks(t testing.TB, m *Model, seed uint64, walks, length int) []State {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	var out []State
	var acts []Action
	for w := range walks {
		s := m.Init()[0]
		for step := range length {
			if err := m.CheckState(&s); err != nil {
				t.Fatalf("seed %d walk %d step %d: %v\n%s", seed, w, step, err, m.Describe(&s))
			}
			out = append(out, s)
			enc := m.Encode(nil, &s)
			back, err := m.Decode(enc)
			if err != nil || back != s {
				t.Fatalf("seed %d walk %d step %d: Decode(Encode(s)) = %v, %v", seed, w, step, err, back == s)
			}
			acts = m.Actions(&s, acts[:0])
			if len(acts) == 0 {
				break
			}
			a := acts[r.IntN(len(acts))]
			if p, err := ParseAction(a.String()); err != nil || p != a {
				t.Fatalf("seed %d: ParseAction(%q) = %v, %v", seed, a, p, err)
			}
			before := s
			next := m.Next(&s, a)
			if s != before {
				t.Fatalf("seed %d: Next(%s) changed its input", seed, a)
			}
			if again := m.Next(&s, a); again != next {
				t.Fatalf("seed %d: Next(%s) is not deterministic", seed, a)
			}
			if stepped, err := m.Step(&s, a); err != nil || stepped != next {
				t.Fatalf("seed %d: Step(%s) = %v, differs from Next", seed, a, err)
			}
			s = next
		}
	}
	return out
}

func TestRandomWalksKeepStateConsistent(t *testing.T) {
	for name, cfg := range walkConfigs() {
		t.Run(name, func(t *testing.T) {
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			randomWalks(t, m, 1, 300, 60)
		})
	}
}

// The fingerprint of the canonical encoding must agree with deep equality:
// equal states encode equally (Encode is a function) and different states
// differently (no two distinct reachable states share an encoding).
func TestEncodingAgreesWithEquality(t *testing.T) {
	for name, cfg := range walkConfigs() {
		t.Run(name, func(t *testing.T) {
			m, _ := New(cfg)
			states := randomWalks(t, m, 2, 400, 50)
			byEnc := map[string]State{}
			for _, s := range states {
				enc := string(m.Encode(nil, &s))
				if prev, ok := byEnc[enc]; ok && prev != s {
					t.Fatalf("two different states share the encoding %x:\n%s\n%s", enc, m.Describe(&prev), m.Describe(&s))
				}
				byEnc[enc] = s
			}
			byState := map[State]string{}
			for _, s := range states {
				enc := string(m.Encode(nil, &s))
				if prev, ok := byState[s]; ok && prev != enc {
					t.Fatalf("one state has two encodings")
				}
				byState[s] = enc
			}
			if len(byEnc) != len(byState) || len(byEnc) < 500 {
				t.Errorf("%d encodings for %d states (want equal, and at least 500 states)", len(byEnc), len(byState))
			}
		})
	}
}

func TestDescribeIsCanonical(t *testing.T) {
	m, _ := New(walkConfigs()["4.4 all faults"])
	states := randomWalks(t, m, 3, 200, 50)
	byText := map[string]State{}
	for _, s := range states {
		text := m.Describe(&s)
		if prev, ok := byText[text]; ok && prev != s {
			t.Fatalf("two different states describe alike:\n%s", text)
		}
		byText[text] = s
	}
}

func TestDecodeRejectsMalformedBytes(t *testing.T) {
	m, _ := New(DefaultConfig())
	s := m.Init()[0]
	enc := m.Encode(nil, &s)
	if _, err := m.Decode(enc[:len(enc)-1]); err == nil {
		t.Error("a truncated encoding decoded")
	}
	if _, err := m.Decode(append(bytes.Clone(enc), 0)); err == nil {
		t.Error("an encoding with a trailing byte decoded")
	}
	bad := bytes.Clone(enc)
	bad[0] = 99 // no such status
	if _, err := m.Decode(bad); err == nil {
		t.Error("an out-of-range status decoded")
	}
}

func FuzzDecode(f *testing.F) {
	m, _ := New(walkConfigs()["4.4 all faults"])
	for _, s := range randomWalks(f, m, 4, 5, 30) {
		f.Add(m.Encode(nil, &s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := m.Decode(b)
		if err != nil {
			return
		}
		if got := m.Encode(nil, &s); !bytes.Equal(got, b) {
			t.Fatalf("Encode(Decode(%x)) = %x", b, got)
		}
	})
}

func FuzzParseAction(f *testing.F) {
	for _, s := range []string{"produce 1", "shrink-isr 1 3", "detect 2 elect none", "clean-shutdown 1 elect 2", "elect 3", "fetch", "crash 9", "power-loss-all keep 1:2 3:0", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAction(s)
		if err != nil {
			return
		}
		b, err := ParseAction(a.String())
		if err != nil || b != a {
			t.Fatalf("ParseAction(%q) = %v; its text %q parses as %v, %v", s, a, a.String(), b, err)
		}
	})
}

func TestParseActionErrors(t *testing.T) {
	for _, s := range []string{"", "jump 1", "produce", "produce 0", "produce 6", "shrink-isr 1", "detect 1 choose 2", "fetch x"} {
		if _, err := ParseAction(s); err == nil {
			t.Errorf("ParseAction(%q) succeeded", s)
		}
	}
}

func TestStepExplainsDisabledActions(t *testing.T) {
	m, _ := New(DefaultConfig())
	s := m.Init()[0]
	for text, want := range map[string]string{
		"fetch 1":        "no other leader",
		"restart 1":      "not down",
		"detect 2":       "running",
		"shrink-isr 2 1": "only a running leader",
		"produce 4":      "brokers 1 to 3",
	} {
		a, err := ParseAction(text)
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.Step(&s, a)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Step(%s) = %v, want an error mentioning %q", text, err, want)
		}
	}
}

func TestVersions(t *testing.T) {
	for _, v := range Versions {
		for _, s := range []string{v.String(), v.String() + ".0", " " + v.String() + " "} {
			got, err := ParseVersion(s)
			if err != nil || got.Line() != v || got.String() != strings.TrimSpace(s) {
				t.Errorf("ParseVersion(%q) = %v, %v", s, got, err)
			}
		}
	}
	if n := len(PatchReleases()); n < 2*len(Versions) {
		t.Errorf("%d patch releases for %d lines", n, len(Versions))
	}
	for _, r := range PatchReleases() {
		if got, err := ParseVersion(r.String()); err != nil || got != r {
			t.Errorf("shipped release %s does not parse back: %v, %v", r, got, err)
		}
	}
	for _, s := range []string{"", "0.9", "0.10.2.1.5", "1.2.3.4", "5.0", "2", "two.one", "2.-1", "+2.1", "2.x"} {
		if _, err := ParseVersion(s); err == nil {
			t.Errorf("ParseVersion(%q) succeeded", s)
		}
	}
	// A patch release is its line, named as given; one Kafka never
	// shipped is refused with its line's releases.
	for in, want := range map[string]Version{"0.10.2.1": {0, 10, "2.1"}, "0.10.2": {0, 10, "2"}, "2.0.1": {2, 0, "1"}, "2.1.0": {2, 1, "0"}, "3.9": {3, 9, ""}} {
		if v, err := ParseVersion(in); err != nil || v != want || v.String() != in || v.Line() != (Version{Major: want.Major, Minor: want.Minor}) {
			t.Errorf("ParseVersion(%s) = %v, %v", in, v, err)
		}
	}
	for _, s := range []string{"2.0.2", "1.1.2", "0.10.3.0", "4.4.1", "2.0.1.1"} {
		if _, err := ParseVersion(s); err == nil || (s == "2.0.2" && !strings.Contains(err.Error(), "there is no Kafka 2.0.2: the 2.0 line's releases are 2.0.0, 2.0.1")) {
			t.Errorf("ParseVersion(%q): %v", s, err)
		}
	}
	// The ladder: each feature from its release on, KRaft-only ones only
	// with KRaft, ELR on by default from 4.1.
	for _, fi := range FeatureTable {
		for _, v := range Versions {
			for _, c := range []ControllerMode{ZooKeeper, KRaft} {
				if !v.Supports(c) {
					continue
				}
				got := ReleaseFeatures(v, c, v.ELRDefault()).Has(fi.Feature)
				want := !v.Less(fi.Since) && (!fi.KRaftOnly || c == KRaft)
				if fi.Feature == EligibleLeaderReplicas {
					want = want && v.ELRDefault()
				}
				if got != want {
					t.Errorf("%s on %s with %s: %v, want %v", fi.Name, v, c, got, want)
				}
			}
		}
	}
	if !(Version{0, 10, ""}).DefaultUncleanLeaderElection() || (Version{0, 11, ""}).DefaultUncleanLeaderElection() {
		t.Error("unclean.leader.election.enable defaults to true up to 0.10 only")
	}
}

func TestConfigSetAndGet(t *testing.T) {
	for _, s := range Settings {
		c := DefaultConfig()
		v := c.Get(s.Key)
		if _, isSwitch := s.Feature(); isSwitch {
			// A feature switch is unset by default (the release decides),
			// and reads back what it was set to.
			if v != "" {
				t.Errorf("%s is %q by default, want unset", s.Key, v)
			}
			v = "off"
		} else if v == "" {
			if s.Key != "flush.messages" {
				t.Errorf("%s has no value by default", s.Key)
			}
			continue
		}
		if err := c.Set(s.Key, v); err != nil {
			t.Errorf("Set(%s, %q) from Get: %v", s.Key, v, err)
		}
		if got := c.Get(s.Key); got != v {
			t.Errorf("%s: Get after Set = %q, want %q", s.Key, got, v)
		}
	}
	c := DefaultConfig()
	for key, value := range map[string]string{
		"replication.factor":             "three",
		"acks":                           "2",
		"unclean.leader.election.enable": "yes",
		"electcheck.kafka.version":       "0.9",
		"flush.messages":                 "0",
		"log.dirs":                       "/tmp",
	} {
		if err := c.Set(key, value); err == nil {
			t.Errorf("Set(%s, %q) succeeded", key, value)
		}
	}
}

func TestUncleanDefaultFollowsVersionUnlessSet(t *testing.T) {
	c := DefaultConfig()
	if err := c.Set("electcheck.kafka.version", "0.10"); err != nil || !c.UncleanLeaderElection {
		t.Errorf("0.10 should default to unclean election: %v %v", err, c.UncleanLeaderElection)
	}
	c = DefaultConfig()
	_ = c.Set("unclean.leader.election.enable", "false")
	_ = c.Set("electcheck.kafka.version", "0.10")
	if c.UncleanLeaderElection {
		t.Error("an explicit unclean.leader.election.enable=false was overridden by the version default")
	}
}

func TestValidate(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"RF 0":                 func(c *Config) { c.ReplicationFactor = 0 },
		"RF 6":                 func(c *Config) { c.ReplicationFactor = 6 },
		"min ISR 0":            func(c *Config) { c.MinInsyncReplicas = 0 },
		"min ISR above 5":      func(c *Config) { c.MinInsyncReplicas = 6 },
		"negative records":     func(c *Config) { c.Bounds.Records = -1 },
		"too many records":     func(c *Config) { c.Bounds.Records = MaxRecords + 1 },
		"negative crashes":     func(c *Config) { c.Bounds.Crashes = -1 },
		"epoch bound too high": func(c *Config) { c.Bounds.MaxLeaderEpoch = MaxEpoch + 1 },
		"leader not a replica": func(c *Config) { c.InitialLeader = 4 },
	} {
		c := DefaultConfig()
		mutate(&c)
		if _, err := New(c); err == nil {
			t.Errorf("%s: New accepted the configuration", name)
		}
	}
	if _, err := New(DefaultConfig()); err != nil {
		t.Errorf("the default configuration is invalid: %v", err)
	}
}

// Actions skips, by broker status and role, the kinds that cannot be
// enabled, then confirms each with check. It must list exactly the actions
// check enables. (The order may differ from allActions'; both are fixed.)
func TestActionsMatchCheck(t *testing.T) {
	for name, cfg := range walkConfigs() {
		for _, rebalance := range []bool{false, true} {
			cfg.AutoLeaderRebalance = rebalance
			cfg.UncleanLeaderElection = rebalance // vary it too
			m, _ := New(cfg)
			for _, s := range randomWalks(t, m, 17, 150, 40) {
				got := map[Action]bool{}
				for _, a := range m.Actions(&s, nil) {
					if got[a] {
						t.Fatalf("%s: %s listed twice", name, a)
					}
					got[a] = true
				}
				for _, a := range m.allActions(nil) {
					if want := m.check(&s, a) == ""; want != got[a] {
						t.Fatalf("%s: %s enabled by check: %v, listed by Actions: %v\n%s", name, a, want, got[a], m.Describe(&s))
					}
				}
			}
		}
	}
}

// 2.0.1 shipped three of 2.1's fixes (KAFKA-7164, KAFKA-7128, KAFKA-7415)
// but not KIP-320; 2.0 and 2.0.0 have none of them, 2.1 all four.
func TestPatchReleaseFeatures(t *testing.T) {
	backported := []Feature{EpochChangeTruncation, ISRJoinEpochStart, EpochCachedOnElection}
	for _, c := range []struct {
		v      string
		has    []Feature
		hasnt  []Feature
		whatIf bool
	}{
		{"2.0", nil, append(backported, FencedFetch), false},
		{"2.0.0", nil, append(backported, FencedFetch), false},
		{"2.0.1", backported, []Feature{FencedFetch}, false},
		{"2.1", append(backported, FencedFetch), nil, false},
		{"2.1.1", append(backported, FencedFetch), nil, false},
	} {
		v, err := ParseVersion(c.v)
		if err != nil {
			t.Fatal(err)
		}
		fs := ReleaseFeatures(v, ZooKeeper, false)
		for _, f := range c.has {
			if !fs.Has(f) {
				t.Errorf("%s lacks %s", c.v, f)
			}
		}
		for _, f := range c.hasnt {
			if fs.Has(f) {
				t.Errorf("%s has %s", c.v, f)
			}
		}
	}
	if rs := Releases(ReleaseFeatures(Version{2, 0, "1"}, ZooKeeper, false), ZooKeeper); len(rs) != 1 || rs[0].String() != "2.0.1" {
		t.Errorf("the rules of 2.0.1 are named %v, want 2.0.1's", rs)
	}
}

// Kafka's shipped config/server.properties is ZooKeeper mode up to 3.9
// and KRaft from 4.0; KIP-841's eligibility check holds for both
// controllers from 3.3 (KAFKA-13916, KAFKA-14140).
func TestControllersAsShipped(t *testing.T) {
	for _, c := range []struct {
		v    Version
		want ControllerMode
	}{{Version{2, 8, ""}, ZooKeeper}, {Version{3, 3, ""}, ZooKeeper}, {Version{3, 9, "2"}, ZooKeeper}, {Version{4, 0, ""}, KRaft}, {Latest, KRaft}} {
		if got := c.v.DefaultController(); got != c.want {
			t.Errorf("%s defaults to %s, want %s", c.v, got, c.want)
		}
	}
	for _, ctrl := range []ControllerMode{ZooKeeper, KRaft} {
		if !ReleaseFeatures(Version{3, 3, ""}, ctrl, false).Has(FencedReplicasBarred) || ReleaseFeatures(Version{3, 2, ""}, ctrl, false).Has(FencedReplicasBarred) {
			t.Errorf("KIP-841 with %s: want it from 3.3", ctrl)
		}
	}
	cfg := DefaultConfig()
	if err := cfg.Set("electcheck.kafka.version", "3.9"); err != nil || cfg.Controller != ZooKeeper {
		t.Errorf("the recommended setup on 3.9: controller %s, %v", cfg.Controller, err)
	}
}
