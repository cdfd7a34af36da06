package checker

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"electcheck/history"
	"electcheck/history/render"
	"electcheck/model"
	"electcheck/model/tlareplication"
)

// traceOf is the primary trace of a check of the recommended setup with
// one record and one crash, and these changes.
func traceOf(t testing.TB, change func(req *Request, s *Search)) *history.File {
	t.Helper()
	req := NewRequest()
	req.Kafka.Bounds.Records, req.Kafka.Bounds.Crashes = 1, 1
	s := Search{Workers: 1}
	change(&req, &s)
	o, err := Check(req, s)
	if err != nil || o.Primary == nil {
		t.Fatalf("no trace: %v", err)
	}
	return o.Primary
}

// acks1Trace is the acks=1 failover counterexample: produce 1, crash 1,
// detect 1 elect 2.
func acks1Trace(t testing.TB) *history.File {
	t.Helper()
	f := traceOf(t, func(req *Request, _ *Search) {
		req.Kafka.Acks = model.AcksLeader
		req.Properties = []string{"acked-records-durable"}
	})
	if len(f.Steps) != 4 || f.Steps[3].Action != "detect 1 elect 2" {
		t.Fatalf("the acks=1 counterexample is not the three-step failover: %+v", f.Steps)
	}
	return f
}

func roundTrip(t testing.TB, f *history.File) *history.File {
	t.Helper()
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadTrace(data)
	if err != nil {
		t.Fatalf("reading back: %v", err)
	}
	return g
}

func TestReplayOutcomes(t *testing.T) {
	f := acks1Trace(t)
	res, err := Replay(roundTrip(t, f))
	if err != nil || res.Outcome != history.Reproduces || res.Replayed != 3 || !strings.Contains(res.Message, "record a") {
		t.Fatalf("replay: %v %+v", err, res)
	}
	if !strings.Contains(res.Markdown, "```mermaid") || !strings.Contains(res.Text, "step 3: detect 1 elect 2") {
		t.Errorf("renderings lack the trace")
	}

	// A recorded state that differs: the model changed under the trace.
	g := roundTrip(t, f)
	var st render.StateView
	_ = json.Unmarshal(g.Steps[2].State, &st)
	st.Brokers[0].HW = 7
	g.Steps[2].State, _ = json.Marshal(st)
	res, _ = Replay(g)
	if res.Outcome != history.Diverges || res.DivergedAt != 2 || res.Now == "" || res.Recorded == "" {
		t.Errorf("changed state: %+v", res)
	}

	// An action that is no longer enabled.
	g = roundTrip(t, f)
	g.Steps[3].Action = "detect 1 elect 3"
	g.Steps[1].Action = "restart 1"
	res, _ = Replay(g)
	if res.Outcome != history.Diverges || res.DivergedAt != 1 || !strings.Contains(res.Reason, "not enabled") {
		t.Errorf("disabled action: %+v", res)
	}

	// The property holds at the end of a trace to a failover under
	// acks=all, recorded as if it broke it: it no longer fails.
	h := traceOf(t, func(_ *Request, s *Search) { s.Show = "leader-failover" })
	h.Property = "acked-records-durable"
	res, _ = Replay(roundTrip(t, h))
	if res.Outcome != history.NoLongerFails {
		t.Errorf("holding property: %+v", res)
	}
	h.Property = ""
	res, _ = Replay(roundTrip(t, h))
	if res.Outcome != history.Matches {
		t.Errorf("no property: %+v", res)
	}
}

func TestReplayTLA(t *testing.T) {
	m, _ := tlareplication.New(tlareplication.Kip320, tlareplication.DefaultConstants())
	s := m.Init()[0]
	states := []tlareplication.State{s}
	var actions []tlareplication.Action
	for range 4 {
		acts := m.Actions(&s, nil)
		s = m.Next(&s, acts[0])
		states, actions = append(states, s), append(actions, acts[0])
	}
	tr, _ := history.New(states, actions)
	f, err := history.NewFile(ModelTLA, render.TLAConfig(tlareplication.Kip320, tlareplication.DefaultConstants()), tr, render.TLA{M: m})
	if err != nil {
		t.Fatal(err)
	}
	// LeaderInIsr fails in the initial state and holds once a leader is
	// elected.
	f.Property = "leader-in-isr"
	res, err := Replay(roundTrip(t, f))
	if err != nil || res.Outcome != history.NoLongerFails {
		t.Fatalf("%v %+v", err, res)
	}
	initial := *f
	initial.Steps = f.Steps[:1]
	if res, err := Replay(roundTrip(t, &initial)); err != nil || res.Outcome != history.Reproduces {
		t.Fatalf("initial state only: %v %+v", err, res)
	}
	// With two replicas the initial state itself differs.
	f.Config["replicas"] = "2"
	res, err = Replay(roundTrip(t, f))
	if err != nil || res.Outcome != history.Diverges || res.DivergedAt != 0 {
		t.Errorf("two replicas should diverge at once: %v %+v", err, res)
	}
}

// TestReadTraceRejects: what history.ReadFile cannot know, the model and
// its configuration, ReadTrace and Replay check.
func TestReadTraceRejects(t *testing.T) {
	f := acks1Trace(t)
	mutate := func(fn func(*history.File)) []byte {
		g := roundTrip(t, f)
		fn(g)
		data, _ := g.Marshal()
		return data
	}
	cases := map[string][]byte{
		"another model":   mutate(func(g *history.File) { g.Model = "raft" }),
		"invalid config":  mutate(func(g *history.File) { g.Config["min.insync.replicas"] = "9" }),
		"unknown setting": mutate(func(g *history.File) { g.Config["log.dirs"] = "/tmp" }),
		"bad TLA variant": mutate(func(g *history.File) { g.Model, g.Config = ModelTLA, map[string]string{"variant": "kip999"} }),
	}
	for name, data := range cases {
		if _, err := history.ReadFile(data); err != nil {
			t.Errorf("%s: history.ReadFile already rejects it (%v): the case tests nothing here", name, err)
		}
		_, err := ReadTrace(data)
		if err == nil {
			t.Errorf("%s: read without error", name)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error spans lines: %q", name, err)
		}
	}
	// An unknown property, and an action no model has, are bad input.
	g := roundTrip(t, f)
	g.Property = "no-data-loss"
	if _, err := Replay(g); err == nil {
		t.Error("an unknown property replayed")
	}
	g = roundTrip(t, f)
	g.Steps[2].Action = "crash broker one"
	if _, err := Replay(g); err == nil || !strings.Contains(err.Error(), "step 2") {
		t.Errorf("an unparsable action: %v", err)
	}
}

func FuzzReadTrace(f *testing.F) {
	tf := acks1Trace(f)
	good, _ := tf.Marshal()
	f.Add(good)
	f.Add([]byte(`{"format":"electcheck-trace","version":1,"model":"tla-replication","config":{"variant":"kip320","replicas":"3","log_size":"2","max_records":"2","max_leader_epoch":"2"},"steps":[{"step":0,"state":{},"text":""}]}`))
	f.Add([]byte(`{}`))
	// The smaller golden traces: the fuzzer minimizes every new
	// interesting input, which takes minutes for the larger ones.
	for _, data := range goldenTraces(f) {
		if len(data) <= 12<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := ReadTrace(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		// A file that reads must replay without panicking, to some outcome.
		if _, err := Replay(tf); err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("multi-line error %q", err)
		}
	})
}

// Patch release 2.0.1 shipped KAFKA-7128: the counterexample recorded for
// it on 2.0 no longer replays there; the follower is refused the ISR.
func TestPatchReleaseReplay(t *testing.T) {
	data, err := os.ReadFile("../testdata/traces/known-kafka-7128-2.0.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		version string
		want    history.Outcome
	}{{"2.0", history.Reproduces}, {"2.0.0", history.Reproduces}, {"2.0.1", history.Diverges}} {
		f, err := history.ReadFile(data)
		if err != nil {
			t.Fatal(err)
		}
		f.Config["electcheck.kafka.version"] = c.version
		res, err := Replay(f)
		if err != nil || res.Outcome != c.want {
			t.Fatalf("%s: %v, %+v", c.version, err, res)
		}
		if c.want == history.Diverges && (res.DivergedAt != 14 || !strings.Contains(res.Reason, "epoch start offset (KAFKA-7128)")) {
			t.Errorf("%s diverges at step %d: %s", c.version, res.DivergedAt, res.Reason)
		}
	}
}
