package repofiles

import (
	"io"
	"strings"
	"testing"

	"electcheck/checker"
)

// The catalogue in the repository is what the model gives now: every known
// result's check still finds its trace, every golden trace still replays
// as recorded, and every document is as generated.
func TestCatalogueUpToDate(t *testing.T) {
	c, err := BuildCatalogue("../..", CatalogueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if *update && len(c.Problems) == 0 {
		// The known results' traces and the documents; the durability
		// matrix is drawn from its committed CSV (electcheck catalogue
		// runs the preset again).
		if err := c.Write("../..", io.Discard); err != nil {
			t.Fatal(err)
		}
		return
	}
	if len(c.Stale) > 0 || len(c.Problems) > 0 {
		t.Fatalf("docs/scenarios or testdata/traces is out of date with the model: run go test ./internal/repofiles -update (or electcheck catalogue) and review the diff\nout of date: %s\n%s",
			strings.Join(c.Stale, ", "), strings.Join(c.Problems, "\n"))
	}
	if len(c.Files) < 2*len(catalogueEntries) {
		t.Errorf("%d files for %d known results", len(c.Files), len(catalogueEntries))
	}
}

// Each known result's command is the check it runs: the flags name the
// same configuration the request holds.
func TestCatalogueCommands(t *testing.T) {
	for _, k := range catalogueEntries {
		cmd := k.check.command()
		if !strings.HasPrefix(cmd, "electcheck check") || strings.Contains(cmd, "  ") {
			t.Errorf("%s: command %q", k.name, cmd)
		}
		req, err := k.check.request("../..")
		if err != nil {
			t.Errorf("%s: %v", k.name, err)
			continue
		}
		if k.check.config == "" && checker.KafkaCommand(req.Kafka) == "electcheck check" {
			t.Errorf("%s: the settings change nothing from the recommended setup", k.name)
		}
	}
}
