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
			fmt.Fprintln(stdout, "usage: electcheck list [properties|witnesses|versions|settings]")
			return nil
		}
		return usagef("list: %v", err)
	}
	what := "all"
	if fs.NArg() > 1 {
		return usagef("list: one topic at a time: properties, witnesses, versions or settings")
	}
	if fs.NArg() == 1 {
		what = fs.Arg(0)
	}
	show := func(topic string) bool { return what == "all" || what == topic }
	if !show("properties") && !show("witnesses") && !show("versions") && !show("settings") {
		return usagef("list: unknown topic %q: use properties, witnesses, versions or settings", what)
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
		fmt.Fprintln(stdout, "Kafka versions (--kafka-version):")
		for _, v := range model.Versions {
			fmt.Fprintf(stdout, "  %-5s %s; unclean.leader.election.enable defaults to %t\n", v, v.Features().Describe(), v.DefaultUncleanLeaderElection())
		}
	}
	if show("settings") {
		fmt.Fprintln(stdout, "settings (flag, and key in a --config .properties file):")
		def := model.DefaultConfig()
		for _, s := range model.Settings {
			fmt.Fprintf(stdout, "  --%-26s %-32s default %-6s %s\n", s.Flag, s.Key, orNone(def.Get(s.Key)), s.Help)
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
