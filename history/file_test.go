package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// counter is a toy model for the file tests: the state is a count, each
// action adds one. history knows no model; any renderer will do.
type counter struct{}

func (counter) Describe(s *int) string     { return fmt.Sprintf("count %d", *s) }
func (counter) ActionText(a string) string { return a }
func (counter) StateView(s *int) any       { return map[string]int{"count": *s} }

// acks1Trace is a four-state trace file of the toy model, with a property
// and a title, as a counterexample's file has.
func acks1Trace(t testing.TB) *File {
	t.Helper()
	tr, err := New([]int{0, 1, 2, 3}, []string{"add 1", "add 1", "add 1"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFile("toy", map[string]string{"step": "1"}, tr, counter{})
	if err != nil {
		t.Fatal(err)
	}
	f.Property, f.Title = "count-below-3", "the count reaches 3"
	return f
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
	f := acks1Trace(t)
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
	tf := acks1Trace(f)
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
