package history

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"olympos.io/encoding/edn"
)

// Keys. A history's keys are int64s everywhere in this package. Jepsen's
// Kafka workload writes integer keys, which are their own ids; Maelstrom's
// writes strings, and EDN allows any scalar (keywords, symbols, ...). Such a
// key is given an id from a process-wide table of names, in a range no
// integer key may use (below minIntegerKey), and is printed as it was
// written (KeyText). The table only grows: ids are never reused, and it
// holds one entry per distinct key written, which for any history is small.

// minIntegerKey is the least integer a key may be; ids below are names.
const minIntegerKey = -(1 << 62)

var keyNames struct {
	sync.Mutex
	ids   map[string]int64
	names []string
}

// namedKey returns the id of the key written as text.
func namedKey(text string) int64 {
	keyNames.Lock()
	defer keyNames.Unlock()
	if id, ok := keyNames.ids[text]; ok {
		return id
	}
	if keyNames.ids == nil {
		keyNames.ids = map[string]int64{}
	}
	id := math.MinInt64 + int64(len(keyNames.names))
	keyNames.ids[text] = id
	keyNames.names = append(keyNames.names, text)
	return id
}

// StringKey is the id of the string key s, as ReadEDN gives it for "s"
// (Maelstrom's kafka workload writes its keys as strings).
func StringKey(s string) int64 { return namedKey(strconv.Quote(s)) }

// isNamed reports whether id is a named key's.
func isNamed(id int64) bool { return id < minIntegerKey }

// KeyText is key k as the history wrote it: an integer, or a name (a
// string "a" as "a" with its quotes in EDN, a keyword as :a).
func KeyText(k int64) string {
	if !isNamed(k) {
		return strconv.FormatInt(k, 10)
	}
	keyNames.Lock()
	defer keyNames.Unlock()
	if i := k - math.MinInt64; i < int64(len(keyNames.names)) {
		return keyNames.names[i]
	}
	return "?" // not an id this package gave out
}

// KeyJSON is key k in JSON: a number, or its text as a string.
func KeyJSON(k int64) json.RawMessage {
	if !isNamed(k) {
		return json.RawMessage(strconv.FormatInt(k, 10))
	}
	b, _ := json.Marshal(KeyText(k))
	return b
}

// compareKeys orders keys: integers by value, then names by their text,
// so that an order never depends on which history named a key first.
func compareKeys(a, b int64) int {
	switch na, nb := isNamed(a), isNamed(b); {
	case na && nb:
		return cmp.Compare(KeyText(a), KeyText(b))
	case na != nb:
		if na {
			return 1
		}
		return -1
	}
	return cmp.Compare(a, b)
}

// ednKey is the id of an EDN scalar read as a key: an integer is itself
// (from minIntegerKey up); any other scalar is named by its EDN text.
func ednKey(v any) (int64, error) {
	switch k := v.(type) {
	case int64:
		if k < minIntegerKey {
			return 0, fmt.Errorf("key %d is below %d, the least integer key this reader takes", k, int64(minIntegerKey))
		}
		return k, nil
	case string:
		if len(k) > maxKeyText {
			return 0, fmt.Errorf("a key of %d bytes: keys are at most %d", len(k), maxKeyText)
		}
		return namedKey(strconv.Quote(k)), nil
	case edn.Keyword:
		if len(k) > maxKeyText {
			return 0, fmt.Errorf("a key of %d bytes: keys are at most %d", len(k), maxKeyText)
		}
		return namedKey(":" + string(k)), nil
	case edn.Symbol:
		if len(k) > maxKeyText {
			return 0, fmt.Errorf("a key of %d bytes: keys are at most %d", len(k), maxKeyText)
		}
		return namedKey(string(k)), nil
	case bool:
		return namedKey(strconv.FormatBool(k)), nil
	case float64:
		return namedKey(strconv.FormatFloat(k, 'g', -1, 64)), nil
	case int32: // an EDN character
		if !utf8.ValidRune(k) {
			return 0, fmt.Errorf("a key is an invalid character")
		}
		return namedKey(`\` + string(k)), nil
	}
	return 0, fmt.Errorf("a key is a scalar (an integer, string, keyword, symbol, ...), not %s", show(v))
}

// maxKeyText bounds a named key's text.
const maxKeyText = 1 << 10
