package offheap

import "testing"

// An array appended past MapAtLeast moves into a map and keeps growing
// there (remapped on Linux) with its contents intact; InUse counts the map
// while it lives and nothing once it is freed.
func TestAppendGrowsIntoAMap(t *testing.T) {
	before := InUse()
	var s []uint32
	const n = 3 * MapAtLeast // 12 MiB of uint32: several remaps
	wasMapped := false
	for i := range n {
		s = Append(s, uint32(i)*2654435761)
		if mapped(s) && !wasMapped {
			wasMapped = true
			if i*4 < MapAtLeast/2 {
				t.Errorf("mapped at %d elements, far below MapAtLeast", i)
			}
		}
	}
	if !wasMapped {
		t.Fatalf("%d uint32s never left the heap", n)
	}
	if got := InUse() - before; got < int64(cap(s))*4 {
		t.Errorf("InUse grew %d bytes, less than the map's %d", got, cap(s)*4)
	}
	for i, v := range s {
		if v != uint32(i)*2654435761 {
			t.Fatalf("element %d is %d after growing, want %d", i, v, uint32(i)*2654435761)
		}
	}
	Free(s)
	if got := InUse(); got != before {
		t.Errorf("InUse %d after Free, want %d as before", got, before)
	}
}

// Reserve makes room without changing the length; small arrays stay on
// the heap and Free leaves them alone.
func TestReserve(t *testing.T) {
	s := Append([]uint8(nil), 1, 2, 3)
	r := Reserve(s, 100)
	if len(r) != 3 || cap(r) < 103 || r[2] != 3 {
		t.Errorf("Reserve(3 bytes, 100): len %d cap %d, %v", len(r), cap(r), r)
	}
	if mapped(r) {
		t.Errorf("103 bytes mapped")
	}
	before := InUse()
	big := Reserve(r, MapAtLeast)
	if !mapped(big) || len(big) != 3 || big[0] != 1 || InUse()-before < MapAtLeast {
		t.Errorf("Reserve past MapAtLeast: mapped %t, len %d, InUse +%d", mapped(big), len(big), InUse()-before)
	}
	Free(big)
	Free(r) // on the heap: nothing to do
	if InUse() != before {
		t.Errorf("InUse %d after Free, want %d", InUse(), before)
	}
}
