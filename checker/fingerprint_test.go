package checker

import (
	"math/rand/v2"
	"testing"

	"electcheck/explore"
	"electcheck/model"
)

// The explorer identifies states by the fingerprint of their canonical
// encoding. On random reachable states, equal fingerprints must mean equal
// states (no collision among them) and equal states equal fingerprints.
func TestFingerprintAgreesWithDeepEquality(t *testing.T) {
	const seed = 20261121
	cfg := model.DefaultConfig()
	cfg.Bounds = model.Bounds{Records: 4, Crashes: 2, PowerLosses: 1, DiskLosses: 1, CleanShutdowns: 1, Pauses: 1, MaxLeaderEpoch: 5}
	m, err := model.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 0))
	byFP := map[uint64]model.State{}
	byState := map[model.State]uint64{}
	var acts []model.Action
	var enc []byte
	for range 2000 {
		s := m.Init()[0]
		for range 40 {
			enc = m.Encode(enc[:0], &s)
			fp := explore.Fingerprint(enc)
			if prev, ok := byFP[fp]; ok && prev != s {
				t.Fatalf("seed %d: two different states share fingerprint %x:\n%s\n%s", seed, fp, m.Describe(&prev), m.Describe(&s))
			}
			if prev, ok := byState[s]; ok && prev != fp {
				t.Fatalf("seed %d: one state has fingerprints %x and %x", seed, prev, fp)
			}
			byFP[fp], byState[s] = s, fp
			acts = m.Actions(&s, acts[:0])
			if len(acts) == 0 {
				break
			}
			s = m.Next(&s, acts[r.IntN(len(acts))])
		}
	}
	if len(byFP) < 10000 {
		t.Errorf("seed %d: only %d distinct states sampled", seed, len(byFP))
	}
}
