package history

import (
	"bytes"
	"fmt"
	"sort"

	"olympos.io/encoding/edn"
)

// ReadEDN reads a history.edn that Jepsen's Kafka workload recorded
// (jepsen.tests.kafka): one operation map per line. It keeps the client
// operations (an integer :process) whose :f is send, poll, txn, assign,
// subscribe or crash, and drops the rest (nemesis operations,
// debug-topic-partitions). Keys are partitions. The error names the line.
func ReadEDN(data []byte, source string) (*ClientHistory, error) {
	h := &ClientHistory{Source: source}
	var last int64 = -1
	for i, raw := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line := bytes.TrimSpace(raw)
		if len(line) == 0 || line[0] == ';' {
			continue
		}
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", source, n, fmt.Sprintf(format, args...))
		}
		if err := checkEDNDepth(line); err != nil {
			return nil, bad("%v", err)
		}
		var form any
		if err := edn.Unmarshal(line, &form); err != nil {
			return nil, bad("not an EDN form (Jepsen writes one operation map per line): %s", clip(oneLine(err)))
		}
		m, ok := form.(map[any]any)
		if !ok {
			return nil, bad("an operation is an EDN map, such as {:type :invoke, :f :send, :process 0, ...}")
		}
		op, keep, err := ednOp(m)
		if err != nil {
			return nil, bad("%v", err)
		}
		if !keep {
			continue
		}
		if op.Index <= last {
			return nil, bad(":index %d does not follow %d", op.Index, last)
		}
		last = op.Index
		op.Line = n
		h.Ops = append(h.Ops, op)
	}
	return h, nil
}

func kw(s string) edn.Keyword { return edn.Keyword(s) }

// ednOp converts an operation map; keep is false for what the checker
// ignores.
func ednOp(m map[any]any) (ClientOp, bool, error) {
	var op ClientOp
	proc, isInt := m[kw("process")].(int64)
	if !isInt {
		return op, false, nil // the nemesis, or no process: not a client
	}
	f, _ := m[kw("f")].(edn.Keyword)
	switch string(f) {
	case FSend, FPoll, FTxn, FAssign, FSubscribe, FCrash:
	default:
		return op, false, nil
	}
	typ, _ := m[kw("type")].(edn.Keyword)
	op = ClientOp{Process: proc, F: string(f), Type: OpType(typ)}
	switch op.Type {
	case Invoke, OK, Fail, Info:
	default:
		return op, false, fmt.Errorf("unknown :type %s: use :invoke, :ok, :fail or :info", show(m[kw("type")]))
	}
	var ok bool
	if op.Index, ok = m[kw("index")].(int64); !ok {
		return op, false, fmt.Errorf("the operation has no :index")
	}
	if op.Time, ok = m[kw("time")].(int64); !ok {
		return op, false, fmt.Errorf("the operation has no :time")
	}
	value := m[kw("value")]
	switch op.F {
	case FSend, FPoll, FTxn:
		mops, ok := value.([]any)
		if !ok || len(mops) == 0 {
			return op, false, fmt.Errorf("a :%s's :value is a vector of micro-operations, such as [[:send 0 5]]", op.F)
		}
		for _, raw := range mops {
			mop, err := ednMop(raw)
			if err != nil {
				return op, false, err
			}
			op.Mops = append(op.Mops, mop)
		}
		if err := checkMops(&op); err != nil {
			return op, false, err
		}
	case FAssign, FSubscribe:
		keys, ok := value.([]any)
		if !ok {
			return op, false, fmt.Errorf("an :%s's :value is a collection of keys", op.F)
		}
		for _, k := range keys {
			key, err := ednKey(k)
			if err != nil {
				return op, false, fmt.Errorf("an :%s's keys: %v", op.F, err)
			}
			op.Keys = append(op.Keys, key)
		}
		op.SeekToBeginning, _ = m[kw("seek-to-beginning?")].(bool)
	}
	if log, ok := m[kw("rebalance-log")].([]any); ok {
		for _, entry := range log {
			e, _ := entry.(map[any]any)
			keys, _ := e[kw("keys")].([]any)
			for _, k := range keys {
				if key, err := ednKey(k); err == nil {
					op.Rebalanced = append(op.Rebalanced, key)
				}
			}
		}
	}
	return op, true, nil
}

// ednMop converts [:send k v], [:send k [offset v]], [:poll] or
// [:poll {k [[offset v] ...]}].
func ednMop(raw any) (Mop, error) {
	parts, ok := raw.([]any)
	if !ok || len(parts) == 0 {
		return Mop{}, fmt.Errorf("a micro-operation is a vector such as [:send 0 5] or [:poll], not %s", show(raw))
	}
	f, _ := parts[0].(edn.Keyword)
	switch {
	case string(f) == FSend && len(parts) == 3:
		key, err := ednKey(parts[1])
		if err != nil {
			return Mop{}, fmt.Errorf("a send's key: %v", err)
		}
		m := Mop{F: FSend, Key: key}
		switch v := parts[2].(type) {
		case int64:
			m.Value = v
		case []any:
			if len(v) != 2 {
				return m, fmt.Errorf("a sent value is [offset value], not %s", show(v))
			}
			val, ok := v[1].(int64)
			if !ok {
				return m, fmt.Errorf("a sent value %s is not an integer", show(v[1]))
			}
			m.Value = val
			if off, ok := v[0].(int64); ok {
				m.Offset, m.HasOffset = off, true
			} else if v[0] != nil {
				return m, fmt.Errorf("an offset %s is not an integer", show(v[0]))
			}
		default:
			return m, fmt.Errorf("a send's value %s is not an integer or [offset value]", show(parts[2]))
		}
		return m, nil
	case string(f) == FPoll && len(parts) == 1:
		return Mop{F: FPoll}, nil
	case string(f) == FPoll && len(parts) == 2:
		reads, ok := parts[1].(map[any]any)
		if !ok {
			return Mop{}, fmt.Errorf("a poll's result is a map {key [[offset value] ...]}, not %s", show(parts[1]))
		}
		m := Mop{F: FPoll, Done: true}
		for k, recs := range reads {
			key, err := ednKey(k)
			if err != nil {
				return m, fmt.Errorf("a poll's key: %v", err)
			}
			list, ok := recs.([]any)
			if !ok {
				return m, fmt.Errorf("a poll's records for key %s are not a vector", KeyText(key))
			}
			kr := KeyRead{Key: key}
			for _, r := range list {
				pair, ok := r.([]any)
				if !ok || len(pair) != 2 {
					return m, fmt.Errorf("a polled record is [offset value], not %s", show(r))
				}
				off, ok1 := pair[0].(int64)
				val, ok2 := pair[1].(int64)
				if !ok1 || !ok2 {
					return m, fmt.Errorf("a polled record %s is not two integers", show(r))
				}
				kr.Records = append(kr.Records, Record{Offset: off, Value: val})
			}
			m.Reads = append(m.Reads, kr)
		}
		sort.Slice(m.Reads, func(i, j int) bool { return compareKeys(m.Reads[i].Key, m.Reads[j].Key) < 0 })
		return m, nil
	}
	return Mop{}, fmt.Errorf("a micro-operation is [:send key value] or [:poll] (with its result once done), not %s", show(raw))
}
