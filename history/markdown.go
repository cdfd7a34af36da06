package history

import (
	"fmt"
	"strings"
)

// Sequencer is an optional Renderer extension for Markdown: a Mermaid
// sequence diagram of a trace.
type Sequencer[S any, A any] interface {
	// Sequence is the diagram's body, the lines after "sequenceDiagram":
	// the participants that take part in t, the messages and notes of its
	// steps, and closing notes on what doc says the trace shows (the
	// property it violates, the witness it reaches).
	Sequence(t Trace[S, A], doc Document) []string
}

// Document is what a Markdown rendering says around the trace.
type Document struct {
	Title       string
	Description string
	ModelLine   string // the configuration, one line
	RulesLine   string // the replication rules in force, or ""
	BoundsLine  string
	Property    string // violated, or ""
	Message     string
	Witness     string // the situation shown, when no property is violated
	WitnessText string // that situation in words, or ""
	Command     string // reproduces the trace
}

// Markdown renders the trace as a document that GitHub displays as it
// stands: a summary, a Mermaid sequence diagram (for models that have a
// Sequencer), and a table with, for each step, the action, what it did, and
// the state after it, changed lines in bold.
func (t Trace[S, A]) Markdown(r Renderer[S, A], doc Document) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "# %s\n\n", doc.Title)
	if doc.Description != "" {
		fmt.Fprintf(&sb, "%s\n\n", strings.TrimSpace(doc.Description))
	}
	fmt.Fprintf(&sb, "- **Configuration:** %s\n", doc.ModelLine)
	if doc.RulesLine != "" {
		fmt.Fprintf(&sb, "- **Rules in force:** %s\n", doc.RulesLine)
	}
	fmt.Fprintf(&sb, "- **Bounds:** %s\n", doc.BoundsLine)
	switch {
	case doc.Property != "":
		fmt.Fprintf(&sb, "- **Violates:** `%s`: %s\n", doc.Property, doc.Message)
	case doc.Witness != "" && doc.WitnessText != "":
		fmt.Fprintf(&sb, "- **Shows:** `%s`: %s\n", doc.Witness, doc.WitnessText)
	case doc.Witness != "":
		fmt.Fprintf(&sb, "- **Shows:** `%s`\n", doc.Witness)
	}
	fmt.Fprintf(&sb, "- **Trace:** %d states (the initial state included)\n", t.Len())
	if doc.Command != "" {
		fmt.Fprintf(&sb, "- **Reproduce:** `%s`\n", doc.Command)
	}
	if sq, ok := r.(Sequencer[S, A]); ok && t.Len() > 1 {
		sb.WriteString("\n## Sequence\n\n```mermaid\nsequenceDiagram\n")
		for _, line := range sq.Sequence(t, doc) {
			fmt.Fprintf(&sb, "    %s\n", line)
		}
		sb.WriteString("```\n")
	}
	sb.WriteString("\n## Steps\n\n| # | action | what happens | state after (changes in bold) |\n|---|---|---|---|\n")
	var prev []string
	for i, st := range t.Steps {
		action, what := "", "initial state"
		if st.Action != nil {
			action = "`" + r.ActionText(*st.Action) + "`"
			what = ""
			if x, ok := r.(Explainer[S, A]); ok {
				what = MarkdownCell(x.Explain(&t.Steps[i-1].State, &st.State, *st.Action))
			}
		}
		lines := stateLines(r, &st.State)
		var cells []string
		for _, line := range lines {
			code := "`" + strings.ReplaceAll(squeeze(line), "`", "'") + "`"
			if i > 0 && !contains(prev, squeeze(line)) {
				code = "**" + code + "**"
			}
			cells = append(cells, strings.ReplaceAll(code, "|", "\\|"))
		}
		prev = squeezeAll(lines)
		fmt.Fprintf(&sb, "| %d | %s | %s | %s |\n", i, action, what, strings.Join(cells, "<br>"))
	}
	return sb.String()
}

// MarkdownCell makes text safe in a Markdown table cell: pipes escaped,
// angle brackets as entities, lines joined. Every Markdown table electcheck
// writes escapes its cells with it.
func MarkdownCell(s string) string {
	return strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;", "\n", " ").Replace(s)
}
