package checker

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"testing"

	"electcheck/model"
	"electcheck/model/tlareplication"
)

// revisionDigests are, for each ModelRevision, the digest of what the
// models find on revisionSearches: state counts, depths, verdicts and
// every counterexample's length and message. A change to the model or the
// explorer that moves any of them fails TestModelRevision until
// ModelRevision is bumped and its digest recorded here, so that results
// cached under the old revision (the sweep's) are never served for the
// new semantics.
var revisionDigests = map[int]string{
	1: "b875e80957cd2d80f1acc89f3d1960c964d976c1c2ec5899251014130aeb0e73",
	2: "9afa306867f21ab26b2021d2d68ed95ce5b7e2ec95af0b672c42da826b7fd171",
	3: "e16121728e4d64dc1a43b22cdc19b04730671345877392393a4e1dbc9d8a482d",
	4: "e7746aa911f8392c575099bec6d0a83cdf8717cddcd75b41f1edf2e7b7f24571",
}

// revisionSearches are small searches that cover every release under
// every controller it has (with eligible leader replicas on and off
// where it offers both), several fault mixes, and the TLA+ port's
// variants: a few seconds in all.
func revisionSearches(t testing.TB) []Request {
	t.Helper()
	var out []Request
	kafka := func(s ...string) {
		req, err := KafkaRequest(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, req)
	}
	for _, v := range model.Versions {
		for _, c := range []model.ControllerMode{model.ZooKeeper, model.KRaft} {
			if !v.Supports(c) {
				continue
			}
			elrs := []string{"0"}
			if c == model.KRaft && v.ELRAvailable() {
				elrs = append(elrs, "1")
			}
			for _, elr := range elrs {
				base := []string{"electcheck.kafka.version=" + v.String(), "electcheck.controller=" + c.String(), "eligible.leader.replicas.version=" + elr}
				kafka(append(base, "replication.factor=2", "min.insync.replicas=1", "acks=1", "electcheck.records=1", "electcheck.crashes=1", "electcheck.power.losses=1")...)
				kafka(append(base, "replication.factor=2", "min.insync.replicas=2", "electcheck.records=1", "electcheck.crashes=0", "electcheck.pauses=1", "electcheck.disk.losses=1")...)
			}
		}
	}
	for _, v := range []string{"0.10", "1.1", "2.0", "2.0.1", "2.1", "2.7", "3.6", "3.9", model.Latest.String()} {
		kafka("electcheck.kafka.version="+v, "replication.factor=2", "min.insync.replicas=1", "acks=1", "electcheck.records=2", "electcheck.crashes=1", "electcheck.pauses=1")
	}
	for _, v := range []string{"3.6", "3.7"} {
		// min.insync.replicas above the replication factor: refused
		// writes before 3.7, capped from 3.7.
		kafka("electcheck.kafka.version="+v, "replication.factor=2", "min.insync.replicas=3", "electcheck.records=1", "electcheck.crashes=1")
	}
	kafka("replication.factor=2", "unclean.leader.election.enable=true", "electcheck.records=2", "electcheck.crashes=0", "electcheck.clean.shutdowns=1", "flush.messages=2", "electcheck.power.losses=1")
	kafka("replication.factor=2", "electcheck.operator.may.enable.unclean=true", "auto.leader.rebalance.enable=false", "electcheck.records=1", "electcheck.crashes=2")
	for _, name := range tlareplication.Variants() {
		v, err := tlareplication.ParseVariant(name)
		if err != nil {
			t.Fatal(err)
		}
		req := NewRequest()
		req.Model, req.TLA = ModelTLA, TLASpec{Variant: v, Constants: tlareplication.Constants{Replicas: 2, LogSize: 2, MaxRecords: 2, MaxLeaderEpoch: 2}}
		out = append(out, req)
	}
	return out
}

// revisionDigest runs the searches, each to its end for every property,
// and hashes what they find.
func revisionDigest(t testing.TB) string {
	t.Helper()
	h := sha256.New()
	for _, req := range revisionSearches(t) {
		o, err := Check(req, Search{KeepGoing: true, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %s: %s %d %d %d\n", o.Model, o.Command, o.Verdict, o.Stats.Distinct, o.Stats.Generated, o.Stats.Depth)
		for _, v := range o.Violations {
			fmt.Fprintf(h, "  %s %d %s\n", v.Property, v.Length, v.Message)
		}
		for _, w := range o.Witnesses {
			fmt.Fprintf(h, "  %s %t %d\n", w.Name, w.Reached, w.Length)
		}
		_, _ = io.WriteString(h, "\n")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ModelRevision names the models' semantics: a change to what they find
// must come with a new revision (see revisionDigests).
func TestModelRevision(t *testing.T) {
	got := revisionDigest(t)
	if want := revisionDigests[ModelRevision]; got != want {
		t.Fatalf("the models find something else than revision %d did (digest %s, recorded %q): if the change is intended, "+
			"bump checker.ModelRevision to %d, record %s for it in revisionDigests, and say in the commit which results moved and why",
			ModelRevision, got, want, ModelRevision+1, got)
	}
}
