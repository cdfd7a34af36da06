package invariants_test

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"electcheck/invariants"
	"electcheck/model"
)

// splice copies into dst every field of src in the given parts. A field's
// part is what model.Changed says of a change to it alone, so the test
// and Changed cannot place a field differently.
func splice(dst, src *model.State, parts model.Parts) {
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := range d.NumField() {
		if d.Type().Field(i).Name != "Brokers" {
			if partOfField(dst, d.Field(i))&parts != 0 {
				d.Field(i).Set(s.Field(i))
			}
			continue
		}
		for b := range model.MaxReplicas {
			db, sb := d.Field(i).Index(b), s.Field(i).Index(b)
			for f := range db.NumField() {
				if partOfField(dst, db.Field(f))&parts != 0 {
					db.Field(f).Set(sb.Field(f))
				}
			}
		}
	}
}

// partOfField is the part model.Changed names when field v of *s alone
// changes.
func partOfField(s *model.State, v reflect.Value) model.Parts {
	old := reflect.New(v.Type()).Elem()
	old.Set(v)
	before := *s
	bump(v)
	p := model.Changed(&before, s)
	v.Set(old)
	return p
}

func bump(v reflect.Value) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Array:
		bump(v.Index(0))
	case reflect.Struct:
		bump(v.Field(0))
	default:
		v.SetUint(v.Uint() + 1)
	}
}

// TestReadsAreComplete: a property's answer depends only on the parts it
// declares it reads. On states of random walks (in configurations where
// the properties fail), every other part is replaced by another state's,
// and the property must answer as before. Simulate skips a property on a
// step that changed none of its parts; this is what makes that exact.
func TestReadsAreComplete(t *testing.T) {
	const seed = 31
	r := rand.New(rand.NewPCG(seed, 5))
	type setting struct{ key, value string }
	configs := [][]setting{
		{},
		{{"unclean.leader.election.enable", "true"}},
		{{"acks", "1"}, {"electcheck.kafka.version", "0.10"}},
		{{"electcheck.power.losses", "1"}, {"min.insync.replicas", "1"}},
	}
	for _, p := range invariants.Properties() {
		if p.Reads == 0 {
			t.Errorf("%s declares no Reads", p.Name)
		}
	}
	for _, settings := range configs {
		cfg := model.DefaultConfig()
		cfg.Bounds = model.Bounds{Records: 3, Crashes: 2, PowerLosses: 1, DiskLosses: 1, CleanShutdowns: 1, Pauses: 1, MaxLeaderEpoch: 4}
		for _, kv := range settings {
			if err := cfg.Set(kv.key, kv.value); err != nil {
				t.Fatal(err)
			}
		}
		m, err := model.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var states []model.State
		var acts []model.Action
		for range 150 {
			s := m.Init()[0]
			for range 30 {
				states = append(states, s)
				acts = m.Actions(&s, acts[:0])
				if len(acts) == 0 {
					break
				}
				s = m.Next(&s, acts[r.IntN(len(acts))])
			}
		}
		failed := map[string]int{}
		for i, s := range states {
			other := &states[r.IntN(len(states))]
			for _, p := range invariants.Properties() {
				holds := p.Check(m, &s) == nil
				if !holds {
					failed[p.Name]++
				}
				u := s
				splice(&u, other, model.AllParts&^p.Reads)
				if (p.Check(m, &u) == nil) != holds {
					t.Fatalf("%v (seed %d, state %d): %s reads a part outside its Reads %b: it holds=%v on\n%+v\nbut not on\n%+v",
						settings, seed, i, p.Name, p.Reads, holds, s, u)
				}
			}
		}
		t.Logf("%v: %d states; failures %v", settings, len(states), failed)
	}
}
