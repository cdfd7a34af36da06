package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"electcheck/checker"
	"electcheck/checker/sweep"
	"electcheck/explore"
)

// clockSeed is a seed from the clock, for a run given no --seed, and the
// line that tells it (for stderr, once the run's request is known valid,
// so that a refused one still gets a single line).
func clockSeed() (uint64, string) {
	seed := uint64(time.Now().UnixNano())
	return seed, fmt.Sprintf("electcheck: seed %d (rerun with --seed %d)\n", seed, seed)
}

// threeForms is a report that prints as text, Markdown and JSON.
type threeForms interface {
	WriteText(io.Writer)
	WriteMarkdown(io.Writer)
	WriteJSON(io.Writer) error
}

// printReport writes a report in a format (a failed write is the
// reportWriter's to report).
func printReport(format string, rep threeForms, stdout io.Writer) {
	switch format {
	case "json":
		_ = rep.WriteJSON(stdout)
	case "markdown":
		rep.WriteMarkdown(stdout)
	default:
		rep.WriteText(stdout)
	}
}

// reportWriter is standard output as a report goes to it. It keeps the
// first write error, so that a report that could not be written ends the
// command with exit code 4 and one line on stderr, whichever printer hit
// it, text or JSON.
type reportWriter struct {
	w   io.Writer
	err error
}

func (r *reportWriter) Write(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.w.Write(p)
	if err != nil {
		r.err = err
	}
	return n, err
}

// sideFiles are the files a command writes beside its report
// (--trace-out, --history-out, --html, --plot, --trace-dir). They are
// written after the report is printed, so that a file that cannot be
// written loses nothing else; each failure is one line on stderr naming
// its flag, and the command's exit code becomes 4.
type sideFiles struct {
	failed []string
}

// write creates path and fills it with w. A regular file half written is
// removed; anything else (a device such as /dev/full, a pipe) is left
// alone.
func (s *sideFiles) write(flag, path string, w func(io.Writer) error) {
	f, err := os.Create(path)
	if err == nil {
		err = w(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if st, serr := os.Stat(path); err != nil && serr == nil && st.Mode().IsRegular() {
			os.Remove(path)
		}
	}
	if err != nil {
		s.fail(flag, err)
	}
}

// writeBytes writes data to path.
func (s *sideFiles) writeBytes(flag, path string, data []byte) {
	s.write(flag, path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// fail records that flag's file could not be written.
func (s *sideFiles) fail(flag string, err error) {
	s.failed = append(s.failed, fmt.Sprintf("%s: cannot write the file: %v (the report above is complete)", flag, strings.ReplaceAll(err.Error(), "\n", " ")))
}

// finish prints the failures and gives the exit code: code, or 4 if a
// file could not be written.
func (s *sideFiles) finish(stderr io.Writer, code int) int {
	for _, f := range s.failed {
		fmt.Fprintf(stderr, "electcheck: %s\n", f)
	}
	if len(s.failed) > 0 {
		return exitInternal
	}
	return code
}

// writable says why path cannot be written, before a long search finds
// out: its directory is missing, or it is a directory.
func writable(flag, path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("%s: %s is a directory: name a file", flag, path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return usagef("%s: directory %s does not exist: create it first", flag, dir)
	}
	f, err := os.CreateTemp(dir, ".electcheck-*")
	if err != nil {
		return usagef("%s: cannot write in %s: %v", flag, dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// notes prints things to know before a run on stderr, a line each.
func notes(stderr io.Writer, lines []string) {
	for _, n := range lines {
		fmt.Fprintf(stderr, "electcheck: %s\n", n)
	}
}

// showProgress reports whether to print progress: asked for, or stderr is
// a terminal.
func showProgress(asked bool, stderr io.Writer) bool { return asked || isTerminal(stderr) }

// progressPrinter prints a search's progress on one line each time.
func progressPrinter(w io.Writer) func(explore.Stats) {
	return func(s explore.Stats) {
		fmt.Fprintf(w, "electcheck: %s states, %s/s, queue %s, depth %d, %s\n",
			checker.Commas(s.Distinct), checker.Commas(int64(s.StatesPerSecond())), checker.Commas(s.Queue), s.Depth, s.Elapsed.Round(time.Second))
	}
}

// walkProgress prints a simulation's progress every few seconds.
func walkProgress(w io.Writer) func(done, total int) {
	start, last := time.Now(), time.Now()
	return func(done, total int) {
		if done < total && time.Since(last) < 2*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "electcheck: %s of %s walks, %s\n", checker.Commas(int64(done)), checker.Commas(int64(total)), time.Since(start).Round(time.Second))
	}
}

// progressBar draws a sweep's progress: a bar redrawn in place on a
// terminal, a line every few seconds elsewhere.
func progressBar(w io.Writer, terminal bool) func(sweep.Progress) {
	var last time.Time
	return func(p sweep.Progress) {
		done := p.Done == p.Total
		if !terminal && !done && time.Since(last) < 5*time.Second {
			return
		}
		last = time.Now()
		const width = 24
		filled := width * p.Done / max(p.Total, 1)
		eta := ""
		if p.Done > 0 && !done {
			left := time.Duration(float64(p.Elapsed) / float64(p.Done) * float64(p.Total-p.Done))
			eta = fmt.Sprintf(", about %s left", left.Round(time.Second))
		}
		line := fmt.Sprintf("electcheck: [%s%s] %d/%d cells: %d searched, %d cached, %d inferred; %s%s",
			strings.Repeat("#", filled), strings.Repeat("-", width-filled), p.Done, p.Total, p.Searched, p.Cached, p.Inferred, p.Elapsed.Round(time.Second), eta)
		if terminal {
			fmt.Fprintf(w, "\r\x1b[K%s", line)
			if done {
				fmt.Fprintln(w)
			}
			return
		}
		fmt.Fprintln(w, line)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
