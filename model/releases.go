package model

import "strings"

// The releases Kafka shipped on each line, from apache/kafka's release
// tags (and, for 3.7.2 onwards, the upstream tags and the Maven Central
// versions; docs/model.md says which rest on what). A patch release not
// listed here is refused rather than run as its line.
var shipped = [][2]string{
	{"0.10", "0.0 0.1 1.0 1.1 2.0 2.1 2.2"},
	{"0.11", "0.0 0.1 0.2 0.3"},
	{"1.0", "0 1 2"},
	{"1.1", "0 1"},
	{"2.0", "0 1"},
	{"2.1", "0 1"},
	{"2.2", "0 1 2"},
	{"2.3", "0 1"},
	{"2.4", "0 1"},
	{"2.5", "0 1"},
	{"2.6", "0 1 2 3"},
	{"2.7", "0 1 2"},
	{"2.8", "0 1 2"},
	{"3.0", "0 1 2"},
	{"3.1", "0 1 2"},
	{"3.2", "0 1 2 3"},
	{"3.3", "0 1 2"},
	{"3.4", "0 1"},
	{"3.5", "0 1 2"},
	{"3.6", "0 1 2"},
	{"3.7", "0 1 2"},
	{"3.8", "0 1"},
	{"3.9", "0 1 2"},
	{"4.0", "0 1 2"},
	{"4.1", "0 1 2"},
	{"4.2", "0 1 2"},
	{"4.3", "0 1 2"},
	{"4.4", "0"},
}

// patches are the patch levels shipped on v's line.
func (v Version) patches() []string {
	line := v.Line().String()
	for _, l := range shipped {
		if l[0] == line {
			return strings.Fields(l[1])
		}
	}
	return nil
}

// patchNames are the releases shipped on v's line, written out.
func (v Version) patchNames() []string {
	var out []string
	for _, p := range v.patches() {
		out = append(out, v.Line().String()+"."+p)
	}
	return out
}

// Shipped reports whether v is a release Kafka shipped: a line it models,
// or a patch release of one (on the 0.x lines, where releases have four
// parts, 0.10.2 names the 0.10.2.x releases).
func (v Version) Shipped() bool {
	for _, p := range v.patches() {
		if v.Patch == "" || p == v.Patch || v.Major == 0 && strings.HasPrefix(p, v.Patch+".") {
			return true
		}
	}
	return false
}

// PatchReleases lists every release Kafka shipped on the lines electcheck
// models, oldest first.
func PatchReleases() []Version {
	var out []Version
	for _, line := range Versions {
		for _, p := range line.patches() {
			out = append(out, Version{Major: line.Major, Minor: line.Minor, Patch: p})
		}
	}
	return out
}
