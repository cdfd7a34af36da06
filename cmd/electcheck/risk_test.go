package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"electcheck/markov"
)

// riskSmall is RF 2, min ISR 1, unclean elections, one record, one crash
// an incident: a chain of a few hundred states that loses committed data.
var riskSmall = []string{"risk", "--replication-factor", "2", "--min-insync-replicas", "1", "--records", "1", "--crashes", "1", "--unclean-leader-election"}

// risk's JSON carries the contract's fields (docs/cli.md), the same
// figures whatever --workers, and the most likely loss path, which
// replays to the loss. The exported chain reads back with the incident
// chain's size.
func TestRiskCommand(t *testing.T) {
	dir := t.TempDir()
	trace, prefix := filepath.Join(dir, "loss.json"), filepath.Join(dir, "chain")
	stdout, stderr, code := runCLI(append(riskSmall, "--format", "json", "--workers", "1", "--trace-out", trace, "--export-prism", prefix,
		"--export-drn", prefix+".drn")...)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"p_loss", "p_loss_upper", "mttdl_years", "offline_minutes_per_year", "refused_minutes_per_year", "incident",
		"states", "transitions", "rates", "config", "bounds", "loss_path"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("no %q in the JSON", k)
		}
	}
	inc := rep["incident"].(map[string]any)
	for _, k := range []string{"rate_per_year", "p_loss", "mean_hours", "offline_hours"} {
		if _, ok := inc[k].(float64); !ok {
			t.Errorf("incident.%s: %v", k, inc[k])
		}
	}
	if p := rep["p_loss"].(float64); !(p > 0 && p <= rep["p_loss_upper"].(float64)) {
		t.Errorf("p_loss %v, upper %v", p, rep["p_loss_upper"])
	}
	if r := rep["rates"].(map[string]any); r["crash_per_year"] != 1.0 || r["detect_seconds"] != 9.0 || r["power_loss_per_year"] != 0.0 {
		t.Errorf("rates %v: want 1 crash a year, detection in KRaft's 9 s, no power loss (its budget is 0)", r)
	}
	// Pinned: the chains of this configuration.
	if rep["states"] != 211.0 || rep["transitions"] != 599.0 {
		t.Errorf("%v states, %v transitions; want 211 and 599", rep["states"], rep["transitions"])
	}
	again, _, _ := runCLI(append(riskSmall, "--format", "json", "--workers", "2")...)
	elapsed := regexp.MustCompile(`"elapsed_seconds": [0-9.e+-]+`)
	if elapsed.ReplaceAllString(again, "") != elapsed.ReplaceAllString(stdout, "") {
		t.Errorf("--workers 2 printed otherwise:\n%s\n---\n%s", stdout, again)
	}
	if _, stderr, code := runCLI("replay", trace); code != exitViolation {
		t.Errorf("the loss path does not replay to the loss: exit %d, %s", code, stderr)
	}
	f, err := os.Open(prefix + ".tra")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := markov.ReadTra(f, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ic := rep["chains"].(map[string]any)["incident"].(map[string]any); float64(c.N()) != ic["states"] || float64(c.Transitions()) != ic["transitions"] {
		t.Errorf("exported %d states and %d transitions; the incident chain has %v", c.N(), c.Transitions(), ic)
	}
	for _, ext := range []string{".sta", ".lab", ".srew", "-offline.srew", "-refused.srew", ".csl", ".drn"} {
		if st, err := os.Stat(prefix + ext); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", ext, err)
		}
	}
	if lab, _ := os.ReadFile(prefix + ".lab"); !strings.HasPrefix(string(lab), `0="init" 1="lost" 2="healed" 3="truncated" 4="offline" 5="refused"`) {
		t.Errorf(".lab starts %.80q", lab)
	}
}

// The text report names every rate and the release's timeouts, says
// where no loss is possible, and Markdown is a document.
func TestRiskText(t *testing.T) {
	stdout, _, code := runCLI("risk", "--replication-factor", "2", "--min-insync-replicas", "1", "--records", "1", "--crashes", "1", "--kafka-version", "2.4")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"crash 1/yr", "detect 6s", "lag timeout 10s", "restart 10m", "horizon:    1 year",
		"mean time to data loss                never: no incident within the bounds loses committed data"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in:\n%s", want, stdout)
		}
	}
	md, _, _ := runCLI(append(riskSmall, "--format", "markdown")...)
	for _, want := range []string{"# Risk: Kafka 4.4", "## Figures", "## The most likely loss", "`crash 1`"} {
		if !strings.Contains(md, want) {
			t.Errorf("no %q in:\n%s", want, md)
		}
	}
}

// risk --method simulate: the contract's simulation object, the same
// figures whatever --workers, and shards that merge into exactly the
// unsharded run's report (its elapsed time apart).
func TestRiskSimulate(t *testing.T) {
	args := append(append([]string{}, riskSmall...), "--method", "simulate", "--runs", "20000", "--seed", "7", "--format", "json")
	whole, stderr, code := runCLI(append(args, "--workers", "1")...)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, %q", code, stderr)
	}
	var rep struct {
		Method     string `json:"method"`
		PLoss      float64
		Simulation map[string]any `json:"simulation"`
	}
	if err := json.Unmarshal([]byte(whole), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"estimate", "low", "high", "confidence", "runs", "seed"} {
		if _, ok := rep.Simulation[k]; !ok {
			t.Errorf("no simulation.%s", k)
		}
	}
	if rep.Method != "simulate" || rep.Simulation["runs"] != 20000.0 || rep.Simulation["seed"] != 7.0 ||
		!(rep.Simulation["low"].(float64) <= rep.Simulation["estimate"].(float64) && rep.Simulation["estimate"].(float64) <= rep.Simulation["high"].(float64)) {
		t.Errorf("method %s, simulation %v", rep.Method, rep.Simulation)
	}
	elapsed := regexp.MustCompile(`"elapsed_seconds": [0-9.e+-]+`)
	strip := func(s string) string { return elapsed.ReplaceAllString(s, "") }
	if two, _, _ := runCLI(append(args, "--workers", "2")...); strip(two) != strip(whole) {
		t.Errorf("--workers 2 printed otherwise")
	}
	dir := t.TempDir()
	var shards []string
	for i := range 3 {
		out, _, code := runCLI(append(args, "--shard", strconv.Itoa(i)+"/3")...)
		if code != exitOK {
			t.Fatalf("shard %d: exit %d", i, code)
		}
		p := filepath.Join(dir, "s"+strconv.Itoa(i)+".json")
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, p)
	}
	merged, stderr, code := runCLI("risk", "merge", "--format", "json", shards[2], shards[0], shards[1])
	if code != exitOK || stderr != "" {
		t.Fatalf("merge: exit %d, %q", code, stderr)
	}
	if strip(merged) != strip(whole) {
		t.Errorf("the merged shards differ from the whole run:\n%s\n---\n%s", merged, whole)
	}
	if _, stderr, code := runCLI("risk", "merge", shards[0]); code != exitInconclusive || !strings.Contains(stderr, "shards [0] of 3") {
		t.Errorf("one shard of three: exit %d, %q", code, stderr)
	}
}

// --scheduler min and max: the interval over schedulers in the JSON, the
// uniform scheduler's figure inside it, the chosen end the headline.
func TestRiskScheduler(t *testing.T) {
	args := []string{"risk", "--replication-factor", "3", "--min-insync-replicas", "1", "--records", "1", "--crashes", "1", "--unclean-leader-election", "--format", "json"}
	var uniform, lo, hi struct {
		PLoss     float64  `json:"p_loss"`
		PLossMin  *float64 `json:"p_loss_min"`
		PLossMax  *float64 `json:"p_loss_max"`
		Rates     map[string]any
		Scheduler map[string]any `json:"scheduler"`
	}
	for _, x := range []struct {
		extra []string
		into  any
	}{{nil, &uniform}, {[]string{"--scheduler", "min"}, &lo}, {[]string{"--scheduler", "max"}, &hi}} {
		out, stderr, code := runCLI(append(append([]string{}, args...), x.extra...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, %s", x.extra, code, stderr)
		}
		if err := json.Unmarshal([]byte(out), x.into); err != nil {
			t.Fatal(err)
		}
	}
	if uniform.PLossMin != nil || lo.PLossMin == nil || hi.PLossMax == nil {
		t.Fatalf("p_loss_min/max: uniform %v, min %v, max %v", uniform.PLossMin, lo.PLossMin, hi.PLossMax)
	}
	if !(*lo.PLossMin < uniform.PLoss && uniform.PLoss < *lo.PLossMax) || lo.PLoss != *lo.PLossMin || hi.PLoss != *hi.PLossMax ||
		*lo.PLossMin != *hi.PLossMin || lo.Rates["scheduler"] != "min" || hi.Scheduler["chosen"] != "max" {
		t.Errorf("uniform %g; min run %g in [%g, %g]; max run %g in [%g, %g]", uniform.PLoss, lo.PLoss, *lo.PLossMin, *lo.PLossMax, hi.PLoss, *hi.PLossMin, *hi.PLossMax)
	}
}

// --target decides by a sequential test: a rate far above this
// configuration's (8.5e-8 losses a year) is decided "below", exit 0,
// within a few thousand incidents, the same run for the same seed.
func TestRiskTarget(t *testing.T) {
	args := append(append([]string{}, riskSmall...), "--method", "simulate", "--seed", "2", "--runs", "100000", "--target", "1e-3/yr", "--format", "json")
	out, stderr, code := runCLI(args...)
	var res struct {
		Decision string  `json:"decision"`
		Runs     int     `json:"runs"`
		Target   float64 `json:"target_per_year"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s %s", err, out, stderr)
	}
	if code != exitOK || res.Decision != "below" || res.Target != 1e-3 || res.Runs > 10000 {
		t.Errorf("exit %d, %+v", code, res)
	}
	if again, _, _ := runCLI(args...); again != out {
		t.Errorf("the same seed decided otherwise")
	}
}
