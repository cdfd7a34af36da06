package history

import "time"

// Judge decides many histories, one after another, for a caller that
// needs every verdict and few explanations (electcheck simulate judges
// each random walk's history). Its verdicts are Analyze's and Linearize's,
// from one analysis of the history instead of two; its Linearizability
// keeps no visualisation (porcupine's record of partial linearizations
// costs as much as its search): Linearize the history again for WriteHTML.
type Judge struct {
	// Timeout bounds porcupine on each history (0: none).
	Timeout time.Duration
	// Remember is how many histories' verdicts the Judge keeps, to answer
	// a repeat from memory (judge_memo.go); 0 keeps none. A verdict from
	// memory is the one given before, shared: read it, do not change it.
	// It holds nothing of the history it came from, which may be reused
	// (TestRememberedVerdictsOwnTheirMemory).
	Remember int

	memo map[string]judged
	key  []byte
	hits int
}

// Check judges a well-formed history (Pair's operations): its anomalies,
// as Analyze finds them, and its linearizability, as Linearize decides it
// (the same error when the two checkers disagree).
func (j *Judge) Check(ops []Operation) ([]Anomaly, *Linearizability, error) {
	return j.remember(ops, func() ([]Anomaly, *Linearizability, error) {
		a := newAnalysis(ops)
		lin, err := a.linearize(LinOptions{Timeout: j.Timeout}, false)
		return a.anomalies(AnalyzeOptions{}), lin, err
	})
}
