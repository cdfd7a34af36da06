// Package markov holds continuous- and discrete-time Markov chains and
// Markov decision processes as data, and the numerical methods electcheck's
// risk analysis needs on them: a compact sparse form built by streaming
// rows, strongly connected components, exact reachability probabilities and
// expected rewards by one reverse-topological pass, long-run distributions,
// time-bounded reachability by uniformisation, minimum and maximum values
// over schedulers, and the explicit file formats of PRISM and Storm.
//
// The package knows nothing about Kafka: a chain is states, rates and
// named labels. A discrete-time chain is a continuous-time chain whose exit
// rates are 1; every method here reads a chain as a CTMC, and the values
// that do not depend on time (reachability, the embedded jump chain) are
// the same either way.
//
// # Sizes
//
// A Chain stores a transition as a uint32 target and an index into a table
// of the distinct rates: one byte while there are at most 256 of them, two
// bytes up to 65,536, and Build fails beyond that. Row offsets are uint32
// while the chain has fewer than 2³² transitions, uint64 beyond. Labels are
// a uint16 bitset per state, so a chain has at most 16 label names. See
// docs/markov.md for the measured bytes per state and per transition.
//
// # Accuracy
//
// Solvers never stop on an absolute change: iterative methods stop on a
// relative one and every result carries a Residual that says how each state
// was solved and the largest relative residual (or, where the method gives
// one, the relative width of a sound interval).
package markov
