package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// HistoryFormat and HistoryVersion identify electcheck's history files:
// JSON Lines, a header line, then one event per line with Jepsen's field
// names (docs/histories.md).
const (
	HistoryFormat  = "electcheck-history"
	HistoryVersion = 1
)

type jsonHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Source  string `json:"source,omitempty"`
}

type jsonOp struct {
	Index           *int64           `json:"index"`
	Time            *int64           `json:"time"`
	Type            string           `json:"type"`
	Process         *int64           `json:"process"`
	F               string           `json:"f"`
	Value           json.RawMessage  `json:"value,omitempty"`
	HW              map[string]int64 `json:"hw,omitempty"`
	SeekToBeginning bool             `json:"seek_to_beginning,omitempty"`
	Rebalanced      []int64          `json:"rebalanced,omitempty"`
	Error           json.RawMessage  `json:"error,omitempty"`
}

// ReadJSONL reads a history file. The error names the line and says what
// is wrong.
func ReadJSONL(data []byte, source string) (*ClientHistory, error) {
	h := &ClientHistory{Source: source}
	lines := bytes.Split(data, []byte("\n"))
	header := false
	var last int64 = -1
	for i, raw := range lines {
		n := i + 1
		line := bytes.TrimSpace(raw)
		if len(line) == 0 {
			continue
		}
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", source, n, fmt.Sprintf(format, args...))
		}
		if !header {
			var hd jsonHeader
			if err := strictJSON(line, &hd); err != nil || hd.Format != HistoryFormat {
				return nil, bad("the first line must be the header {\"format\": %q, \"version\": %d}", HistoryFormat, HistoryVersion)
			}
			if hd.Version != HistoryVersion {
				return nil, bad("history version %d: this electcheck reads version %d", hd.Version, HistoryVersion)
			}
			header = true
			continue
		}
		var jo jsonOp
		if err := strictJSON(line, &jo); err != nil {
			return nil, bad("not an event: %s", clip(oneLine(err)))
		}
		if jo.Index == nil || jo.Time == nil || jo.Process == nil {
			return nil, bad("an event needs index, time, type, process and f")
		}
		if *jo.Index <= last {
			return nil, bad("index %d does not follow %d", *jo.Index, last)
		}
		last = *jo.Index
		op := ClientOp{Index: *jo.Index, Time: *jo.Time, Type: OpType(jo.Type), Process: *jo.Process, F: jo.F,
			SeekToBeginning: jo.SeekToBeginning, Rebalanced: jo.Rebalanced, Line: n}
		if err := decodeValue(&op, jo.Value, jo.HW); err != nil {
			return nil, bad("%v", err)
		}
		h.Ops = append(h.Ops, op)
	}
	if !header {
		return nil, fmt.Errorf("%s: empty: a history file starts with the header {\"format\": %q, \"version\": %d}", source, HistoryFormat, HistoryVersion)
	}
	return h, nil
}

// strictJSON decodes one JSON value with no unknown field and nothing after.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the JSON object")
	}
	return nil
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

// decodeValue reads an event's value for its function.
func decodeValue(op *ClientOp, value json.RawMessage, hw map[string]int64) error {
	switch op.Type {
	case Invoke, OK, Fail, Info:
	default:
		return fmt.Errorf("unknown type %q: use invoke, ok, fail or info", clip(string(op.Type)))
	}
	switch op.F {
	case FSend, FPoll, FTxn:
		var mops []json.RawMessage
		if err := json.Unmarshal(value, &mops); err != nil || len(mops) == 0 {
			return fmt.Errorf("a %s's value is a list of micro-operations, such as [[\"send\", 0, 5]] or [[\"poll\"]]", op.F)
		}
		for _, raw := range mops {
			m, err := decodeMop(raw, op.Type != Invoke)
			if err != nil {
				return err
			}
			op.Mops = append(op.Mops, m)
		}
		if err := checkMops(op); err != nil {
			return err
		}
		return applyHW(op, hw)
	case FAssign, FSubscribe:
		if err := json.Unmarshal(value, &op.Keys); err != nil {
			return fmt.Errorf("an %s's value is a list of keys, such as [0, 1]", op.F)
		}
	case FCrash:
		if len(value) > 0 && string(value) != "null" {
			return fmt.Errorf("a crash has no value")
		}
	default:
		return fmt.Errorf("unknown f %q: use send, poll, txn, assign, subscribe or crash", clip(op.F))
	}
	if len(hw) > 0 {
		return fmt.Errorf("only a poll's completion carries hw")
	}
	return nil
}

// decodeMop reads ["send", key, value], ["send", key, [offset, value]],
// ["poll"] or ["poll", {"key": [[offset, value], ...]}].
func decodeMop(raw json.RawMessage, completed bool) (Mop, error) {
	var parts []json.RawMessage
	var f string
	if json.Unmarshal(raw, &parts) != nil || len(parts) == 0 || json.Unmarshal(parts[0], &f) != nil {
		return Mop{}, fmt.Errorf("a micro-operation is [\"send\", key, value] or [\"poll\", ...], not %s", clip(string(raw)))
	}
	switch {
	case f == FSend && len(parts) == 3:
		m := Mop{F: FSend}
		if json.Unmarshal(parts[1], &m.Key) != nil {
			return m, fmt.Errorf("a send's key is a whole number, not %s", clip(string(parts[1])))
		}
		var pair []*int64
		if json.Unmarshal(parts[2], &pair) == nil && len(pair) == 2 && pair[1] != nil {
			m.Value = *pair[1]
			if pair[0] != nil {
				m.Offset, m.HasOffset = *pair[0], true
			}
			return m, nil
		}
		if json.Unmarshal(parts[2], &m.Value) != nil {
			return m, fmt.Errorf("a send's value is a whole number, or [offset, value] once sent, not %s", clip(string(parts[2])))
		}
		return m, nil
	case f == FPoll && len(parts) == 1:
		return Mop{F: FPoll}, nil
	case f == FPoll && len(parts) == 2:
		var reads map[string][][2]int64
		if err := json.Unmarshal(parts[1], &reads); err != nil {
			return Mop{}, fmt.Errorf("a poll's result is {\"key\": [[offset, value], ...]}, not %s", clip(string(parts[1])))
		}
		m := Mop{F: FPoll, Done: true}
		for k, recs := range reads {
			key, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				return m, fmt.Errorf("a poll's key %q is not a whole number", clip(k))
			}
			kr := KeyRead{Key: key}
			for _, r := range recs {
				kr.Records = append(kr.Records, Record{Offset: r[0], Value: r[1]})
			}
			m.Reads = append(m.Reads, kr)
		}
		sort.Slice(m.Reads, func(i, j int) bool { return m.Reads[i].Key < m.Reads[j].Key })
		return m, nil
	}
	return Mop{}, fmt.Errorf("a micro-operation is [\"send\", key, value] or [\"poll\"] (with its result once done), not %s", clip(string(raw)))
}

// checkMops checks a send, poll or txn's micro-operations against its
// function and type: a send holds sends, a poll polls; an invocation has
// no results.
func checkMops(op *ClientOp) error {
	for _, m := range op.Mops {
		switch {
		case op.F == FSend && m.F != FSend, op.F == FPoll && m.F != FPoll:
			return fmt.Errorf("a %s holds only %s micro-operations", op.F, op.F)
		case op.Type == Invoke && (m.HasOffset || m.Done):
			return fmt.Errorf("an invocation carries no results")
		}
	}
	return nil
}

// applyHW attaches a poll's high watermarks to the keys it read.
func applyHW(op *ClientOp, hw map[string]int64) error {
	if len(hw) == 0 {
		return nil
	}
	if op.Type == Invoke || op.F == FSend {
		return fmt.Errorf("only a poll's completion carries hw")
	}
	for k, h := range hw {
		key, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return fmt.Errorf("hw's key %q is not a whole number", clip(k))
		}
		found := false
		for i := range op.Mops {
			m := &op.Mops[i]
			if m.F != FPoll || !m.Done {
				continue
			}
			for j := range m.Reads {
				if m.Reads[j].Key == key {
					m.Reads[j].HW, m.Reads[j].HasHW, found = h, true, true
				}
			}
			if !found {
				m.Reads = append(m.Reads, KeyRead{Key: key, HW: h, HasHW: true})
				sort.Slice(m.Reads, func(i, j int) bool { return m.Reads[i].Key < m.Reads[j].Key })
				found = true
			}
		}
		if !found {
			return fmt.Errorf("hw names key %d, which no poll of the event read", key)
		}
	}
	return nil
}

// WriteJSONL writes the history as a history file.
func (h *ClientHistory) WriteJSONL(w io.Writer) error {
	bw := bufio.NewWriter(w)
	hd, _ := json.Marshal(jsonHeader{Format: HistoryFormat, Version: HistoryVersion, Source: h.Source})
	bw.Write(hd)
	bw.WriteByte('\n')
	for i := range h.Ops {
		e := &h.Ops[i]
		idx, t, p := e.Index, e.Time, e.Process
		jo := jsonOp{Index: &idx, Time: &t, Type: string(e.Type), Process: &p, F: e.F,
			SeekToBeginning: e.SeekToBeginning, Rebalanced: e.Rebalanced}
		switch e.F {
		case FAssign, FSubscribe:
			jo.Value, _ = json.Marshal(e.Keys)
		case FCrash:
		default:
			var mops []any
			for _, m := range e.Mops {
				mops = append(mops, m.jsonValue())
				for _, r := range m.Reads {
					if r.HasHW {
						if jo.HW == nil {
							jo.HW = map[string]int64{}
						}
						jo.HW[strconv.FormatInt(r.Key, 10)] = r.HW
					}
				}
			}
			jo.Value, _ = json.Marshal(mops)
		}
		line, err := json.Marshal(jo)
		if err != nil {
			return err
		}
		bw.Write(line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func (m Mop) jsonValue() any {
	if m.F == FSend {
		if m.HasOffset {
			return []any{FSend, m.Key, []int64{m.Offset, m.Value}}
		}
		return []any{FSend, m.Key, m.Value}
	}
	if !m.Done {
		return []any{FPoll}
	}
	reads := map[string][][2]int64{}
	for _, r := range m.Reads {
		recs := [][2]int64{}
		for _, rec := range r.Records {
			recs = append(recs, [2]int64{rec.Offset, rec.Value})
		}
		reads[strconv.FormatInt(r.Key, 10)] = recs
	}
	return []any{FPoll, reads}
}
