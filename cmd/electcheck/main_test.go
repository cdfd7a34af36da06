package main

import (
	"testing"

	"electcheck/internal/testhome"
)

// TestMain keeps the tests out of the user's home and cache.
func TestMain(m *testing.M) { testhome.Main(m) }
