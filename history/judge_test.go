package history

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

// A Judge says what Analyze and Linearize say, on seeded random histories
// (clean and made wrong) and on each named anomaly's history; its verdicts
// keep no visualisation.
func TestJudgeAgreesWithAnalyzeAndLinearize(t *testing.T) {
	const seed = 20261207
	r := rand.New(rand.NewPCG(seed, 0))
	j := Judge{Timeout: 10 * time.Second}
	var hs []*ClientHistory
	for range 1000 {
		hs = append(hs, randomHistory(r, 1+r.IntN(6), 10+r.IntN(40)))
	}
	for _, b := range []*builder{
		new(builder).send(0, 0, 1, 0).send(1, 0, 2, 0).poll(2, 0, 0, 1),
		new(builder).send(0, 0, 1, 0).send(1, 0, 2, 1).poll(2, 0, 1, 2),
		new(builder).ev(0, Invoke, FSend, snd(0, 1)).ev(0, Fail, FSend, snd(0, 1)).poll(2, 0, 0, 1),
		new(builder).send(0, 0, 1, 0).send(0, 0, 2, 1).poll(2, 0, 0, 1, 1, 2).poll(2, 0, 0, 1),
	} {
		hs = append(hs, b.history())
	}
	for i, h := range hs {
		ops, err := h.Pair()
		if err != nil {
			t.Fatalf("seed %d, history %d: %v", seed, i, err)
		}
		wantLin, wantErr := Linearize(ops, 10*time.Second)
		anomalies, lin, err := j.Check(ops)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("seed %d, history %d: Judge's error %v, Linearize's %v", seed, i, err, wantErr)
		}
		if want := Analyze(ops); !reflect.DeepEqual(anomalies, want) {
			t.Errorf("seed %d, history %d: Judge found %v, Analyze %v", seed, i, anomalies, want)
		}
		lin.PorcupineTime, lin.all, lin.visual = wantLin.PorcupineTime, wantLin.all, wantLin.visual
		for k := range lin.Keys {
			if k < len(wantLin.Keys) {
				lin.Keys[k].PorcupineTime = wantLin.Keys[k].PorcupineTime
			}
		}
		if !reflect.DeepEqual(lin, wantLin) {
			t.Errorf("seed %d, history %d: Judge says %+v, Linearize %+v", seed, i, lin, wantLin)
		}
	}
	_, lin, err := j.Check(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := lin.WriteHTML(&bytes.Buffer{}); err == nil {
		t.Error("a Judge's verdict wrote a visualisation it did not keep")
	}
}

// Porcupine's partition of a history by key is the same whether the keys
// come in runs or shuffled; a history of one key (as LinearizeWith hands
// them over, key by key) is its own one part, with no map.
func TestPartitionByKey(t *testing.T) {
	keys := []int64{0, 0, 1, 3, 3, 3, 7}
	var runs []porcupine.Operation
	for i, k := range keys {
		runs = append(runs, porcupine.Operation{Input: &linOp{Key: k, N: i}})
	}
	shuffled := []porcupine.Operation{runs[3], runs[0], runs[6], runs[4], runs[2], runs[1], runs[5]}
	got, want := logModel.Partition(runs), logModel.Partition(shuffled)
	if len(got) != 4 || !reflect.DeepEqual(got, want) {
		t.Errorf("partition of runs %v, of the shuffled history %v", got, want)
	}
	if one := logModel.Partition(runs[3:6]); len(one) != 1 || len(one[0]) != 3 {
		t.Errorf("a one-key history partitioned into %v", one)
	}
}
