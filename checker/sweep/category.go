package sweep

import "image/color"

// The categories of a sweep's cells, and everything the outputs say of
// each: one table, so that a category is added in one place.

// The categories of a searched cell, worst first: what the heat map shows.
const (
	LosesCommitted = "loses-committed" // committed-offsets-preserved fails
	LosesAcked     = "loses-acked"     // acked-records-durable fails, committed data survives
	Violates       = "violates"        // another property fails, no data lost
	RefusesWrites  = "refuses-writes"  // every property holds because nothing is ever committed: writes are refused
	GoesOffline    = "offline"         // every property holds; the partition can go offline
	Safe           = "safe"            // every property holds, never offline
	Inconclusive   = "inconclusive"    // a budget ran out before any loss of committed data was found
	Skipped        = "skipped"         // not a valid configuration
)

// The categories of a simulated cell, beside LosesCommitted, LosesAcked,
// Violates and Inconclusive.
const (
	NotLinearizable = "not-linearizable" // a walk's client history is not linearizable, no data lost
	Linearizable    = "linearizable"     // no walk broke a property, every history linearizable
)

// categoryInfo is what the outputs say of a category.
type categoryInfo struct {
	name   string
	text   string     // in the tables
	phrase string     // in the summary sentence (none for skipped cells)
	symbol string     // in the pivot table
	color  color.RGBA // in the heat map
	label  string     // in the heat map's legend
	// Which sweeps' cells can have it: searching, simulating.
	searched, simulated bool
}

// categories, worst first: the order of the summary and the legends.
var categories = []categoryInfo{
	{LosesCommitted, "LOSES COMMITTED", "lose committed data", "C", color.RGBA{0xb2, 0x18, 0x2b, 0xff}, "loses committed data", true, true},
	{LosesAcked, "LOSES ACKED", "lose acknowledged data", "A", color.RGBA{0xf4, 0xa5, 0x82, 0xff}, "loses acknowledged data", true, true},
	{NotLinearizable, "NOT LINEARIZABLE", "have a history that is not linearizable", "N", color.RGBA{0x45, 0x75, 0xb4, 0xff}, "a history not linearizable", false, true},
	{Violates, "violates", "break another property", "V", color.RGBA{0x99, 0x70, 0xab, 0xff}, "another property fails", true, true},
	{RefusesWrites, "refuses writes", "refuse every write", "R", color.RGBA{0x92, 0xc5, 0xde, 0xff}, "refuses every write (nothing to lose)", true, false},
	{GoesOffline, "offline", "can go offline", "O", color.RGBA{0xfe, 0xe0, 0x8b, 0xff}, "goes offline", true, false},
	{Safe, "safe", "safe", "✓", color.RGBA{0x1a, 0x98, 0x50, 0xff}, "safe", true, false},
	{Linearizable, "linearizable", "kept every history linearizable", "L", color.RGBA{0x91, 0xcf, 0x60, 0xff}, "no walk failed", false, true},
	{Inconclusive, "INCONCLUSIVE", "inconclusive", "?", color.RGBA{0x99, 0x99, 0x99, 0xff}, "inconclusive", true, true},
	{Skipped, "skipped", "", "·", color.RGBA{0xee, 0xee, 0xee, 0xff}, "not a valid configuration", true, true},
}

// categoryOf looks a category up by name.
func categoryOf(name string) (categoryInfo, bool) {
	for _, c := range categories {
		if c.name == name {
			return c, true
		}
	}
	return categoryInfo{}, false
}

// outcomeText is a category as the tables print it.
func outcomeText(name string) string {
	c, _ := categoryOf(name)
	return c.text
}

// categoriesOf are the categories the report's cells can have, worst
// first.
func (r *Report) categoriesOf() []categoryInfo {
	var out []categoryInfo
	for _, c := range categories {
		if r.Simulation != nil && c.simulated || r.Simulation == nil && c.searched {
			out = append(out, c)
		}
	}
	return out
}

// CategoryLabel is a category as the heat map's legend words it ("loses
// committed data"), for sentences about a cell.
func CategoryLabel(name string) string {
	c, ok := categoryOf(name)
	if !ok {
		return name
	}
	return c.label
}
