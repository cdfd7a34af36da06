package explore

// The end of a search, whatever its order: its verdict, whether it was
// complete and why it stopped. What became of each property is
// properties.addTo's.

// conclude sets the result's verdict, completeness and stop reason. done
// says the search stopped because of violations (the first one, or with
// KeepGoing every invariant's); stop is why a budget or an interrupt ended
// it, if one did; early says how this search order stops at a violation.
func (res *Result[S, A]) conclude(opts Options, violated, done bool, stop, early string) {
	res.Complete = !done && stop == ""
	switch {
	case violated:
		res.Verdict = Violation
		switch {
		case res.Complete:
		case stop != "":
			res.StopReason = stop
		case opts.KeepGoing:
			res.StopReason = StopAllViolated
		default:
			res.StopReason = early
		}
	case stop != "":
		res.Verdict, res.StopReason = Inconclusive, stop
	}
}
