package checker

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"electcheck/history"
)

// ReplayReport is a replayed trace file and what the current model made of
// it, for printing.
type ReplayReport struct {
	Path   string
	File   *history.File
	Result *history.ReplayResult
}

// Summary says in a sentence how the replay went.
func (r *ReplayReport) Summary() string {
	f, res := r.File, r.Result
	switch res.Outcome {
	case history.Reproduces:
		return fmt.Sprintf("still reproduces: every step replays as recorded and %s still fails: %s", f.Property, res.Message)
	case history.NoLongerFails:
		return fmt.Sprintf("no longer fails: every step replays as recorded, but %s now holds at the end", f.Property)
	case history.Matches:
		s := "replays as recorded"
		if f.Witness != "" {
			s += fmt.Sprintf("; %s reached at the end: %t", f.Witness, res.WitnessReached)
		}
		return s
	}
	return fmt.Sprintf("DIVERGES at step %d: %s", res.DivergedAt, strings.TrimSuffix(res.Reason, "."))
}

// WriteText prints the replay for a person: the summary, then the steps
// (up to the divergence, with the two states side by side).
func (r *ReplayReport) WriteText(w io.Writer) {
	f, res := r.File, r.Result
	fmt.Fprintf(w, "trace:   %s (%s, %d steps)\nmodel:   %s\n", r.Path, f.Model, len(f.Steps)-1, res.ModelLine)
	if res.RulesLine != "" {
		fmt.Fprintf(w, "rules:   %s\n", res.RulesLine)
	}
	fmt.Fprintf(w, "result:  %s\n", r.Summary())
	if res.Outcome != history.Diverges {
		fmt.Fprintf(w, "\n%s", indent(res.Text, "  "))
		return
	}
	now := res.Now
	if now == "" {
		now = "(no state: the action is not enabled)"
	}
	fmt.Fprintf(w, "\n%s", history.SideBySide(fmt.Sprintf("recorded state after step %d", res.DivergedAt), res.Recorded,
		"the current model's", now))
	if len(res.Fields) > 0 {
		fmt.Fprintf(w, "\nfields that differ:\n  %s\n", strings.Join(res.Fields, "\n  "))
	}
	fmt.Fprintf(w, "\nthe steps that still replay:\n\n%s", indent(res.Text, "  "))
}

// WriteMarkdown prints the replayed trace as a document, with the summary.
func (r *ReplayReport) WriteMarkdown(w io.Writer) {
	fmt.Fprint(w, r.Result.Markdown)
	fmt.Fprintf(w, "\n**Replay:** %s.\n", r.Summary())
}

// WriteJSON prints the replay as one JSON object.
func (r *ReplayReport) WriteJSON(w io.Writer) error {
	f, res := r.File, r.Result
	out := struct {
		File       string   `json:"file"`
		Model      string   `json:"model"`
		Property   string   `json:"property,omitempty"`
		Witness    string   `json:"witness,omitempty"`
		Result     string   `json:"result"`
		Steps      int      `json:"steps"`
		Replayed   int      `json:"replayed"`
		DivergedAt *int     `json:"diverged_at,omitempty"`
		Reason     string   `json:"reason,omitempty"`
		Recorded   string   `json:"recorded,omitempty"`
		Now        string   `json:"now,omitempty"`
		Fields     []string `json:"differing_fields,omitempty"`
		Message    string   `json:"message,omitempty"`
	}{File: r.Path, Model: f.Model, Property: f.Property, Witness: f.Witness, Result: res.Outcome.String(),
		Steps: len(f.Steps) - 1, Replayed: res.Replayed, Reason: res.Reason, Recorded: res.Recorded, Now: res.Now, Fields: res.Fields, Message: res.Message}
	if res.Outcome == history.Diverges {
		out.DivergedAt = &res.DivergedAt
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
