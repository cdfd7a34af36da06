package main

import (
	"io"
	"os"
)

// stdin is where a FILE argument of "-" is read from.
var stdin io.Reader = os.Stdin

// readInput reads a command's input file, or standard input for "-".
func readInput(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(path)
}
