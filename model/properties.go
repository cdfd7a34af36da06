package model

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Property is one key=value pair of a .properties file.
type Property struct {
	Key, Value string
	Line       int // where the logical line starts, from 1
}

// ParseProperties reads a Java-style .properties file, as Kafka's
// server.properties and client configs are written: '#' and '!' comments,
// "key=value", "key: value" or "key value", a trailing backslash continuing
// a line, and the escapes \t \n \r \f \\ \uXXXX (any other escaped character
// stands for itself). Unlike java.util.Properties it refuses a key without a
// value and a key given twice, since in a configuration both are mistakes.
func ParseProperties(data string) ([]Property, error) {
	if !utf8.ValidString(data) {
		return nil, fmt.Errorf("the file is not UTF-8 text")
	}
	if err := refuseByteOrderMark(data); err != nil {
		return nil, err
	}
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n"), "\n")
	var out []Property
	seen := map[string]int{}
	for i := 0; i < len(lines); i++ {
		start := i + 1
		line := strings.TrimLeft(lines[i], " \t\f")
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		// Join continuation lines: an odd number of trailing backslashes.
		for continues(line) && i+1 < len(lines) {
			i++
			line = line[:len(line)-1] + strings.TrimLeft(lines[i], " \t\f")
		}
		if continues(line) {
			line = line[:len(line)-1]
		}
		key, value, hasSep, err := splitProperty(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", start, err)
		}
		if key == "" {
			return nil, fmt.Errorf("line %d: %q has an empty key: write key=value", start, line)
		}
		if !hasSep && value == "" {
			return nil, fmt.Errorf("line %d: %q has no value: write %s=value", start, line, key)
		}
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("line %d: %s is already set on line %d", start, key, prev)
		}
		seen[key] = start
		out = append(out, Property{Key: key, Value: value, Line: start})
	}
	return out, nil
}

// byteOrderMark is U+FEFF, which editors on Windows write as the first three
// bytes (EF BB BF) of a "UTF-8 with BOM" file.
const byteOrderMark = "\uFEFF"

// refuseByteOrderMark refuses a byte-order mark anywhere in the file. Kafka
// loads server.properties with java.util.Properties.load(InputStream), which
// reads ISO-8859-1 (Utils.loadProps in clients/.../common/utils/Utils.java),
// so a leading BOM becomes the three characters "ï»¿" glued to the first key:
// "ï»¿unclean.leader.election.enable" is an unknown config, logged and
// ignored, and the broker runs with the default. Following Kafka would flip a
// verdict without a word; guessing the key the user meant would check a
// configuration Kafka does not run. So the file is refused.
func refuseByteOrderMark(data string) error {
	i := strings.Index(data, byteOrderMark)
	if i < 0 {
		return nil
	}
	line := 1 + strings.Count(data[:i], "\n")
	where := "starts with"
	if i > 0 {
		where = fmt.Sprintf("has on line %d", line)
	}
	first := ""
	if props, err := ParseProperties(strings.ReplaceAll(data, byteOrderMark, "")); err == nil {
		for _, p := range props {
			if p.Line >= line {
				first = fmt.Sprintf(" (%s)", p.Key)
				break
			}
		}
	}
	return fmt.Errorf("the file %s a UTF-8 byte-order mark (bytes EF BB BF): Kafka reads properties as ISO-8859-1, so it would take the mark as part of the next key%s, not know that key and ignore the setting; save the file as UTF-8 without a BOM", where, first)
}

func continues(line string) bool {
	n := 0
	for i := len(line) - 1; i >= 0 && line[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// splitProperty splits a logical line at the first unescaped '=', ':' or
// whitespace and unescapes both halves.
func splitProperty(line string) (key, value string, hasSep bool, err error) {
	end := len(line)
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == '\\' {
			i++
			continue
		}
		if c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f' {
			end = i
			break
		}
	}
	rest := strings.TrimLeft(line[end:], " \t\f")
	if rest != "" && (rest[0] == '=' || rest[0] == ':') {
		rest = strings.TrimLeft(rest[1:], " \t\f")
		hasSep = true
	} else if end < len(line) {
		hasSep = rest != ""
	}
	if key, err = unescape(line[:end]); err != nil {
		return "", "", false, err
	}
	value, err = unescape(rest)
	return key, value, hasSep, err
}

func unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i == len(s)-1 {
			sb.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 't':
			sb.WriteByte('\t')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 'f':
			sb.WriteByte('\f')
		case 'u':
			if i+5 > len(s) {
				return "", fmt.Errorf(`malformed \u escape in %q: write \uXXXX with four hex digits`, s)
			}
			n, err := strconv.ParseUint(s[i+1:i+5], 16, 16)
			if err != nil {
				return "", fmt.Errorf(`malformed \u escape in %q: write \uXXXX with four hex digits`, s)
			}
			sb.WriteRune(rune(n))
			i += 4
		default:
			sb.WriteByte(s[i])
		}
	}
	return sb.String(), nil
}

// Loaded is what reading a properties file into a configuration found
// besides the settings it applied.
type Loaded struct {
	// Ignored are keys Kafka knows that the model does not use
	// (listeners, log.dirs, ...), in file order.
	Ignored []string
	// Unknown are keys neither Kafka nor electcheck knows (a plugin's, a
	// newer release's), in file order; they are ignored too.
	Unknown []string
}

// ApplyProperties applies a properties file's settings to c: a Kafka
// server.properties, a topic or producer configuration, or electcheck's own
// keys. Keys Kafka knows that the model does not use are ignored and
// listed. A key that looks like a misspelt electcheck setting, a key given
// twice, and two keys for the same setting are refused. process.roles
// means KRaft and zookeeper.connect ZooKeeper, unless electcheck.controller
// says otherwise.
func (c *Config) ApplyProperties(props []Property) (Loaded, error) {
	var out Loaded
	seen := map[string]Property{}
	explicitController := false
	for _, p := range props {
		if p.Key == "electcheck.controller" {
			explicitController = true
		}
	}
	hasRoles := false
	for _, p := range props {
		hasRoles = hasRoles || p.Key == "process.roles"
	}
	var apply []Property
	for _, p := range props {
		key, value := p.Key, p.Value
		switch {
		case key == "process.roles", key == "zookeeper.connect" && !hasRoles:
			mode := "kraft"
			if key == "zookeeper.connect" {
				mode = "zookeeper"
			}
			if explicitController {
				out.Ignored = append(out.Ignored, key)
				continue
			}
			key, value = "electcheck.controller", mode
		case key == "zookeeper.connect":
			out.Ignored = append(out.Ignored, key)
			continue
		}
		canonical := ""
		if s, ok := LookupSetting(key); ok {
			canonical = s.Key
		} else if strings.HasPrefix(key, featureKeyPrefix) {
			return out, fmt.Errorf("line %d: %v", p.Line, unknownSetting(key))
		}
		if canonical == "" {
			if isKafkaKey(key) {
				out.Ignored = append(out.Ignored, key)
				continue
			}
			if near := suggest(key); near != "" || strings.HasPrefix(key, "electcheck.") {
				msg := fmt.Sprintf("line %d: unknown setting %q", p.Line, key)
				if near != "" {
					msg += fmt.Sprintf(": did you mean %s?", near)
				} else {
					msg += ": 'electcheck list settings' lists electcheck's keys"
				}
				return out, errors.New(msg)
			}
			out.Unknown = append(out.Unknown, key)
			continue
		}
		if prev, dup := seen[canonical]; dup {
			if prev.Key == p.Key {
				return out, fmt.Errorf("line %d: %s is already set on line %d", p.Line, p.Key, prev.Line)
			}
			return out, fmt.Errorf("line %d: %s sets %s, already set on line %d by %s: keep one", p.Line, p.Key, canonical, prev.Line, prev.Key)
		}
		seen[canonical] = p
		apply = append(apply, Property{Key: key, Value: value, Line: p.Line})
	}
	for _, p := range apply {
		if err := c.Set(p.Key, p.Value); err != nil {
			return out, fmt.Errorf("line %d: %v", p.Line, err)
		}
	}
	return out, nil
}

// isKafkaKey reports whether Kafka knows key, including the per-listener
// and per-mechanism forms (listener.name.X.Y).
func isKafkaKey(key string) bool {
	if _, ok := slices.BinarySearch(kafkaKeys, key); ok {
		return true
	}
	return strings.HasPrefix(key, "listener.name.") || strings.HasPrefix(key, "log4j.") ||
		strings.HasPrefix(key, "confluent.") || strings.HasPrefix(key, "metric.reporters.")
}

// suggest names the electcheck key closest to key if it is close enough
// to be a misspelling (at most two edits, or a dropped or added
// "electcheck." prefix), or "".
func suggest(key string) string {
	best, dist := "", 3
	for _, k := range KnownKeys() {
		if d := EditDistance(key, k); d < dist {
			best, dist = k, d
		}
		if strings.TrimPrefix(k, "electcheck.") == key && k != key {
			return k
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b: how the
// properties reader (and the command line) find the key or flag a
// misspelt one meant.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
