package risk

import (
	"flag"
	"io"
	"path/filepath"
	"testing"

	"electcheck/markov"
)

// The scheduler's interval holds the uniform scheduler's figure, and is
// an interval: on RF 3 with unclean elections and two crashes, which
// replica the controller elects matters.
func TestSchedulerBounds(t *testing.T) {
	for _, c := range []struct {
		name     string
		settings []string
	}{
		{"RF 2, unclean", []string{"unclean.leader.election.enable=true"}},
		{"RF 3, min ISR 1, unclean", []string{"replication.factor=3", "unclean.leader.election.enable=true"}},
	} {
		cfg := small(t, c.settings...)
		a := analyze(t, cfg, crashesOnly(cfg))
		b, err := a.Bounds(Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: p %.6g in [%.6g, %.6g]; %d states, %d choices", c.name, a.PLost, b.PLostMin, b.PLostMax, b.States, b.Choices)
		if !(b.PLostMin <= a.PLost*(1+1e-9) && a.PLost <= b.PLostMax*(1+1e-9)) {
			t.Errorf("%s: uniform p %g outside [%g, %g]", c.name, a.PLost, b.PLostMin, b.PLostMax)
		}
		// Pinned (value iteration: to 1e-6 relative).
		want := map[string][3]float64{"RF 2, unclean": {4.2645e-08, 4.2645e-08, 400}, "RF 3, min ISR 1, unclean": {2.21197e-14, 2.47732e-13, 20440}}[c.name]
		if !near(b.PLostMin, want[0], 1e-5) || !near(b.PLostMax, want[1], 1e-5) || b.States != int(want[2]) {
			t.Errorf("%s: [%.6g, %.6g], %d states; pinned [%g, %g], %g", c.name, b.PLostMin, b.PLostMax, b.States, want[0], want[1], want[2])
		}
	}
}

// The decision process of RF 3, min ISR 1, unclean elections, one crash
// an incident, checked with PRISM (commit 9486c774, as prism_test.go):
//
//	go test ./checker/risk -run TestSchedulerAgainstPRISM -prism-mdp DIR
//	prism -importmodel DIR/mdp.tra,lab -mdp DIR/mdp.pctl -explicit -epsilon 1e-12 -relative -maxiters 10000000
//
// with mdp.pctl Pmin=? [ F "lost" ] and Pmax=? [ F "lost" ].
var prismMDP = flag.String("prism-mdp", "", "write the scheduler test's decision process for PRISM to this folder")

func TestSchedulerAgainstPRISM(t *testing.T) {
	// PRISM printed both as "exact floating point", and they are ours to
	// the last bit.
	const prismMin, prismMax = 2.2119749327277033e-14, 2.4773179263598756e-13
	cfg := small(t, "replication.factor=3", "unclean.leader.election.enable=true")
	a := analyze(t, cfg, crashesOnly(cfg))
	m, err := a.decisionProcess(Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if *prismMDP != "" {
		for name, write := range map[string]func(io.Writer) error{
			"mdp.tra": func(w io.Writer) error { return markov.WriteMDPTra(w, m) },
			"mdp.lab": func(w io.Writer) error { return markov.WriteLab(w, initLabelled{m}) },
			"mdp.pctl": func(w io.Writer) error {
				_, err := io.WriteString(w, "Pmin=? [ F \"lost\" ]\nPmax=? [ F \"lost\" ]\n")
				return err
			},
		} {
			if err := writeFile(filepath.Join(*prismMDP, name), write); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := a.Bounds(Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ours: [%.17g, %.17g]", b.PLostMin, b.PLostMax)
	if !near(b.PLostMin, prismMin, 1e-9) || !near(b.PLostMax, prismMax, 1e-9) {
		t.Errorf("ours [%.17g, %.17g], PRISM's [%.17g, %.17g]", b.PLostMin, b.PLostMax, prismMin, prismMax)
	}
}

// initLabelled is the decision process with state 0 labelled init, as
// PRISM takes its initial state from the label.
type initLabelled struct{ m *markov.MDP }

func (l initLabelled) N() int { return l.m.N() }
func (l initLabelled) Names() markov.LabelNames {
	return append(markov.LabelNames{"init"}, l.m.Names()...)
}
func (l initLabelled) Labels(s uint32) markov.Labels {
	x := l.m.Labels(s) << 1
	if s == 0 {
		x |= 1
	}
	return x
}
