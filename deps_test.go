// Package electcheck_test holds repository-wide checks.
package electcheck_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "electcheck"

// allowed lists, for each package, the packages it may import beyond the
// standard library ("std" admits the standard library itself; "std-pure"
// the standard library without clocks, randomness, goroutines or I/O).
// An electcheck package is admitted by its exact path, and
// electcheck/model also admits the reference ports beneath it; a
// third-party module admits its sub-packages. The table is the README's
// Layout, floor by floor:
//
//   - model is pure; explore is generic and never sees the Kafka model;
//     markov (chains, MDPs, their solves and files) is generic too;
//     both keep their large arrays outside the heap (internal/offheap);
//     invariants are properties of the model;
//   - history is generic (traces, files, client histories, porcupine);
//     history/render holds the Kafka and TLA+ renderings of traces;
//   - checker is the library: request in, outcome out;
//   - checker/sweep (the sweep engine) and internal/repofiles (the
//     generators of the repository's own files, which alone know their
//     paths) stand above the library: they import it, it never imports
//     them;
//   - the command line parses flags and prints; it reads model's and
//     explore's tables and types (the settings its flags are made from,
//     the verdicts) but runs everything through the packages above.
var allowed = map[string][]string{
	"model":              {"std-pure"},
	"explore":            {"std", "electcheck/internal/offheap", "gonum.org/v1/gonum"},
	"markov":             {"std", "electcheck/internal/offheap", "gonum.org/v1/gonum"},
	"invariants":         {"std", "electcheck/model"},
	"history":            {"std", "github.com/anishathalye/porcupine", "olympos.io/encoding/edn"},
	"history/render":     {"std", "electcheck/model", "electcheck/history"},
	"history/gen":        {"std", "electcheck/history"},
	"checker":            {"std", "electcheck/model", "electcheck/explore", "electcheck/markov", "electcheck/invariants", "electcheck/history", "electcheck/history/render", "gonum.org/v1/gonum"},
	"checker/risk":       {"std", "electcheck/internal/offheap", "electcheck/checker", "electcheck/model", "electcheck/explore", "electcheck/invariants", "electcheck/markov", "electcheck/history", "electcheck/history/render", "gonum.org/v1/gonum"},
	"checker/sweep":      {"std", "electcheck/checker", "electcheck/checker/risk", "electcheck/model", "electcheck/explore", "electcheck/invariants", "electcheck/history", "gonum.org/v1/plot"},
	"internal/repofiles": {"std", "electcheck/checker", "electcheck/checker/risk", "electcheck/checker/sweep", "electcheck/model", "electcheck/history"},
	// offheap is the floor beneath explore and markov: large pointer-free
	// arrays in memory maps (golang.org/x/sys/unix for mremap).
	"internal/offheap": {"std", "golang.org/x/sys/unix"},
	// testhome serves the tests alone: a temporary home for the test binary.
	"internal/testhome": {"std"},
	"cmd/electcheck": {"std", "electcheck/checker", "electcheck/checker/sweep", "electcheck/checker/risk", "electcheck/internal/repofiles", "electcheck/markov",
		"electcheck/model", "electcheck/explore", "electcheck/invariants", "electcheck/history", "github.com/spf13/pflag"},
}

// impure are standard packages model must not import: clocks, randomness,
// goroutine plumbing and I/O have no place in a transition system.
var impure = []string{"time", "math/rand", "math/rand/v2", "crypto/rand", "os", "io", "io/fs", "net", "sync", "sync/atomic", "bufio", "log", "runtime"}

// packages returns every non-test package directory with the imports of
// its non-test files.
func packages(t testing.TB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[dir] = append(out[dir], p)
		}
		if _, ok := out[dir]; !ok {
			out[dir] = nil
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func isStd(p string) bool {
	return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") && !strings.HasPrefix(p, module)
}

func permitted(pkg, imp string) bool {
	rules, ok := allowed[pkg]
	if !ok {
		// A package under model/ (the TLA+ port) follows model's rules.
		if strings.HasPrefix(pkg, "model/") {
			rules = allowed["model"]
		}
	}
	for _, r := range rules {
		switch {
		case r == "std" && isStd(imp):
			return true
		case r == "std-pure" && isStd(imp):
			for _, bad := range impure {
				if imp == bad {
					return false
				}
			}
			return true
		case imp == r:
			return true
		case r == module+"/model" && strings.HasPrefix(imp, r+"/"):
			return true // the reference ports
		case !strings.HasPrefix(r, module+"/") && strings.HasPrefix(imp, r+"/"):
			return true // a third-party module's sub-packages
		}
	}
	return false
}

func TestImportDirection(t *testing.T) {
	pkgs := packages(t)
	var dirs []string
	for d := range pkgs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		if _, ok := allowed[dir]; !ok && !strings.HasPrefix(dir, "model/") {
			t.Errorf("package %s is not in the import table of deps_test.go (and the README's Layout): add it there first", dir)
			continue
		}
		for _, imp := range pkgs[dir] {
			if !permitted(dir, imp) {
				t.Errorf("%s imports %s, which the import table of deps_test.go does not allow", dir, imp)
			}
		}
	}
	for pkg := range allowed {
		if _, ok := pkgs[pkg]; !ok {
			t.Errorf("package %s in the table does not exist", pkg)
		}
	}
}

// model and its port must be pure: besides the imports above, no goroutines
// and no range over a map, whose order would leak into actions, encodings or
// text.
func TestModelIsPure(t *testing.T) {
	for _, dir := range []string{"model", "model/tlareplication"} {
		t.Run(dir, func(t *testing.T) { checkPure(t, dir) })
	}
}

func checkPure(t testing.TB, dir string) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob(dir + "/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("electcheck/"+dir, fset, files, info); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				t.Errorf("%s: model starts a goroutine", fset.Position(n.Pos()))
			case *ast.RangeStmt:
				if tv, ok := info.Types[n.X]; ok {
					if _, isMap := tv.Type.Underlying().(*types.Map); isMap {
						t.Errorf("%s: model ranges over a map", fset.Position(n.Pos()))
					}
				}
			}
			return true
		})
	}
}
