package records

// QueriesHeader is the header row of queries.csv.
var QueriesHeader = []string{"dataset", "strategy", "seed", "round", "pool_row", "row", "label"}

// Query is one labeled point of a trial: one row of queries.csv. Round is the
// round whose training set the point first joins, so round 0 lists the initial
// labeled set (the same for every strategy of a seed) and the labeled set of
// round r is every query of the trial with Round ≤ r, in file order. Replaying a
// trial elsewhere needs nothing else.
type Query struct {
	Key
	// PoolRow indexes the trial's pool (the rows `albench data` marks "pool",
	// in order); Row is the point's row in the dataset as built (the data file's
	// data row counted from 0, or the generator's sample index).
	PoolRow, Row int
	// Label is the class revealed by the oracle, by name.
	Label string
}
