package repofiles

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the generated files the tests find out of date: the
// settings table of docs/cli.md, docs/ladder.md, the known results'
// traces and docs/scenarios.
var update = flag.Bool("update", false, "rewrite the repository's generated files the tests find out of date")

// docs/cli.md's settings table is model.Settings as it is: a setting added,
// renamed or given another default shows here, or the test fails.
func TestSettingsTableInDocs(t *testing.T) {
	path := filepath.Join("../..", CLIDoc)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	begin := strings.Index(doc, "<!-- BEGIN settings table")
	end := strings.Index(doc, "<!-- END settings table -->")
	if begin < 0 || end < begin {
		t.Fatalf("%s has no settings table markers", path)
	}
	begin += strings.Index(doc[begin:], "\n") + 1
	want := SettingsTable()
	if doc[begin:end] == want {
		return
	}
	if !*update {
		t.Fatalf("%s's settings table is out of date: go test ./internal/repofiles -run TestSettingsTableInDocs -update", path)
	}
	if err := os.WriteFile(path, []byte(doc[:begin]+want+doc[end:]), 0o644); err != nil {
		t.Fatal(err)
	}
}
