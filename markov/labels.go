package markov

import (
	"fmt"
	"strings"
)

// Labels is a set of a chain's labels, one bit per label name, in the order
// the names were given to NewBuilder (bit 0 is the first name).
type Labels uint16

// MaxLabels is the number of label names a chain can have.
const MaxLabels = 16

// Has reports whether l shares a label with mask.
func (l Labels) Has(mask Labels) bool { return l&mask != 0 }

// LabelNames are the names of a chain's labels, index i naming bit i.
type LabelNames []string

// Mask returns the set of the named labels. It fails on a name that is not
// in the list, so that a typo cannot silently select no state.
func (n LabelNames) Mask(names ...string) (Labels, error) {
	var m Labels
	for _, want := range names {
		i := n.index(want)
		if i < 0 {
			return 0, fmt.Errorf("no label %q (the chain has %s)", want, strings.Join(n, ", "))
		}
		m |= 1 << i
	}
	return m, nil
}

// MustMask is Mask for names fixed in the caller's code; it panics on an
// unknown name.
func (n LabelNames) MustMask(names ...string) Labels {
	m, err := n.Mask(names...)
	if err != nil {
		panic(err)
	}
	return m
}

func (n LabelNames) index(name string) int {
	for i, have := range n {
		if have == name {
			return i
		}
	}
	return -1
}

// validate checks the names a builder is given: at most MaxLabels,
// non-empty, distinct, and free of the characters the file formats use as
// separators.
func (n LabelNames) validate() error {
	if len(n) > MaxLabels {
		return fmt.Errorf("%d label names: a chain has at most %d", len(n), MaxLabels)
	}
	for i, name := range n {
		if name == "" || strings.ContainsAny(name, "\"= \t\n\r,:") {
			return fmt.Errorf("label name %q: it must be non-empty, without quotes, '=', ',', ':' or spaces", name)
		}
		if n.index(name) != i {
			return fmt.Errorf("label name %q appears twice", name)
		}
	}
	return nil
}
