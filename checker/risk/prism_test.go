package risk

import (
	"math"
	"strings"
	"testing"

	"electcheck/model"
)

// PRISM on exported chains. Four configurations were measured with
//
//	electcheck risk FLAGS --export-prism X
//	prism -importmodel X.tra,sta,lab,srew -ctmc X.csl -explicit -epsilon 1e-12 -relative -maxiters 10000000
//	prism -importmodel X.tra,sta,lab -importstaterewards X-offline.srew -ctmc X.csl -prop 4 -explicit -epsilon 1e-12 -relative -maxiters 10000000
//
// with PRISM 4.10.2-dev built from source (prismmodelchecker/prism commit
// 9486c774830b78b6ad0e491e0b56d6082d660cb7, ../shared/peers/README.md) on
// 2026-12-07. PRISM cannot run here in CI, so its figures are pinned; the
// test builds the chains again and compares. The time reward is 0 in the
// start state, so R is an incident's expected length.
var prismRisk = []struct {
	name     string
	settings []string
	rates    func(*Rates)
	states   int // the incident chain's states, pinned
	// PRISM: P=? [F "lost"], [F "healed"], [F "truncated"], R=? [F end]
	// with the time reward, and with the offline reward.
	lost, healed, truncated, hours, offline float64
}{
	{name: "RF 2, min ISR 1, unclean, 4.4", settings: []string{"replication.factor=2", "min.insync.replicas=1", "electcheck.records=1",
		"electcheck.crashes=1", "unclean.leader.election.enable=true", "electcheck.consumer=false"},
		states: 184, lost: 4.264496028098423e-8, healed: 0.9999806593924907, truncated: 1.9297962548934724e-5,
		hours: 0.16916469113526977, offline: 0.0012501385323465419},
	{name: "RF 2, min ISR 1, acks=1, unclean, 2.0, two crashes", settings: []string{"kafka.version=2.0", "replication.factor=2",
		"min.insync.replicas=1", "acks=1", "electcheck.records=2", "electcheck.crashes=2", "unclean.leader.election.enable=true", "electcheck.consumer=false"},
		states: 2072, lost: 1.620374349330931e-6, healed: 0.999981694123521, truncated: 1.6685502129475275e-5,
		hours: 0.16833286940230202, offline: 8.35088600712879e-4},
	{name: "RF 3, min ISR 2, 3.9, a crash and a power loss", settings: []string{"kafka.version=3.9", "electcheck.records=1",
		"electcheck.crashes=1", "electcheck.power.losses=1", "electcheck.consumer=false"},
		rates:  func(r *Rates) { r.Pause, r.DiskLoss, r.CleanShutdown = 0, 0, 0 },
		states: 119145, lost: 9.53798327798356e-14, healed: 0.9999626038698101, truncated: 3.7396130094711776e-5,
		hours: 0.17166220058864431, offline: 0.0016667753011219309},
	{name: "RF 2, min ISR 1, 3.6, an operator after 30 minutes offline", settings: []string{"kafka.version=3.6", "replication.factor=2",
		"min.insync.replicas=1", "electcheck.records=1", "electcheck.crashes=2", "electcheck.consumer=false"},
		rates:  func(r *Rates) { r.OperatorUncleanAfter = 0.5 },
		states: 2348, lost: 3.5076151120454557e-7, healed: 0.9999819136809576, truncated: 1.773555753073672e-5,
		hours: 0.17166748473816176, offline: 0.0025029781202816404},
}

func TestRiskAgainstPRISM(t *testing.T) {
	for _, c := range prismRisk {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			cfg := model.DefaultConfig()
			for _, kv := range c.settings {
				k, v, _ := strings.Cut(kv, "=")
				if err := cfg.Set(k, v); err != nil {
					t.Fatal(err)
				}
			}
			r := crashesOnly(cfg)
			if cfg.Bounds.PowerLosses > 0 {
				r.PowerLoss = DefaultRates(cfg).PowerLoss
			}
			if c.rates != nil {
				c.rates(&r)
			}
			a := analyze(t, cfg, r)
			if a.Incident.States != c.states {
				t.Errorf("%d incident states, want %d (PRISM's figures are for that chain)", a.Incident.States, c.states)
			}
			for _, f := range []struct {
				what      string
				ours, its float64
			}{{"P(lost)", a.PLost, c.lost}, {"P(healed)", a.PHealed, c.healed}, {"P(truncated)", a.PTruncated, c.truncated},
				{"expected hours", a.MeanHours, c.hours}, {"offline hours", a.OfflineHours, c.offline}} {
				if d := math.Abs(f.ours-f.its) / f.its; !(d <= 1e-9) {
					t.Errorf("%s: ours %.17g, PRISM %.17g (relative %.2g)", f.what, f.ours, f.its, d)
				}
			}
		})
	}
}
