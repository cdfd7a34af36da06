package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"electcheck/checker"
	"electcheck/checker/risk"
)

// The sweep's cache: a finished cell's report and trace, under a hash of
// everything its result depends on: the model's semantics
// (checker.ModelRevision, which changes whenever a pinned result does),
// the shape of a cache entry (cacheFormat), the configuration with its
// bounds, the properties and the symmetry reduction. Budgets and workers
// are not in the key: a complete search's result does not depend on them,
// and an incomplete one is never cached. Nor is the executable: `go run`
// and `go build`, and a rebuild that changes no result, share the cache.

// cacheFormat is the shape of a cache entry (cachedCell and the reports it
// holds): bump it when a field is added or changes meaning, so that older
// entries are not read as if they had it.
const cacheFormat = 2

// DefaultCacheDir is where sweeps cache cells unless told otherwise:
// electcheck/sweep under the user's cache directory ("" when there is
// none).
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "electcheck", "sweep")
}

type sweepCache struct{ dir string }

// cachedCell is a cache entry.
type cachedCell struct {
	Report checker.JSONReport `json:"report"`
	Trace  json.RawMessage    `json:"trace,omitempty"`
	// Simulation is a simulated cell's report.
	Simulation *checker.SimulateReport `json:"simulation,omitempty"`
	// Risk is a measured cell's risk report.
	Risk *risk.Report `json:"risk,omitempty"`
}

func openCache(dir string) (*sweepCache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, badf("cannot use the cache directory: %v (pass --cache-dir, or --no-cache)", err)
	}
	return &sweepCache{dir: dir}, nil
}

// key is the cache key of a cell's request searched so; extra says how
// the cell was checked, if not by a search.
func (c *sweepCache) key(req *checker.Request, search *checker.Search, extra string) string {
	cfg, bounds := checker.KafkaJSON(req.Kafka)
	desc, _ := json.Marshal(struct {
		Revision   int      `json:"model_revision"`
		Format     int      `json:"cache_format"`
		Model      string   `json:"model"`
		Config     any      `json:"config"`
		Bounds     any      `json:"bounds"`
		Properties []string `json:"properties"`
		Symmetry   bool     `json:"symmetry"`
		KeepGoing  bool     `json:"keep_going"`
		Extra      string   `json:"extra,omitempty"`
	}{checker.ModelRevision, cacheFormat, checker.ModelKafka, cfg, bounds, req.Properties, !search.NoSymmetry, search.KeepGoing, extra})
	sum := sha256.Sum256(desc)
	return hex.EncodeToString(sum[:])
}

func (c *sweepCache) path(key string) string { return filepath.Join(c.dir, key[:2], key+".json") }

// get returns a cached cell; a missing or unreadable entry is a miss.
func (c *sweepCache) get(key string) (*cachedCell, bool) {
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	var cc cachedCell
	if json.Unmarshal(data, &cc) != nil || cc.Report.Result == "" {
		return nil, false
	}
	return &cc, true
}

// put stores a cell, atomically: a crash leaves the old entry or none.
// Groups run side by side may put and get at once: each put writes a
// temporary file of its own and renames it into place, so a get reads a
// whole entry or none, and puts of one key leave one of them.
func (c *sweepCache) put(key string, cc *cachedCell) error {
	data, err := json.Marshal(cc)
	if err != nil {
		return err
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	return nil
}
