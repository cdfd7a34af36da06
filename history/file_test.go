package history

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"electcheck/model"
)

// acks1Trace is the acks=1 failover counterexample, built step by step.
func acks1Trace(t testing.TB) (*model.Model, *File) {
	t.Helper()
	cfg := model.DefaultConfig()
	cfg.Acks = model.AcksLeader
	m, err := model.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := New(walk(t, m, "produce 1", "crash 1", "detect 1 elect 2"))
	f, err := NewFile(ModelKafka, KafkaConfig(m.Config()), tr, Kafka{m})
	if err != nil {
		t.Fatal(err)
	}
	f.Property, f.Title = "acked-records-durable", "acks=1 loses an acknowledged record"
	return m, f
}

func roundTrip(t testing.TB, f *File) *File {
	t.Helper()
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadFile(data)
	if err != nil {
		t.Fatalf("reading back: %v", err)
	}
	return g
}

func TestReadFileRejects(t *testing.T) {
	_, f := acks1Trace(t)
	good, _ := f.Marshal()
	mutate := func(fn func(*File)) []byte {
		g := roundTrip(t, f)
		fn(g)
		data, _ := g.Marshal()
		return data
	}
	cases := map[string][]byte{
		"empty":            []byte("  "),
		"not JSON":         []byte("steps: 1"),
		"truncated":        good[:len(good)/2],
		"trailing data":    append(bytes.Clone(good), []byte("{}")...),
		"unknown field":    bytes.Replace(good, []byte(`"model"`), []byte(`"mystery": 1, "model"`), 1),
		"wrong format":     mutate(func(g *File) { g.Format = "tlc-trace" }),
		"unknown version":  mutate(func(g *File) { g.Version = 2 }),
		"no steps":         mutate(func(g *File) { g.Steps = nil }),
		"renumbered steps": mutate(func(g *File) { g.Steps[1].Step = 5 }),
		"missing action":   mutate(func(g *File) { g.Steps[2].Action = "" }),
		"state not object": mutate(func(g *File) { g.Steps[1].State = json.RawMessage(`[1]`) }),
		"wrong type":       bytes.Replace(good, []byte(`"version": 1`), []byte(`"version": "one"`), 1),
	}
	for name, data := range cases {
		_, err := ReadFile(data)
		if err == nil {
			t.Errorf("%s: read without error", name)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error spans lines: %q", name, err)
		}
	}
	// The model and its configuration are checked by the checker, which
	// knows the models (checker.ReadTrace).
}

func FuzzReadFile(f *testing.F) {
	_, tf := acks1Trace(f)
	good, _ := tf.Marshal()
	f.Add(good)
	f.Add([]byte(`{"format":"electcheck-trace","version":1,"model":"tla-replication","config":{"variant":"kip320","replicas":"3","log_size":"2","max_records":"2","max_leader_epoch":"2"},"steps":[{"step":0,"state":{},"text":""}]}`))
	f.Add([]byte(`{}`))
	// The smaller golden traces: the fuzzer minimizes every new
	// interesting input, which takes minutes for the larger ones.
	paths, _ := filepath.Glob("../testdata/traces/*.json")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && len(data) <= 12<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ReadFile(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		// What reads writes back, and reads again the same.
		again, err := g.Marshal()
		if err != nil {
			t.Fatalf("a file that reads does not write: %v", err)
		}
		if _, err := ReadFile(again); err != nil {
			t.Fatalf("a file written does not read back: %v", err)
		}
	})
}
