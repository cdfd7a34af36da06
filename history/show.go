package history

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"olympos.io/encoding/edn"
)

// Error messages quote what they refuse, and what they refuse may be a
// megabyte vector nested a thousand deep: show and clip quote at most
// shownBytes of it, on one line, without recursing into what they leave out.

const shownBytes = 80

// show is an EDN value read from a file, as a message quotes it.
func show(v any) string {
	var b strings.Builder
	showInto(&b, v, 0)
	return clip(b.String())
}

// showInto writes v into b until b holds more than shownBytes; depth stops
// what the nesting limit lets through from costing more than that.
func showInto(b *strings.Builder, v any, depth int) {
	if b.Len() > shownBytes {
		return
	}
	if depth > 8 {
		b.WriteString("…")
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("nil")
	case string:
		b.WriteString(strconv.Quote(clip(x)))
	case edn.Keyword:
		b.WriteString(":" + clip(string(x)))
	case edn.Symbol:
		b.WriteString(clip(string(x)))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if b.Len() > shownBytes {
				break
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			showInto(b, e, depth+1)
		}
		b.WriteByte(']')
	case map[any]any:
		// Sorted by their text, so that a message is the same every run.
		keys := make([]string, 0, len(x))
		vals := map[string]any{}
		for k, e := range x {
			var kb strings.Builder
			showInto(&kb, k, depth+1)
			keys = append(keys, kb.String())
			vals[kb.String()] = e
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if b.Len() > shownBytes {
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k + " ")
			showInto(b, vals[k], depth+1)
		}
		b.WriteByte('}')
	case map[any]bool:
		fmt.Fprintf(b, "#{%d elements}", len(x))
	default:
		b.WriteString(clip(fmt.Sprint(x)))
	}
}

// clip cuts s to shownBytes (on a rune boundary, with an ellipsis) and onto
// one line.
func clip(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= shownBytes {
		return s
	}
	cut := shownBytes
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
