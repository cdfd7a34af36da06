package model

import (
	"reflect"
	"testing"
)

// perturb changes one leaf of v (which must be settable).
func perturb(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Array:
		perturb(t, v.Index(v.Len()-1))
	case reflect.Struct:
		perturb(t, v.Field(v.NumField()-1))
	default:
		t.Fatalf("perturb: no way to change a %s", v.Kind())
	}
}

// TestChangedCoversState changes every field of a broker, and each of the
// state's other parts, one at a time: Changed must name exactly the part
// the field belongs to. A field added to Broker or State fails here until
// Changed and this table place it in a part.
func TestChangedCoversState(t *testing.T) {
	brokerPart := map[string]Parts{
		"Status": PartStatus, "Leader": PartRoles, "Epoch": PartRoles, "ISR": PartRoles, "HW": PartHW,
		"LEO": PartLogs, "Log": PartLogs, "Flushed": PartReplication, "Remote": PartReplication,
		"Fetched": PartReplication, "Proposed": PartReplication, "Truncating": PartReplication,
	}
	statePart := map[string]Parts{"Ctrl": PartController, "Ghost": PartGhost, "Used": PartUsed}
	bt := reflect.TypeFor[Broker]()
	for i := range bt.NumField() {
		name := bt.Field(i).Name
		want, ok := brokerPart[name]
		if !ok {
			t.Fatalf("Broker.%s is in no part: place it in Changed and in this table", name)
		}
		for b := range MaxReplicas {
			var s State
			u := s
			perturb(t, reflect.ValueOf(&u.Brokers[b]).Elem().Field(i))
			if got := Changed(&s, &u); got != want {
				t.Errorf("Broker.%s changed on broker %d: Changed = %b, want %b", name, b+1, got, want)
			}
		}
	}
	st := reflect.TypeFor[State]()
	for i := range st.NumField() {
		name := st.Field(i).Name
		if name == "Brokers" {
			continue
		}
		want, ok := statePart[name]
		if !ok {
			t.Fatalf("State.%s is in no part: place it in Changed and in this table", name)
		}
		var s State
		u := s
		for j := range st.Field(i).Type.NumField() {
			perturb(t, reflect.ValueOf(&u).Elem().Field(i).Field(j))
			if got := Changed(&s, &u); got != want {
				t.Errorf("State.%s.%s changed: Changed = %b, want %b", name, st.Field(i).Type.Field(j).Name, got, want)
			}
			u = s
		}
	}
	var s State
	if got := Changed(&s, &s); got != 0 {
		t.Errorf("Changed(s, s) = %b, want 0", got)
	}
}
