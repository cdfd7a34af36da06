package risk

import (
	"testing"

	"electcheck/checker"
	"electcheck/history"
)

// The most likely loss path is a trace the current model replays to the
// same loss: it reproduces committed-offsets-preserved's failure, starts
// from the initial state, and its first incident step is a fault. With
// clean elections, which lose nothing here, there is none.
func TestMostLikelyLossReplays(t *testing.T) {
	cfg := small(t, "unclean.leader.election.enable=true")
	a := analyze(t, cfg, crashesOnly(cfg))
	lp, err := a.MostLikelyLoss()
	if err != nil {
		t.Fatal(err)
	}
	if lp == nil {
		t.Fatal("no loss path, though p > 0")
	}
	for _, s := range lp.File.Steps {
		t.Log(s.Action)
	}
	t.Logf("%d fault-free steps, %d incident steps, p %g, share %g\n%s", lp.FaultFreeSteps, lp.IncidentSteps, lp.Probability, lp.Share, lp.File.Message)
	if !(lp.Probability > 0) || lp.Probability > a.PLost || !(lp.Share > 0) || lp.Share > 1 {
		t.Errorf("path p %g, share %g of p(lost) %g", lp.Probability, lp.Share, a.PLost)
	}
	// Pinned: fetch, produce, the lag timeout shrinks the ISR to the
	// leader (min ISR 1 lets it commit alone), then the incident: the
	// leader crashes and the follower is elected uncleanly. 99% of the
	// losses go this way; the rest need rarer steps (a lost response).
	if lp.FaultFreeSteps != 4 || lp.IncidentSteps != 2 {
		t.Errorf("%d fault-free and %d incident steps, want 4 and 2", lp.FaultFreeSteps, lp.IncidentSteps)
	}
	data, err := lp.File.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	f, err := checker.ReadTrace(data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := checker.Replay(f)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != history.Reproduces {
		t.Errorf("replay: %v at step %d: %s", res.Outcome, res.DivergedAt, res.Reason)
	}
	clean := analyze(t, small(t), crashesOnly(small(t)))
	if lp, err := clean.MostLikelyLoss(); lp != nil || err != nil {
		t.Errorf("clean elections: loss path %v, %v", lp, err)
	}
}
