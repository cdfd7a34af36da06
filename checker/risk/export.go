package risk

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"electcheck/markov"
)

// ExportPRISM writes the incident chain as PRISM's explicit files, for
// checking the figures with PRISM (docs/risk.md):
//
//	PREFIX.tra, .sta, .lab   the chain; labels init (the start: steady
//	                         operation until the first fault), lost, healed,
//	                         truncated, offline, refused
//	PREFIX.srew              reward 1 in every state but the start:
//	                         an incident's expected length, hours
//	PREFIX-offline.srew      reward 1 where the partition has no leader
//	PREFIX-refused.srew      reward 1 where acks=all writes are refused
//	PREFIX.csl               the properties risk computes, and how to run them
//
// Rates are per hour.
func (a *Analysis) ExportPRISM(prefix string) error {
	c := a.inc.chain
	names := c.Names()
	files := []struct {
		ext   string
		write func(io.Writer) error
	}{
		{".tra", func(w io.Writer) error { return markov.WriteTra(w, c) }},
		{".sta", func(w io.Writer) error {
			return markov.WriteSta(w, c.N(), []string{"s"}, func(s uint32) []int { return []int{int(s)} })
		}},
		{".lab", func(w io.Writer) error { return markov.WriteLab(w, c) }},
		{".srew", func(w io.Writer) error { return markov.WriteSrew(w, c.N(), incidentTime) }},
		{"-offline.srew", func(w io.Writer) error {
			return markov.WriteSrew(w, c.N(), markov.Indicator(c, names.MustMask("offline")))
		}},
		{"-refused.srew", func(w io.Writer) error {
			return markov.WriteSrew(w, c.N(), markov.Indicator(c, names.MustMask("refused")))
		}},
		{".csl", a.writeCSL(prefix)},
	}
	for _, f := range files {
		if err := writeFile(prefix+f.ext, f.write); err != nil {
			return err
		}
	}
	return nil
}

// writeCSL writes the properties file: the figures risk reads off the
// chain, with the commands that check them.
func (a *Analysis) writeCSL(prefix string) func(io.Writer) error {
	base := filepath.Base(prefix)
	return func(w io.Writer) error {
		_, err := fmt.Fprintf(w, `// electcheck risk: the incident chain of %s
// States: %d, transitions: %d. Rates are per hour. The start state (label
// init) is steady operation until the first fault: its exit rates are the
// incidents' first faults (their sum, the incident rate, is %s per hour,
// a mean of %s hours between incidents), and its rewards are 0, so the
// values in it are per incident.
//
//   prism -importmodel %s.tra,sta,lab,srew -ctmc %s.csl -explicit -epsilon 1e-12 -relative
//
// and for the offline (or refused) hours, the same properties with
//
//   prism -importmodel %s.tra,sta,lab -importstaterewards %s-offline.srew -ctmc %s.csl -explicit -epsilon 1e-12 -relative
//
// electcheck's figures: p(lost) %s, p(healed) %s, p(truncated) %s;
// an incident's expected hours %s, offline %s, refused %s.
P=? [ F "lost" ]
P=? [ F "healed" ]
P=? [ F "truncated" ]
R=? [ F "lost"|"healed"|"truncated" ]
`, a.Request.Config.String(), a.Incident.States, a.Incident.Transitions, g(a.IncidentRate), g(1/a.IncidentRate),
			base, base, base, base, base, g(a.PLost), g(a.PHealed), g(a.PTruncated), g(a.MeanHours),
			g(a.OfflineHours), g(a.RefusedHours))
		return err
	}
}

// ExportDRN writes the incident chain in Storm's DRN format, with the
// rewards time, offline and refused.
func (a *Analysis) ExportDRN(path string) error {
	c := a.inc.chain
	names := c.Names()
	return writeFile(path, func(w io.Writer) error {
		return markov.WriteDRN(w, c, []markov.RewardModel{
			{Name: "time", Reward: markov.Time},
			{Name: "offline", Reward: markov.Indicator(c, names.MustMask("offline"))},
			{Name: "refused", Reward: markov.Indicator(c, names.MustMask("refused"))},
		})
	})
}

// incidentTime is the time reward without the start state (state 0).
func incidentTime(s uint32) float64 {
	if s == 0 {
		return 0
	}
	return 1
}

func g(v float64) string { return fmt.Sprintf("%.17g", v) }

// writeFile creates path and writes it, reporting the first error of
// writing or closing.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
