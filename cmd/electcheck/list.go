package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/invariants"
	"electcheck/model"
)

// topics are what list can list.
var topics = []string{"properties", "witnesses", "versions", "features", "settings"}

func newListCommand() *command {
	c := newCommand("list", "list [properties|witnesses|versions|features|settings]",
		"Lists what electcheck knows: the properties with their witnesses, the witnesses, the Kafka\n"+
			"releases with their controller and rules, the protocol features, and the settings.\n")
	c.args, c.maxArgs = "one topic: "+orList(topics), 1
	c.exec = func(_ context.Context, stdout, _ io.Writer) (int, error) {
		return exitOK, list(c.fs.Arg(0), stdout)
	}
	return c
}

// list prints one topic, or all of them for "".
func list(what string, stdout io.Writer) error {
	what = strings.ToLower(strings.TrimSpace(what))
	if what == "" {
		what = "all"
	}
	if what != "all" && !slices.Contains(topics, what) {
		return usagef("list: unknown topic %q: use %s", what, orList(topics))
	}
	show := func(topic string) bool { return what == "all" || what == topic }
	if show("properties") {
		fmt.Fprintln(stdout, "properties (--invariants):")
		for _, p := range invariants.Properties() {
			fmt.Fprintf(stdout, "  %-28s %s\n  %-28s witnesses: %s\n", p.Name, p.Statement, "", strings.Join(p.Guards, ", "))
		}
		fmt.Fprintln(stdout, "properties of the TLA+ ports (--model tla-replication, kraft-replication; the specifications' invariants):")
		for _, port := range checker.PortProperties() {
			fmt.Fprintf(stdout, "  %s: %s\n", port[0], port[1])
		}
	}
	if show("witnesses") {
		fmt.Fprintln(stdout, "witnesses:")
		for _, w := range invariants.Witnesses() {
			tag := ""
			if w.Availability {
				tag = " [availability]"
			}
			fmt.Fprintf(stdout, "  %-32s %s%s\n", w.Name, w.Description, tag)
		}
	}
	if show("versions") {
		listVersions(stdout)
	}
	if show("features") {
		fmt.Fprintln(stdout, "features (--feature NAME=on|off; a release picks them, 'list versions'):")
		for i := range model.FeatureTable {
			fi := &model.FeatureTable[i]
			only := ""
			if fi.KRaftOnly {
				only = ", KRaft only"
			}
			fmt.Fprintf(stdout, "  %-26s %s (%s%s)\n  %-26s %s\n", fi.Name, fi.Ref, "since "+fi.Shipped(), only, "", fi.Rule)
		}
	}
	if show("settings") {
		fmt.Fprintln(stdout, "settings (flag, and key in a --config .properties file):")
		def := model.DefaultConfig()
		for i := range model.Settings {
			s := &model.Settings[i]
			flag := "--" + s.Flag
			if f, isSwitch := s.Feature(); isSwitch {
				flag = "--feature " + f.String() + "=on|off"
			}
			fmt.Fprintf(stdout, "  %-28s %-34s default %-6s %s\n", flag, s.Key, orNone(def.Get(s.Key)), s.Help)
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "unset"
	}
	return s
}

// versionInfo is what version prints: electcheck's module version and
// revision, the Go that built it, and the model revision its results
// (and the sweep cache) belong to.
type versionInfo struct {
	Version       string `json:"version"`
	Revision      string `json:"revision,omitempty"`
	Modified      bool   `json:"modified,omitempty"`
	Go            string `json:"go"`
	ModelRevision int    `json:"model_revision"`
}

func buildVersion() versionInfo {
	v := versionInfo{Version: "devel", Go: runtime.Version(), ModelRevision: checker.ModelRevision}
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" && info.Main.Version != "(devel)" {
			v.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	return v
}

func (v versionInfo) String() string {
	s := "electcheck " + v.Version
	if len(v.Revision) >= 12 {
		s += " " + v.Revision[:12]
		if v.Modified {
			s += "+modified"
		}
	}
	return fmt.Sprintf("%s (%s, model revision %d)", s, v.Go, v.ModelRevision)
}

func newVersionCommand() *command {
	c := newCommand("version", "version [--json]", "Prints electcheck's version, the Go that built it, and the model revision its results belong to.\n")
	var asJSON bool
	c.group("Flags", func(fs *pflag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print it as a JSON object")
	})
	c.maxArgs = 0
	c.exec = func(_ context.Context, stdout, _ io.Writer) (int, error) {
		v := buildVersion()
		if asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(v)
			return exitOK, nil
		}
		fmt.Fprintln(stdout, v)
		return exitOK, nil
	}
	return c
}

// listVersions prints each release line: the controller Kafka's shipped
// config/server.properties uses and the one it also allows, its releases,
// the rules in force, and where a patch release or the other controller
// adds rules.
func listVersions(w io.Writer) {
	fmt.Fprintln(w, "Kafka releases (--kafka-version): the controller of the release's shipped config/server.properties")
	fmt.Fprintln(w, "(--controller), the one it also allows, the releases of the line, and the rules in force:")
	for _, v := range model.Versions {
		c := v.DefaultController()
		own := model.ReleaseFeatures(v, c, v.ELRDefault())
		ctrl := c.String()
		var also []string
		for _, alt := range []model.ControllerMode{model.ZooKeeper, model.KRaft} {
			if alt != c && v.Supports(alt) {
				ctrl += ", " + alt.String() + " allowed"
				if more := model.ReleaseFeatures(v, alt, v.ELRDefault()) &^ own; more != 0 {
					also = append(also, "with "+alt.String()+" also "+strings.Join(more.Names(), ", "))
				}
			}
		}
		var releases []string
		for _, r := range model.PatchReleases() {
			if r.Line() == v {
				releases = append(releases, r.String())
				if more := model.ReleaseFeatures(r, c, v.ELRDefault()) &^ own; more != 0 {
					also = append(also, r.String()+" also "+strings.Join(more.Names(), ", ")+" (backported)")
				}
			}
		}
		if v.ELRAvailable() && !v.ELRDefault() {
			also = append(also, "eligible leader replicas opt-in (--eligible-leader-replicas)")
		}
		names := own.Names()
		if len(names) == 0 {
			names = []string{"HW truncation"}
		}
		fmt.Fprintf(w, "  %-5s controller %s; releases %s\n", v, ctrl, strings.Join(releases, ", "))
		fmt.Fprintf(w, "        %s\n", strings.Join(append([]string{strings.Join(names, ", ")}, also...), "; "))
	}
}
