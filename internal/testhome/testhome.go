// Package testhome keeps tests out of the user's home: a test binary that
// runs its tests through Main sees a fresh, empty home and cache
// directory, removed afterwards, so that nothing a test writes (a sweep's
// cache, say) lands in the real ones, and nothing in them changes a
// result.
package testhome

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Main runs m's tests with HOME, XDG_CACHE_HOME and LOCALAPPDATA in a
// temporary directory, and exits with their code. Call it from TestMain.
func Main(m *testing.M) {
	home, err := os.MkdirTemp("", "electcheck-test-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "testhome:", err)
		os.Exit(2)
	}
	for k, v := range map[string]string{"HOME": home, "XDG_CACHE_HOME": filepath.Join(home, ".cache"), "LOCALAPPDATA": filepath.Join(home, "AppData")} {
		os.Setenv(k, v)
	}
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

// Dir is the temporary home Main made, for a test to check that a path
// lies within it.
func Dir() string { return os.Getenv("HOME") }
