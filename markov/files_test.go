package markov

import (
	"bytes"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of the PRISM and DRN writers")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the writer produces now:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// exportTwoReplicas is the two-replica chain of closed form (1) with an
// extra healed/lost split, as risk exports it: labels init, lost, healed,
// the time reward, and the number of replicas up as the state's variable.
func exportTwoReplicas(t testing.TB) *Chain {
	sp := &spec{names: LabelNames{"init", "lost", "healed"}}
	sp.add(1, Edge{1, 0.002})
	sp.add(0, Edge{0, 0.1}, Edge{2, 0.001})
	sp.add(2)
	return sp.build(t)
}

func TestWritersGolden(t *testing.T) {
	c := exportTwoReplicas(t)
	var tra, lab, sta, srew, drn bytes.Buffer
	if err := WriteTra(&tra, c); err != nil {
		t.Fatal(err)
	}
	if err := WriteLab(&lab, c); err != nil {
		t.Fatal(err)
	}
	up := []int{2, 1, 0}
	if err := WriteSta(&sta, c.N(), []string{"up"}, func(s uint32) []int { return []int{up[s]} }); err != nil {
		t.Fatal(err)
	}
	notLost := func(s uint32) float64 {
		if c.Labels(s).Has(2) {
			return 0
		}
		return 1
	}
	if err := WriteSrew(&srew, c.N(), notLost); err != nil {
		t.Fatal(err)
	}
	if err := WriteDRN(&drn, c, []RewardModel{{"time", notLost}}); err != nil {
		t.Fatal(err)
	}
	golden(t, "two-replicas.tra", tra.Bytes())
	golden(t, "two-replicas.lab", lab.Bytes())
	golden(t, "two-replicas.sta", sta.Bytes())
	golden(t, "two-replicas.srew", srew.Bytes())
	golden(t, "two-replicas.drn", drn.Bytes())
	var mdp bytes.Buffer
	if err := WriteMDPTra(&mdp, handMDP(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "hand-mdp.tra", mdp.Bytes())
}

// TestTraRoundTrip: a chain written and read back is the same chain, rates
// bit for bit, including rates that have no short decimal form, and so is
// writing it again.
func TestTraRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 50 {
		c := randomChain(t, rng, 1+rng.IntN(200), 4, nil)
		// Rescale through a builder with awkward rates.
		b, _ := NewBuilder(nil)
		for range c.N() {
			b.AddState(0)
		}
		for s := range c.N() {
			var row []Edge
			for to, r := range c.Row(uint32(s)) {
				row = append(row, Edge{to, r * math.Pi / 7e5})
			}
			if err := b.AddRow(row); err != nil {
				t.Fatal(err)
			}
		}
		c, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		var first, second bytes.Buffer
		if err := WriteTra(&first, c); err != nil {
			t.Fatal(err)
		}
		back, err := ReadTra(bytes.NewReader(first.Bytes()), 0)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if back.N() != c.N() || back.Transitions() != c.Transitions() {
			t.Fatalf("trial %d: %d states %d transitions, read back %d and %d", trial, c.N(), c.Transitions(), back.N(), back.Transitions())
		}
		for s := range c.N() {
			for k := range c.Degree(uint32(s)) {
				lo, _ := c.bounds(uint32(s))
				blo, _ := back.bounds(uint32(s))
				if c.to[lo+k] != back.to[blo+k] || math.Float64bits(c.rate(lo+k)) != math.Float64bits(back.rate(blo+k)) {
					t.Fatalf("trial %d state %d: transition %d differs", trial, s, k)
				}
			}
		}
		if err := WriteTra(&second, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("trial %d: written twice, the files differ", trial)
		}
	}
}

func TestReadTraErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "line 0: empty file"},
		{"2 1 3\n", "line 1: want \"STATES TRANSITIONS\""},
		{"2 x\n", "line 1: want two counts"},
		{"2 2\n0 1 1\n", "line 2: the header promises 2 transitions, the file has 1"},
		{"2 1\n0 2 1\n", "line 2: states \"0\" and \"2\""},
		{"2 1\n\n0 1 -1\n", "line 3: rate \"-1\""},
		{"2 1\n0 1 NaN\n", "line 2: rate \"NaN\""},
		{"3 2\n1 0 1\n0 1 1\n", "line 3: source 0 after source 1"},
		{"2 1\n0 1 1\n1 0 1\n", "line 3: \"1 0 1\" after the 1 transitions"},
		{"2000 0\n", "line 1: 2000 states, more than the 1000"},
		{"2 1\n0 1 1 a\n", "line 2: want \"source target rate\", got 4 fields"},
	} {
		_, err := ReadTra(strings.NewReader(tc.in), 1000)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ReadTra(%q) = %v, want an error starting %q", tc.in, err, tc.want)
		}
	}
}

// FuzzReadTra: the reader never panics, and what it accepts writes back
// to a file it reads again to the same chain; what it rejects it rejects
// with the line.
func FuzzReadTra(f *testing.F) {
	for _, seed := range []string{"3 2\n0 1 0.5\n1 2 2e-3\n", "1 0\n", "2 2\n0 1 1\n0 1 2\n", "2 1\n0 0 1\n", "x"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := ReadTra(bytes.NewReader(in), 1000)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") && !strings.HasPrefix(err.Error(), "state ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteTra(&out, c); err != nil {
			t.Fatal(err)
		}
		back, err := ReadTra(bytes.NewReader(out.Bytes()), 1000)
		if err != nil {
			t.Fatalf("rereading %q: %v", out.Bytes(), err)
		}
		if back.N() != c.N() || back.Transitions() != c.Transitions() {
			t.Fatalf("round trip changed the size")
		}
	})
}
