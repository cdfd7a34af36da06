package history

import "fmt"

// maxEDNDepth is the deepest nesting of collections an operation line of
// history.edn may have. Jepsen's deepest is five (the map, a txn's vector,
// a micro-operation, a poll's map, a record); the EDN library parses
// recursively, and millions of levels overflow the goroutine's stack,
// which no recover catches, so lines are measured before it sees them.
const maxEDNDepth = 100

// checkEDNDepth refuses a line whose collections nest deeper than
// maxEDNDepth. It follows EDN's lexical rules as far as brackets go:
// strings (with their escapes), character literals (\[ is no bracket) and
// comments hold none.
func checkEDNDepth(line []byte) error {
	depth := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"':
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' {
					i++
				}
			}
		case '\\':
			i++ // a character literal's character
		case ';':
			return nil // a comment, to the end of the line
		case '[', '(', '{':
			if depth++; depth > maxEDNDepth {
				return fmt.Errorf("collections nested more than %d deep (at byte %d): an operation nests five at most", maxEDNDepth, i+1)
			}
		case ']', ')', '}':
			depth--
		}
	}
	return nil
}
