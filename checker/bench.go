package checker

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"electcheck/explore"
	"electcheck/model/tlareplication"
)

// BenchCase is one search of the benchmark suite.
type BenchCase struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Command is the search as a check command line.
	Command string `json:"command"`
	request func() Request
	// keepGoing searches each to its end, for every property.
	keepGoing bool
}

// BenchSuite is fixed: the numbers are comparable across commits only if
// the searches are.
func BenchSuite() []BenchCase {
	kafka := func(s ...string) func() Request {
		return func() Request {
			req, err := KafkaRequest(s)
			if err != nil {
				panic(err) // the suite's settings are constants
			}
			return req
		}
	}
	return []BenchCase{
		{"tla-kip320", "TLA+ port, Kip320, reference constants, StrongIsr: TLC's complete search",
			"electcheck check --model tla-replication --variant kip320 --invariants strong-isr",
			func() Request {
				req := NewRequest()
				req.Model, req.TLA.Variant, req.Properties = ModelTLA, tlareplication.Kip320, []string{"strong-isr"}
				return req
			}, false},
		{"kafka-default", "Kafka model, the default: RF 3, acks=all, min ISR 2, 2 records, 2 crashes",
			"electcheck check", kafka(), false},
		{"kafka-power-loss", "Kafka model, default plus one power loss",
			"electcheck check --power-losses 1 --keep-going", kafka("electcheck.power.losses=1"), true},
		{"kafka-target", "Kafka 3.9's rules, default with 3 records and a power loss, every property to its end",
			"electcheck check --kafka-version 3.9 --records 3 --crashes 2 --power-losses 1 --keep-going",
			kafka("electcheck.kafka.version=3.9", "electcheck.records=3", "electcheck.crashes=2", "electcheck.power.losses=1"), true},
	}
}

// tlcKip320Seconds is TLC 2.20's time for the tla-kip320 search with one
// worker on this project's machine (docs/cross-check.md); rumurKip320Seconds
// Rumur 2022.08.20's, one thread, on the same space written in Murphi
// (docs/rumur/kip320.m, docs/performance.md), the median of three runs
// side by side with electcheck on 2026-12-02.
const (
	tlcKip320Seconds   = 40.9
	rumurKip320Seconds = 20.1
)

// BenchResult is one search's figures.
type BenchResult struct {
	BenchCase
	Result          string  `json:"result"`
	Complete        bool    `json:"complete"`
	Distinct        int64   `json:"distinct_states"`
	Generated       int64   `json:"generated_states"`
	Seconds         float64 `json:"seconds"`
	StatesPerSecond float64 `json:"states_per_second"`
	PeakMemory      int64   `json:"peak_memory_bytes"`
	BytesPerState   float64 `json:"visited_bytes_per_state"`
	// PeakRSS is the process's peak resident memory during the run (0
	// where the system does not say), and RSSPerState that per distinct
	// state: what a state really costs. FrontierPeak is the most the two
	// BFS frontiers held at once.
	PeakRSS      int64   `json:"peak_rss_bytes"`
	RSSPerState  float64 `json:"peak_rss_bytes_per_state"`
	FrontierPeak int64   `json:"frontier_peak_bytes"`
	TLCSeconds   float64 `json:"tlc_seconds,omitempty"`
	TLCRatio     float64 `json:"tlc_ratio,omitempty"`
	RumurSeconds float64 `json:"rumur_seconds,omitempty"`
	RumurRatio   float64 `json:"rumur_ratio,omitempty"`
}

// BenchReport is `electcheck bench --format json`.
type BenchReport struct {
	Machine MachineInfo   `json:"machine"`
	Workers int           `json:"workers"`
	Runs    []BenchResult `json:"runs"`
}

// MachineInfo describes the machine a benchmark ran on.
type MachineInfo struct {
	CPU     string `json:"cpu"`
	Cores   int    `json:"cores"`
	Memory  int64  `json:"memory_bytes"`
	GOOS    string `json:"goos"`
	GOARCH  string `json:"goarch"`
	Version string `json:"go_version"`
}

// RunBench runs one search of the suite with the search's workers,
// frontier directory and context (its other fields are the case's).
func RunBench(c BenchCase, s Search) (BenchResult, error) {
	req := c.request()
	search := Search{Workers: s.Workers, FrontierDir: s.FrontierDir, Context: s.Context, KeepGoing: c.keepGoing}
	// Start from a clean heap so that each run's peak is its own.
	runtime.GC()
	debug.FreeOSMemory()
	rssKnown := resetPeakRSS()
	o, err := Check(req, search)
	if err != nil {
		return BenchResult{}, err
	}
	st := o.Stats
	res := BenchResult{BenchCase: c, Result: o.Verdict.String(), Complete: o.Complete, Distinct: st.Distinct, Generated: st.Generated,
		Seconds: st.Elapsed.Seconds(), StatesPerSecond: st.StatesPerSecond(), PeakMemory: st.PeakMemory,
		BytesPerState: float64(st.VisitedBytes) / float64(max(st.Distinct, 1)), FrontierPeak: st.FrontierBytes}
	if rssKnown {
		res.PeakRSS = peakRSS()
		res.RSSPerState = float64(res.PeakRSS) / float64(max(st.Distinct, 1))
	}
	if c.Name == "tla-kip320" && o.Verdict == explore.OK {
		res.TLCSeconds = tlcKip320Seconds
		res.TLCRatio = tlcKip320Seconds / res.Seconds
		res.RumurSeconds = rumurKip320Seconds
		res.RumurRatio = rumurKip320Seconds / res.Seconds
	}
	return res, nil
}

// Machine describes this machine.
func Machine() MachineInfo {
	m := MachineInfo{Cores: runtime.NumCPU(), Memory: physicalMemory(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Version: runtime.Version(), CPU: "unknown CPU"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// String is the machine in one line.
func (m MachineInfo) String() string {
	return fmt.Sprintf("%s, %d cores, %s, %s/%s, %s", m.CPU, m.Cores, MiB(m.Memory), m.GOOS, m.GOARCH, m.Version)
}
