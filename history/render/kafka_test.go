package render

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"electcheck/history"
	"electcheck/invariants"
	"electcheck/model"
)

// walk applies actions, given as text, from m's initial state.
func walk(t testing.TB, m *model.Model, texts ...string) ([]model.State, []model.Action) {
	t.Helper()
	states := []model.State{m.Init()[0]}
	var actions []model.Action
	for _, text := range texts {
		a, err := model.ParseAction(text)
		if err != nil {
			t.Fatal(err)
		}
		next, err := m.Step(&states[len(states)-1], a)
		if err != nil {
			t.Fatal(err)
		}
		states, actions = append(states, next), append(actions, a)
	}
	return states, actions
}

func TestTraceForms(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Acks = model.AcksLeader
	m, err := model.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	states, actions := walk(t, m, "produce 1", "crash 1", "detect 1 elect 2")
	tr, err := history.New(states, actions)
	if err != nil || tr.Len() != 4 {
		t.Fatalf("New: %v, %d states", err, tr.Len())
	}
	text := tr.Text(Kafka{m})
	for _, want := range []string{"state 0: initial", "step 1: produce 1", "step 3: detect 1 elect 2", "* controller: leader 2, epoch 1",
		"the controller fences broker 1, which it can no longer reach, and takes it out of the ISR (ISR {1,2,3} → {2,3}); it led, so the controller elects broker 2 in epoch 1 (clean: it is in the ISR {1,2,3})"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// Step 1 grows broker 1's log, which widens the log column of every
	// broker line; only broker 1's line changed.
	step1 := text[strings.Index(text, "step 1:"):strings.Index(text, "step 2:")]
	if !strings.Contains(step1, "* broker 1") || strings.Contains(step1, "* broker 2") {
		t.Errorf("step 1 marks the wrong lines:\n%s", step1)
	}
	view := tr.View(Kafka{m})
	if view[0].Action != "" || view[3].Action != "detect 1 elect 2" || view[3].Text != m.Describe(&states[3]) {
		t.Errorf("view steps: %+v", view)
	}
	var last StateView
	if err := json.Unmarshal(view[3].State, &last); err != nil {
		t.Fatal(err)
	}
	if last.Controller.Leader != 2 || last.Controller.Epoch != 1 || len(last.Brokers) != 3 {
		t.Errorf("controller/brokers: %+v", last)
	}
	if b := last.Brokers[0]; b.Status != "crashed" || b.LEO != 1 || b.Log[0].Record != "a" {
		t.Errorf("broker 1: %+v", b)
	}
	if r := last.Records[0]; r.Fate != "acked" || r.Offset == nil || *r.Offset != 0 || r.Leader != 1 {
		t.Errorf("record a: %+v", r)
	}
	if _, err := json.Marshal(view); err != nil {
		t.Error(err)
	}
	if _, err := history.New(states, actions[:1]); err == nil {
		t.Error("New accepted a trace with too few actions")
	}
	if _, err := history.New[model.State, model.Action](nil, nil); err == nil {
		t.Error("New accepted an empty trace")
	}
}

// markdownOf walks texts from cfg's initial state and renders the trace as
// a document that violates property with message, or shows nothing.
func markdownOf(t *testing.T, cfg model.Config, doc history.Document, texts ...string) string {
	t.Helper()
	m, err := model.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	states, actions := walk(t, m, texts...)
	tr, err := history.New(states, actions)
	if err != nil {
		t.Fatal(err)
	}
	doc.Title, doc.ModelLine, doc.BoundsLine = "Trace", cfg.String(), cfg.Bounds.String()
	return tr.Markdown(Kafka{m}, doc)
}

// The sequence diagram of acks=1's failover: every replica's lifeline
// (broker 3 too, which does nothing), no consumer (which never reads), the
// controller's notes saying what changed, and a closing note naming the
// record lost.
func TestSequenceAcks1Failover(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Acks = model.AcksLeader
	doc := history.Document{Property: "acked-records-durable",
		Message: "record a, acknowledged by broker 1 at offset 0, is missing: the log ends at LEO 0 on broker 2, leader in epoch 1"}
	md := markdownOf(t, cfg, doc, "produce 1", "crash 1", "detect 1 elect 2")
	want := "```mermaid\nsequenceDiagram\n" +
		"    participant P as Producer\n" +
		"    participant B1 as Broker 1\n" +
		"    participant B2 as Broker 2\n" +
		"    participant B3 as Broker 3\n" +
		"    participant C as Controller\n" +
		"    P->>B1: produce a (acks=1)\n" +
		"    B1-->>P: ack a (offset 0)\n" +
		"    Note over B1: process crash\n" +
		"    Note over C: fences broker 1, ISR {1,2,3} → {2,3}\n" +
		"    Note over C: elects broker 2 in epoch 1 (clean: it is in the ISR {1,2,3})\n" +
		"    Note over P,C: Lost: record a, acknowledged at offset 0 (never committed)\n" +
		"```\n"
	if !strings.Contains(md, want) {
		t.Errorf("diagram differs; want\n%s\ngot\n%s", want, md)
	}
	for _, unused := range []string{"participant K", "ISR was"} {
		if strings.Contains(md, unused) {
			t.Errorf("diagram has %q:\n%s", unused, md)
		}
	}
}

// A consumer that reads gets its lifeline, and the closing note of a
// trace without a property says what became of the records.
func TestSequenceConsumer(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Acks = model.AcksLeader
	cfg.Consumer = true
	md := markdownOf(t, cfg, history.Document{}, "produce 1", "fetch 2", "fetch 3", "fetch 2", "fetch 3", "consume 1")
	for _, want := range []string{"    participant K as Consumer\n", "    K->>B1: fetch from offset 0\n", "    B1-->>K: a\n",
		"    Note over P,K: committed up to offset 0\n",
		"    Note over P,K: Nothing lost: broker 1, leader in epoch 0, holds a\n"} {
		if !strings.Contains(md, want) {
			t.Errorf("diagram lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "participant C") {
		t.Errorf("the controller has a lifeline, though it does nothing:\n%s", md)
	}
	// Configured but idle: no lifeline.
	md = markdownOf(t, cfg, history.Document{}, "produce 1", "crash 1", "detect 1 elect 2")
	if strings.Contains(md, "participant K") {
		t.Errorf("a consumer that never reads has a lifeline:\n%s", md)
	}
}

// The closing note of a committed record's loss, and of a property that
// loses no record.
func TestSequenceClosing(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.UncleanLeaderElection = true
	steps := []string{"shrink-isr 1 3", "alter-partition 1", "produce 1", "fetch 2", "fetch 2", "crash 1", "detect 1 elect 2", "crash 2", "detect 2 elect 3"}
	md := markdownOf(t, cfg, history.Document{Property: "committed-offsets-preserved", Message: "…"}, steps...)
	for _, want := range []string{
		"elects broker 3 in epoch 2 by UNCLEAN election: it was not in the ISR {2}",
		"Note over P,C: Lost: record a, committed at offset 0 (acknowledged to its producer)\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("diagram lacks %q:\n%s", want, md)
		}
	}
	md = markdownOf(t, cfg, history.Document{Property: "hw-monotonic", Message: "broker 3 answers 0; below 1"}, steps...)
	if want := "Note over P,C: Violates hw-monotonic: broker 3 answers 0, below 1\n    Note over P,C: Lost: record a"; !strings.Contains(md, want) {
		t.Errorf("diagram lacks %q:\n%s", want, md)
	}
}

// The closing note lists every record lost for the properties a lost
// record violates: they must be properties invariants defines.
func TestLossPropertiesExist(t *testing.T) {
	for p := range lossProperties {
		if !slices.Contains(invariants.Names(), p) {
			t.Errorf("%s is not a property of package invariants", p)
		}
	}
}
