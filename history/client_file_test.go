package history

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

const header = `{"format":"electcheck-history","version":1}` + "\n"

// A history written and read back is the same history.
func TestJSONLRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 200; i++ {
		h := randomHistory(r, 4, 30)
		h.Ops = append(h.Ops, ClientOp{Index: int64(len(h.Ops)), Time: 99, Type: Invoke, Process: 9, F: FAssign, Keys: []int64{0, 1}, SeekToBeginning: true})
		var buf bytes.Buffer
		if err := h.WriteJSONL(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadJSONL(buf.Bytes(), "test")
		if err != nil {
			t.Fatalf("%v\n%s", err, buf.String())
		}
		for j := range back.Ops {
			back.Ops[j].Line = 0
		}
		if !reflect.DeepEqual(normalize(h.Ops), normalize(back.Ops)) {
			t.Fatalf("history %d does not read back the same:\n%s", i, buf.String())
		}
	}
}

// normalize makes empty and nil slices alike.
func normalize(ops []ClientOp) []ClientOp {
	out := append([]ClientOp(nil), ops...)
	for i := range out {
		if len(out[i].Mops) == 0 {
			out[i].Mops = nil
		}
		for j := range out[i].Mops {
			if len(out[i].Mops[j].Reads) == 0 {
				out[i].Mops[j].Reads = nil
			}
			for k := range out[i].Mops[j].Reads {
				if len(out[i].Mops[j].Reads[k].Records) == 0 {
					out[i].Mops[j].Reads[k].Records = nil
				}
			}
		}
	}
	return out
}

// Bad input: one line, naming the file and the line.
func TestHistoryFilesRejected(t *testing.T) {
	jsonl := map[string]string{
		"":                            "empty",
		"{}\n":                        "test:1: the first line must be the header",
		header + `{"index":0}` + "\n": "test:2: an event needs",
		header + "not json\n":         "test:2: not an event",
		header + `{"index":0,"time":0,"type":"invoke","process":0,"f":"write","value":[]}` + "\n":                  `test:2: unknown f "write"`,
		header + `{"index":0,"time":0,"type":"done","process":0,"f":"send","value":[["send",0,1]]}` + "\n":         `test:2: unknown type "done"`,
		header + `{"index":0,"time":0,"type":"invoke","process":0,"f":"send","value":[["send",0,1]],"x":1}` + "\n": "test:2: not an event",
		header + `{"index":0,"time":0,"type":"invoke","process":0,"f":"send","value":[["poll"]]}` + "\n":           "holds only send",
		header + `{"index":0,"time":0,"type":"invoke","process":0,"f":"send","value":[["send",0,[1,1]]]}` + "\n":   "an invocation carries no results",
		header + `{"index":1,"time":0,"type":"invoke","process":0,"f":"poll","value":[["poll"]]}` + "\n" +
			`{"index":1,"time":0,"type":"ok","process":0,"f":"poll","value":[["poll",{}]]}` + "\n": "test:3: index 1 does not follow 1",
		`{"format":"electcheck-history","version":2}` + "\n": "history version 2",
	}
	for in, want := range jsonl {
		_, err := ReadJSONL([]byte(in), "test")
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v; want one line mentioning %q", in, err, want)
		}
	}
	pairs := map[string]string{
		header + `{"index":0,"time":0,"type":"ok","process":0,"f":"poll","value":[["poll",{}]]}` + "\n": "test:2: a completion (ok poll) without its invocation",
		header + `{"index":0,"time":5,"type":"invoke","process":0,"f":"poll","value":[["poll"]]}` + "\n" +
			`{"index":1,"time":4,"type":"ok","process":0,"f":"poll","value":[["poll",{}]]}` + "\n": "test:3: process 0's poll returns at time 4, before its call at 5",
		header + `{"index":0,"time":0,"type":"invoke","process":0,"f":"poll","value":[["poll"]]}` + "\n" +
			`{"index":1,"time":0,"type":"invoke","process":0,"f":"poll","value":[["poll"]]}` + "\n": "test:3: process 0 invokes poll while its poll is still open",
		header + `{"index":0,"time":0,"type":"invoke","process":0,"f":"send","value":[["send",0,1]]}` + "\n" +
			`{"index":1,"time":0,"type":"invoke","process":1,"f":"send","value":[["send",0,1]]}` + "\n": "value 1 is sent to key 0 twice",
	}
	for in, want := range pairs {
		h, err := ReadJSONL([]byte(in), "test")
		if err == nil {
			_, err = h.Pair()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", in, err, want)
		}
	}
	edn := map[string]string{
		"{:index 0 :type :invoke\n": "test:1: not an EDN form",
		"[1 2]\n":                   "test:1: an operation is an EDN map",
		"{:index 0, :time 0, :type :begin, :process 0, :f :send, :value [[:send 0 1]]}\n":     `unknown :type`,
		"{:index 0, :time 0, :type :invoke, :process 0, :f :send, :value [[:send [:a] 1]]}\n": "a key is a scalar (an integer, string, keyword, symbol, ...), not [:a]",
		"{:index 0, :time 0, :type :ok, :process 0, :f :poll, :value [[:poll {0 [[1]]}]]}\n":  "a polled record is [offset value]",
		"{:index 0, :type :invoke, :process 0, :f :poll, :value [[:poll]]}\n":                 "no :time",
	}
	for in, want := range edn {
		_, err := ReadEDN([]byte(in), "test")
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v; want one line mentioning %q", in, err, want)
		}
	}
	// Nemesis operations and other functions are not the checker's.
	h, err := ReadEDN([]byte("{:index 0, :time 0, :type :info, :process :nemesis, :f :start-partition}\n"+
		"{:index 1, :time 1, :type :invoke, :process 0, :f :debug-topic-partitions, :value (0)}\n"), "test")
	if err != nil || len(h.Ops) != 0 {
		t.Errorf("%v, %d operations kept", err, len(h.Ops))
	}
}

func FuzzReadJSONL(f *testing.F) {
	var buf bytes.Buffer
	_ = randomHistory(rand.New(rand.NewPCG(1, 2)), 3, 12).WriteJSONL(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte(header + `{"index":0,"time":0,"type":"ok","process":0,"f":"assign","value":[0],"seek_to_beginning":true}`))
	// Deep and wide: nesting past the decoder's limit, a long value quoted.
	f.Add([]byte(header + `{"index":0,"time":0,"type":"invoke","process":0,"f":"send","value":[["send",1,` + strings.Repeat("[", 20000) + "]]}"))
	f.Add([]byte(header + `{"index":0,"time":0,"type":"invoke","process":0,"f":"send","value":[["send","` + strings.Repeat("k", 5000) + `",1]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadJSONL(data, "fuzz")
		if err != nil {
			shortError(t, err)
			return
		}
		checkAll(t, h)
	})
}

func FuzzReadEDN(f *testing.F) {
	f.Add([]byte("{:index 0, :time 1, :type :invoke, :process 5, :f :send, :value [[:send 7 42]]}\n" +
		"{:index 1, :time 2, :type :ok, :process 5, :f :send, :value [[:send 7 [118 42]]]}\n" +
		"{:index 2, :time 3, :type :ok, :process 4, :f :txn, :value [[:poll {7 [[119 43]]}] [:send 9 [4 13]]], :rebalance-log ({:type :assigned, :keys [7 9]})}\n"))
	f.Add([]byte("{:index 4, :time 5, :type :invoke, :process 2, :f :assign, :value (7 9), :seek-to-beginning? true}\n"))
	// Any key, and deep and wide input: nesting past the limit in a value
	// and in an ignored field, a wide vector quoted back.
	f.Add([]byte(`{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value [[:send "k7" 1] [:send :k 2]]}` + "\n"))
	f.Add([]byte(`{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value [[:send 1 ` + strings.Repeat("[", 5000) + "]]}\n"))
	f.Add([]byte(`{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value [[:send 1 2]], :x #{` + strings.Repeat("[(", 3000) + "}\n"))
	f.Add([]byte(`{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value [[:send [` + strings.Repeat("1 ", 5000) + "] 2]]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadEDN(data, "fuzz")
		if err != nil {
			shortError(t, err)
			return
		}
		checkAll(t, h)
	})
}

// shortError fails unless a refusal is one line that a person can read:
// what it quotes of the input is clipped.
func shortError(t testing.TB, err error) {
	t.Helper()
	if msg := err.Error(); strings.Contains(msg, "\n") || len(msg) > 600 {
		t.Fatalf("an error of %d bytes, or on several lines: %.200q", len(msg), msg)
	}
}

// checkAll runs every check on a history that reads: they may refuse it
// (not well formed), never panic, and the two checkers never disagree.
func checkAll(t testing.TB, h *ClientHistory) {
	t.Helper()
	ops, err := h.Pair()
	if err != nil {
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("multi-line error %q", err)
		}
		return
	}
	Analyze(ops)
	if _, err := Linearize(ops, 0); err != nil {
		t.Fatal(err)
	}
}
