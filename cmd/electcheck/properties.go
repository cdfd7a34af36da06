package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// property is one key=value pair of a .properties file.
type property struct {
	Key, Value string
	Line       int // where the logical line starts, from 1
}

// parseProperties reads a Java-style .properties file, as Kafka's
// server.properties and client configs are written: '#' and '!' comments,
// "key=value", "key: value" or "key value", a trailing backslash continuing
// a line, and the escapes \t \n \r \f \\ \uXXXX (any other escaped character
// stands for itself). Unlike java.util.Properties it refuses a key without a
// value and a key given twice, since in a configuration both are mistakes.
func parseProperties(data string) ([]property, error) {
	if !utf8.ValidString(data) {
		return nil, fmt.Errorf("the file is not UTF-8 text")
	}
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n"), "\n")
	var out []property
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
		out = append(out, property{Key: key, Value: value, Line: start})
	}
	return out, nil
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
