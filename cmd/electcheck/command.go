package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/pflag"
)

// command is one subcommand: its flags, grouped under headings for help,
// the arguments it takes, and what it runs. Every subcommand parses the
// same way, so that help, bad flags, stray arguments and enumerations read
// alike everywhere.
type command struct {
	name string
	// synopsis follows "usage: electcheck " in help; about is the help's
	// text, before the flags.
	synopsis, about string
	// args names the positional arguments (FILE); minArgs and maxArgs
	// bound their number (maxArgs < 0: no limit).
	args             string
	minArgs, maxArgs int
	fs               *pflag.FlagSet
	groups           []flagGroup
	enums            []enumFlag
	// exec runs the command once its flags are parsed.
	exec func(ctx context.Context, stdout, stderr io.Writer) (int, error)
}

type flagGroup struct {
	title string
	names []string
}

// enumFlag is a flag that takes one of a few words, in any case.
type enumFlag struct {
	name   string
	value  *string
	values []string
}

func newCommand(name, synopsis, about string) *command {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return &command{name: name, synopsis: synopsis, about: about, fs: fs}
}

// group defines flags and shows them under a heading.
func (c *command) group(title string, define func(fs *pflag.FlagSet)) {
	before := map[string]bool{}
	c.fs.VisitAll(func(fl *pflag.Flag) { before[fl.Name] = true })
	define(c.fs)
	g := flagGroup{title: title}
	c.fs.VisitAll(func(fl *pflag.Flag) {
		if !before[fl.Name] {
			g.names = append(g.names, fl.Name)
		}
	})
	if len(g.names) > 0 {
		c.groups = append(c.groups, g)
	}
}

// enum defines a flag that takes one of values (the first its default),
// read in any case: --format JSON is --format json.
func (c *command) enum(fs *pflag.FlagSet, name, help string, values ...string) *string {
	v := fs.String(name, values[0], help)
	c.enums = append(c.enums, enumFlag{name: name, value: v, values: values})
	return v
}

// helpWidth is the width help text wraps at.
const helpWidth = 100

// usage is the command's help: synopsis, text, and the flags by group.
func (c *command) usage() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "usage: electcheck %s\n\n%s", c.synopsis, c.about)
	for _, g := range c.groups {
		gs := pflag.NewFlagSet(g.title, pflag.ContinueOnError)
		gs.SortFlags = false
		for _, n := range g.names {
			gs.AddFlag(c.fs.Lookup(n))
		}
		fmt.Fprintf(&sb, "\n%s:\n%s", g.title, gs.FlagUsagesWrapped(helpWidth))
	}
	return sb.String()
}

// execute parses args and runs the command: --help prints the help on
// stdout; bad flags, stray arguments and unknown enumeration values are
// usage errors that say how to fix them.
func (c *command) execute(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, c.usage())
			return exitOK, nil
		}
		return 0, usagef("%s: %s (electcheck %s --help lists its flags)", c.name, c.flagError(err), c.name)
	}
	if err := c.checkArgs(args); err != nil {
		return 0, err
	}
	for _, e := range c.enums {
		v := strings.ToLower(strings.TrimSpace(*e.value))
		if !contains(e.values, v) {
			return 0, usagef("--%s must be %s, not %q", e.name, orList(e.values), *e.value)
		}
		*e.value = v
	}
	return c.exec(ctx, stdout, stderr)
}

// checkArgs checks the number of positional arguments. A stray true or
// false after a boolean flag is the classic slip (--symmetry false): say
// how to write it.
func (c *command) checkArgs(args []string) error {
	n := c.fs.NArg()
	if c.maxArgs >= 0 && n > c.maxArgs {
		extra := c.fs.Arg(c.maxArgs)
		if flag := boolFlagBefore(c.fs, args, extra); flag != "" {
			return usagef("%s: %s takes its value after =: write --%s=%s", c.name, "--"+flag, flag, extra)
		}
		if c.maxArgs == 0 {
			return usagef("%s: unexpected argument %q: settings are flags, such as --acks=1 (electcheck %s --help lists them)", c.name, extra, c.name)
		}
		return usagef("%s takes %s, not also %q", c.name, c.args, extra)
	}
	if n < c.minArgs {
		return usagef("%s takes %s: electcheck %s", c.name, c.args, c.synopsis)
	}
	return nil
}

// boolFlagBefore is the boolean flag written just before arg, as in
// --symmetry false, or "".
func boolFlagBefore(fs *pflag.FlagSet, args []string, arg string) string {
	if v := strings.ToLower(arg); v != "true" && v != "false" {
		return ""
	}
	for i := 1; i < len(args); i++ {
		if args[i] != arg || !strings.HasPrefix(args[i-1], "--") {
			continue
		}
		name := strings.TrimPrefix(args[i-1], "--")
		if fl := fs.Lookup(name); fl != nil && fl.Value.Type() == "bool" {
			return name
		}
	}
	return ""
}

var (
	unknownFlag     = regexp.MustCompile(`^unknown flag: --([^ =]+)`)
	invalidArgument = regexp.MustCompile(`^invalid argument "[^"]*" for "[^"]*" flag: (--.*)$`)
)

// flagError is pflag's error in electcheck's words: without Go's parser in
// it (`invalid argument "x" for "--records" flag: not a whole number`),
// with the flag meant for an unknown one, and a flag's own message where
// it has one.
func (c *command) flagError(err error) string {
	msg := err.Error()
	if m := invalidArgument.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	if i := strings.Index(msg, ": strconv.Parse"); i >= 0 {
		what := "not a number"
		switch {
		case strings.Contains(msg[i:], "ParseInt"), strings.Contains(msg[i:], "ParseUint"):
			what = "not a whole number"
		case strings.Contains(msg[i:], "ParseBool"):
			what = "write true or false"
		}
		if strings.Contains(msg[i:], "out of range") {
			what = "out of range"
		}
		return msg[:i] + ": " + what
	}
	if m := unknownFlag.FindStringSubmatch(msg); m != nil {
		return msg + c.didYouMean(m[1])
	}
	return msg
}

// didYouMean suggests the flag meant for an unknown one: this command's
// closest flag, or the commands that have it.
func (c *command) didYouMean(name string) string {
	best, dist := "", 3
	c.fs.VisitAll(func(fl *pflag.Flag) {
		if d := editDistance(name, fl.Name); d < dist || d == dist && fl.Name < best {
			best, dist = fl.Name, d
		}
		if strings.HasPrefix(fl.Name, name) && dist > 1 {
			best, dist = fl.Name, 1
		}
	})
	if best != "" {
		return fmt.Sprintf(": did you mean --%s?", best)
	}
	var others []string
	for _, spec := range commands {
		if spec.name != c.name && spec.new().fs.Lookup(name) != nil {
			others = append(others, spec.name)
		}
	}
	switch len(others) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf(": %s takes no --%s (%s does)", c.name, name, others[0])
	}
	return fmt.Sprintf(": %s takes no --%s (%s and %s do)", c.name, name, strings.Join(others[:len(others)-1], ", "), others[len(others)-1])
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// orList is "a, b or c".
func orList(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
