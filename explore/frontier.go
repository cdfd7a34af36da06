package explore

import (
	"electcheck/internal/offheap"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
)

// A frontier is one BFS level's states, in the order they were numbered:
// their ids are consecutive from firstID. States are kept as canonical
// bytes, delta-coded against the state before them in blocks of at most
// blockStates (each block decodes on its own, so workers expand blocks in
// parallel), and the blocks are packed into large off-heap slabs. With a
// spill file, full slabs are written to disk as they fill and read back,
// a window at a time, in order, as TLC keeps its queue on disk: memory
// then holds one slab being written and one window being read.
type frontier struct {
	firstID uint32
	n       int
	blocks  []blockRef
	// In memory: the slabs holding the blocks. Spilled: slabs[0] is the
	// write buffer, and off counts bytes already written to the file.
	slabs [][]byte
	used  int // bytes used in the last slab
	spill *os.File
	off   int64
	// raw and coded count the bytes before and after coding.
	raw, coded int64
}

// blockRef is where a block lies: slab and offset in memory, or offset in
// the spill file (slab -1).
type blockRef struct {
	n    int32
	slab int32
	off  int64
	len  int32
}

// A block starts with its mode: raw states (a uvarint length and the
// bytes) or delta-coded ones. Coding costs time (a tenth of a small
// model's search) and saves memory (two thirds of the Kafka model's
// frontier), so a level is coded once the level before it took codeAbove
// bytes raw, and always when it goes to disk.
const (
	blockRaw   byte = 0
	blockDelta byte = 1
)

var codeAbove int64 = 64 << 20

const (
	// blockStates bounds a block: the unit of work of an expansion.
	blockStates = 256
	// slabBytes is the size of a slab of coded blocks.
	slabBytes = 8 << 20
)

func (f *frontier) len() int { return f.n }

// appendBlock adds a coded block of n states.
func (f *frontier) appendBlock(data []byte, n int, raw int) error {
	if n == 0 {
		return nil
	}
	if len(data) > slabBytes {
		return fmt.Errorf("explore: a block of %d states codes to %d bytes, more than a slab", n, len(data))
	}
	if len(f.slabs) == 0 || f.used+len(data) > slabBytes {
		if err := f.newSlab(); err != nil {
			return err
		}
	}
	last := len(f.slabs) - 1
	ref := blockRef{n: int32(n), slab: int32(last), off: int64(f.used), len: int32(len(data))}
	if f.spill != nil {
		ref.slab, ref.off = -1, f.off+int64(f.used)
	}
	copy(f.slabs[last][f.used:], data)
	f.used += len(data)
	f.blocks = append(f.blocks, ref)
	f.n += n
	f.raw += int64(raw)
	f.coded += int64(len(data))
	return nil
}

// newSlab starts a slab: in memory a new one, spilled the same one after
// writing it out.
func (f *frontier) newSlab() error {
	if f.spill == nil {
		f.slabs = append(f.slabs, offheap.Bytes(slabBytes))
		f.used = 0
		return nil
	}
	if len(f.slabs) == 0 {
		f.slabs = append(f.slabs, offheap.Bytes(slabBytes))
	}
	return f.flush()
}

// flush writes a spilled frontier's buffered blocks to its file.
func (f *frontier) flush() error {
	if f.spill == nil || f.used == 0 {
		return nil
	}
	if _, err := f.spill.WriteAt(f.slabs[0][:f.used], f.off); err != nil {
		return fmt.Errorf("explore: cannot write the frontier to --frontier-dir: %v", err)
	}
	f.off += int64(f.used)
	f.used = 0
	return nil
}

// window returns the coded data of blocks [lo, hi), each as a slice: in
// memory into the slabs, spilled into buf (read from the file at once).
func (f *frontier) window(lo, hi int, buf []byte, out [][]byte) ([]byte, [][]byte, error) {
	out = out[:0]
	if f.spill == nil {
		for _, b := range f.blocks[lo:hi] {
			out = append(out, f.slabs[b.slab][b.off:b.off+int64(b.len)])
		}
		return buf, out, nil
	}
	start := f.blocks[lo].off
	end := f.blocks[hi-1].off + int64(f.blocks[hi-1].len)
	if cap(buf) < int(end-start) {
		buf = make([]byte, end-start)
	}
	buf = buf[:end-start]
	if _, err := f.spill.ReadAt(buf, start); err != nil {
		return buf, out, fmt.Errorf("explore: cannot read the frontier back from --frontier-dir: %v", err)
	}
	for _, b := range f.blocks[lo:hi] {
		out = append(out, buf[b.off-start:b.off-start+int64(b.len)])
	}
	return buf, out, nil
}

// reset empties the frontier for reuse as the level after next, keeping
// one slab.
func (f *frontier) reset(firstID uint32) error {
	for _, s := range f.slabs[min(len(f.slabs), 1):] {
		offheap.FreeBytes(s)
	}
	f.slabs = f.slabs[:min(len(f.slabs), 1)]
	f.firstID, f.n, f.blocks, f.used, f.off, f.raw, f.coded = firstID, 0, f.blocks[:0], 0, 0, 0, 0
	if f.spill != nil {
		if err := f.spill.Truncate(0); err != nil {
			return fmt.Errorf("explore: cannot reuse the frontier file in --frontier-dir: %v", err)
		}
	}
	return nil
}

// spillAbove is the size at which frontiers that may spill (a frontier
// directory is given) go to disk: below it, a search never touches the disk.
var spillAbove int64 = 64 << 20

// toDisk moves an in-memory frontier to a new file in dir: its blocks are
// written out in order, and from then on it keeps only a write buffer.
func (f *frontier) toDisk(dir string) error {
	file, err := os.CreateTemp(dir, "electcheck-frontier-*")
	if err != nil {
		return fmt.Errorf("explore: cannot use --frontier-dir: %v", err)
	}
	used := make([]int64, len(f.slabs))
	for _, b := range f.blocks {
		used[b.slab] = max(used[b.slab], b.off+int64(b.len))
	}
	offs := make([]int64, len(f.slabs))
	var total int64
	for i, s := range f.slabs {
		offs[i] = total
		if used[i] > 0 {
			if _, err := file.WriteAt(s[:used[i]], total); err != nil {
				file.Close()
				os.Remove(file.Name())
				return fmt.Errorf("explore: cannot write the frontier to --frontier-dir: %v", err)
			}
		}
		total += used[i]
	}
	for i := range f.blocks {
		b := &f.blocks[i]
		b.off, b.slab = offs[b.slab]+b.off, -1
	}
	for _, s := range f.slabs[min(len(f.slabs), 1):] {
		offheap.FreeBytes(s)
	}
	f.slabs = f.slabs[:min(len(f.slabs), 1)]
	f.spill, f.off, f.used = file, total, 0
	return nil
}

// bytes is the memory the frontier holds.
func (f *frontier) bytes() int64 {
	return int64(len(f.slabs))*slabBytes + int64(cap(f.blocks))*24
}

// free returns the frontier's memory and removes its file.
func (f *frontier) free() {
	for _, s := range f.slabs {
		offheap.FreeBytes(s)
	}
	f.slabs = nil
	if f.spill != nil {
		name := f.spill.Name()
		f.spill.Close()
		os.Remove(name)
		f.spill = nil
	}
}

// The coding of a state against the one before it in its block (the
// first against nothing): its length as a uvarint, then for each 64-byte
// stretch of it a bit per 8-byte group that differs (a byte, 0 if none),
// then for each such group a bit per byte that differs (a byte), then
// the bytes that differ. Successors of one state sit together and differ
// in a few fields, so most groups cost one bit.

// encodeDelta appends s coded against prev to dst.
func encodeDelta(dst, prev, s []byte) []byte {
	n := len(s)
	dst = binary.AppendUvarint(dst, uint64(n))
	// At most: every byte, a mask per group, a group mask per 64 bytes.
	start := len(dst)
	dst = slices.Grow(dst, n+(n+7)/8+(n+63)/64)
	out := dst[start : start+n+(n+7)/8+(n+63)/64]
	w := 0
	for base := 0; base < n; base += 64 {
		maskAt := w
		w++
		var groups byte
		for g := 0; g < 8 && base+g*8 < n; g++ {
			lo := base + g*8
			if lo+8 <= n && lo+8 <= len(prev) {
				// A whole group in both: compare it as one word.
				x := binary.LittleEndian.Uint64(s[lo:]) ^ binary.LittleEndian.Uint64(prev[lo:])
				if x == 0 {
					continue
				}
				groups |= 1 << g
				at := w
				w++
				var m byte
				for i := 0; x != 0; i, x = i+1, x>>8 {
					if x&0xff != 0 {
						m |= 1 << i
						out[w] = s[lo+i]
						w++
					}
				}
				out[at] = m
				continue
			}
			at := w
			w++
			var m byte
			for i := lo; i < min(lo+8, n); i++ {
				if i >= len(prev) || prev[i] != s[i] {
					m |= 1 << (i - lo)
					out[w] = s[i]
					w++
				}
			}
			if m == 0 {
				w = at
				continue
			}
			groups |= 1 << g
			out[at] = m
		}
		out[maskAt] = groups
	}
	return dst[:start+w]
}

// decodeDelta decodes the state at data[pos:] over prev (the state before
// it, decoded in place: on return prev holds the state) and returns the
// position after it.
func decodeDelta(data []byte, pos int, prev []byte) ([]byte, int, error) {
	n, k := binary.Uvarint(data[pos:])
	if k <= 0 || n > 1<<30 {
		return prev, 0, fmt.Errorf("explore: a frontier block is corrupt")
	}
	pos += k
	if cap(prev) < int(n) {
		grown := make([]byte, n)
		copy(grown, prev)
		prev = grown
	}
	prev = prev[:n]
	for base := 0; base < int(n); base += 64 {
		if pos >= len(data) {
			return prev, 0, fmt.Errorf("explore: a frontier block is corrupt")
		}
		groups := data[pos]
		pos++
		for g := 0; groups != 0; g, groups = g+1, groups>>1 {
			if groups&1 == 0 {
				continue
			}
			if pos >= len(data) {
				return prev, 0, fmt.Errorf("explore: a frontier block is corrupt")
			}
			mask := data[pos]
			pos++
			for i := base + g*8; mask != 0; i, mask = i+1, mask>>1 {
				if mask&1 != 0 {
					if pos >= len(data) || i >= int(n) {
						return prev, 0, fmt.Errorf("explore: a frontier block is corrupt")
					}
					prev[i] = data[pos]
					pos++
				}
			}
		}
	}
	return prev, pos, nil
}
