package history

import (
	"bufio"
	"io"
	"strconv"
)

// WriteEDN writes the history as Jepsen's Kafka workload writes
// history.edn: one operation map per line, keys as they were written
// (KeyText), so that ReadEDN reads it back. electcheck's high watermarks
// have no place in Jepsen's format and are left out.
func (h *ClientHistory) WriteEDN(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var line []byte
	for i := range h.Ops {
		e := &h.Ops[i]
		line = append(line[:0], "{:index "...)
		line = strconv.AppendInt(line, e.Index, 10)
		line = append(line, ", :time "...)
		line = strconv.AppendInt(line, e.Time, 10)
		line = append(line, ", :type :"...)
		line = append(line, e.Type...)
		line = append(line, ", :process "...)
		line = strconv.AppendInt(line, e.Process, 10)
		line = append(line, ", :f :"...)
		line = append(line, e.F...)
		switch e.F {
		case FAssign, FSubscribe:
			line = append(line, ", :value ["...)
			for j, k := range e.Keys {
				if j > 0 {
					line = append(line, ' ')
				}
				line = append(line, KeyText(k)...)
			}
			line = append(line, ']')
			if e.SeekToBeginning {
				line = append(line, ", :seek-to-beginning? true"...)
			}
		case FCrash:
			line = append(line, ", :value nil"...)
		default:
			line = append(line, ", :value ["...)
			for j, m := range e.Mops {
				if j > 0 {
					line = append(line, ' ')
				}
				line = m.appendEDN(line)
			}
			line = append(line, ']')
		}
		if len(e.Rebalanced) > 0 {
			line = append(line, ", :rebalance-log [{:keys ["...)
			for j, k := range e.Rebalanced {
				if j > 0 {
					line = append(line, ' ')
				}
				line = append(line, KeyText(k)...)
			}
			line = append(line, "]}]"...)
		}
		line = append(line, "}\n"...)
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendEDN appends [:send k v], [:send k [offset v]], [:poll] or
// [:poll {k [[offset v] ...]}].
func (m Mop) appendEDN(b []byte) []byte {
	if m.F == FSend {
		b = append(b, "[:send "...)
		b = append(b, KeyText(m.Key)...)
		b = append(b, ' ')
		if m.HasOffset {
			b = append(b, '[')
			b = strconv.AppendInt(b, m.Offset, 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, m.Value, 10)
			return append(b, "]]"...)
		}
		b = strconv.AppendInt(b, m.Value, 10)
		return append(b, ']')
	}
	if !m.Done {
		return append(b, "[:poll]"...)
	}
	b = append(b, "[:poll {"...)
	for j, r := range m.Reads {
		if j > 0 {
			b = append(b, ", "...)
		}
		b = append(b, KeyText(r.Key)...)
		b = append(b, " ["...)
		for n, rec := range r.Records {
			if n > 0 {
				b = append(b, ' ')
			}
			b = append(b, '[')
			b = strconv.AppendInt(b, rec.Offset, 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, rec.Value, 10)
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, "}]"...)
}
