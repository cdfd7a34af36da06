package checker

import (
	"strings"

	"electcheck/explore"
)

// The ports of TLA+ specifications (model/tlareplication and
// model/kraftreplication) declare their properties and witnesses in one
// shape; this is what check does with them, once for both.

// portProperty is a port's Property: a package's own type converts to it.
type portProperty[M, S any] struct {
	Name      string
	Statement string
	Guards    []string // witnesses showing the guarded situation was reached
	Check     func(m M, s *S) error
}

// portWitness is a port's Witness.
type portWitness[M, S any] struct {
	Name        string
	Description string
	Reached     func(m M, s *S) bool
}

// portRun is a port's check: its model, the properties asked for, the
// witnesses it knows and the one --show asks for.
type portRun[M, S any] struct {
	model     M
	props     []portProperty[M, S]
	witnesses []portWitness[M, S]
	show      string
}

// newPortRun picks the properties asked for (all when none is) and checks
// --show, naming the model (and variant) in its errors.
func newPortRun[M, S any](m M, all []portProperty[M, S], ws []portWitness[M, S], req *Request, s *Search, name string) (*portRun[M, S], error) {
	r := &portRun[M, S]{model: m, witnesses: ws, show: s.Show}
	if s.Show != "" {
		known := false
		for _, w := range ws {
			known = known || w.Name == s.Show
		}
		if !known {
			return nil, badf("--show: %q is not a witness of %s", s.Show, name)
		}
	}
	if len(req.Properties) == 0 {
		r.props = all
		return r, nil
	}
	var valid []string
	for _, p := range all {
		valid = append(valid, p.Name)
		for _, n := range req.Properties {
			if strings.TrimSpace(n) == p.Name {
				r.props = append(r.props, p)
			}
		}
	}
	if len(r.props) != len(req.Properties) {
		return nil, badf("--invariants: %s checks %s", name, strings.Join(valid, ", "))
	}
	return r, nil
}

// checks are the properties (and extra, checked always) as invariants,
// and the witnesses their guards name or --show asks for, with what the
// outcome says of each.
func (r *portRun[M, S]) checks(extra ...portProperty[M, S]) ([]explore.Invariant[S], []explore.Witness[S], []propInfo, []witnessInfo) {
	m := r.model
	guards := map[string]bool{}
	var invs []explore.Invariant[S]
	var props []propInfo
	for _, p := range append(append([]portProperty[M, S](nil), r.props...), extra...) {
		check := p.Check
		invs = append(invs, explore.Invariant[S]{Name: p.Name, Check: func(s *S) error { return check(m, s) }})
		props = append(props, propInfo{p.Name, p.Guards})
		for _, g := range p.Guards {
			guards[g] = true
		}
	}
	var wits []explore.Witness[S]
	var winfo []witnessInfo
	for _, w := range r.witnesses {
		if !guards[w.Name] && w.Name != r.show {
			continue
		}
		reached := w.Reached
		wits = append(wits, explore.Witness[S]{Name: w.Name, Reached: func(s *S) bool { return reached(m, s) }})
		winfo = append(winfo, witnessInfo{w.Name, w.Description, false})
	}
	return invs, wits, props, winfo
}

// converted converts each of xs.
func converted[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
