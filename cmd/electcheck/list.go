package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/invariants"
	"electcheck/model"
)

// runList prints what electcheck knows: properties with their witnesses,
// witnesses, Kafka versions with their rules, and settings.
func runList(args []string, stdout io.Writer) error {
	fs := pflag.NewFlagSet("list", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: electcheck list [properties|witnesses|versions|features|settings]")
			return nil
		}
		return usagef("list: %v", err)
	}
	what := "all"
	if fs.NArg() > 1 {
		return usagef("list: one topic at a time: properties, witnesses, versions, features or settings")
	}
	if fs.NArg() == 1 {
		what = fs.Arg(0)
	}
	show := func(topic string) bool { return what == "all" || what == topic }
	if !show("properties") && !show("witnesses") && !show("versions") && !show("features") && !show("settings") {
		return usagef("list: unknown topic %q: use properties, witnesses, versions, features or settings", what)
	}
	if show("properties") {
		fmt.Fprintln(stdout, "properties (--invariants):")
		for _, p := range invariants.Properties() {
			fmt.Fprintf(stdout, "  %-28s %s\n  %-28s witnesses: %s\n", p.Name, p.Statement, "", strings.Join(p.Guards, ", "))
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
		fmt.Fprintln(stdout, "Kafka versions (--kafka-version), the controller a new cluster uses, and the features in force:")
		for _, v := range model.Versions {
			c := v.DefaultController()
			names := model.ReleaseFeatures(v, c, v.ELRDefault()).Names()
			if len(names) == 0 {
				names = []string{"(HW truncation)"}
			}
			other := ""
			switch {
			case v.Supports(model.ZooKeeper) && v.Supports(model.KRaft):
				alt := model.ZooKeeper
				if c == model.ZooKeeper {
					alt = model.KRaft
				}
				other = fmt.Sprintf("; --controller %s also possible", alt)
			}
			if v.ELRAvailable() && !v.ELRDefault() {
				other += "; eligible leader replicas opt-in"
			}
			fmt.Fprintf(stdout, "  %-5s %-9s %s%s\n", v, c, strings.Join(names, ", "), other)
		}
	}
	if show("features") {
		fmt.Fprintln(stdout, "features (--feature NAME=on|off; a release picks them, 'list versions'):")
		for _, fi := range model.FeatureTable {
			only := ""
			if fi.KRaftOnly {
				only = ", KRaft only"
			}
			fmt.Fprintf(stdout, "  %-26s %s (%s%s)\n  %-26s %s\n", fi.Name, fi.Ref, "since "+fi.Since.String(), only, "", fi.Rule)
		}
	}
	if show("settings") {
		fmt.Fprintln(stdout, "settings (flag, and key in a --config .properties file):")
		def := model.DefaultConfig()
		for _, s := range model.Settings {
			fmt.Fprintf(stdout, "  --%-26s %-34s default %-6s %s\n", s.Flag, s.Key, orNone(def.Get(s.Key)), s.Help)
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

func versionString() string {
	v := "devel"
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
		return fmt.Sprintf("electcheck %s (%s)", v, info.GoVersion)
	}
	return "electcheck " + v
}
