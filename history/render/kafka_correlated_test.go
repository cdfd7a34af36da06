package render

import (
	"encoding/json"
	"strings"
	"testing"

	"electcheck/history"
	"electcheck/model"
)

// A correlated power loss, explained, drawn and counted: what each broker
// it took down kept, the broker already down named as such, and the
// count in the state's JSON only once there is one (traces from before
// the fault read the same).
func TestCorrelatedPowerLossForms(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Bounds.Crashes, cfg.Bounds.CorrelatedPowerLosses = 1, 1
	m, err := model.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"produce 1", "fetch 2", "fetch 3", "crash 3", "produce 1", "power-loss-all keep 1:1 2:0"}
	states, actions := walk(t, m, texts...)
	n := len(states) - 1
	got := Kafka{m}.Explain(&states[n-1], &states[n], actions[n-1])
	want := "every broker loses power at once (a rack or data-centre power outage); " +
		"broker 1: the OS had written 1 of its 2 records to disk, b lost; " +
		"broker 2: the OS had written 0 of its 1 records to disk, a lost; " +
		"broker 3 was already down; the write of a fails: its leader is gone; the write of b fails: its leader is gone"
	if got != want {
		t.Errorf("explained as\n%s\nwant\n%s", got, want)
	}
	doc := history.Document{Title: "Trace", ModelLine: cfg.String(), BoundsLine: cfg.Bounds.String()}
	md := markdownOf(t, cfg, doc, texts...)
	for _, w := range []string{
		"    Note over P,B3: every broker loses power at once (rack or data-centre outage)\n",
		"    Note over B1: power loss: b lost, keeps 1 of 2 records\n",
		"    Note over B2: power loss: a lost, keeps 0 of 1 records\n",
		"correlated power losses 1",
	} {
		if !strings.Contains(md, w) {
			t.Errorf("document lacks %q:\n%s", w, md)
		}
	}
	if strings.Contains(md, "Note over B3: power loss") {
		t.Errorf("broker 3, already down, is drawn losing power:\n%s", md)
	}
	tr, err := history.New(states, actions)
	if err != nil {
		t.Fatal(err)
	}
	view := tr.View(Kafka{m})
	var first, last StateView
	if json.Unmarshal(view[0].State, &first) != nil || json.Unmarshal(view[n].State, &last) != nil {
		t.Fatal("state views do not decode")
	}
	if last.FaultsUsed.CorrelatedPowerLosses != 1 || strings.Contains(string(view[0].State), "correlated_power_losses") {
		t.Errorf("faults used: %+v at the end; at the start %s", last.FaultsUsed, view[0].State)
	}
}
