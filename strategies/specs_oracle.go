package strategies

import "strconv"

// oracleSpecs are the oracles (Info.Oracle): upper bounds that read the test labels.
var oracleSpecs = []spec{
	{
		info: Info{Name: "oracle_greedy", Oracle: true,
			Summary: "upper bound: B greedy steps, each adding the candidate whose true label, after retraining, gives the most correct test predictions",
			Formula: "argmax_{x ∈ C} acc_test(fit(L ∪ S ∪ {(x, y_x)})), S the rows picked so far this round",
			Paper:   "Zhan et al. 2021 (their beam-search oracle with beam 1, one batch ahead); Lu, Li & Lin 2023",
			Needs:   []Capability{CapScores}},
		params: []param{
			{Param: Param{"candidates", 100, "rows drawn from the unlabeled pool each round to try, at least the batch (≥ 0; 0: every unlabeled row); about batch × candidates fits a round"},
				valid: oracleAtLeast(0)},
		},
		build: func(p map[string]any) Strategy {
			return &oracle{name: "oracle_greedy", beam: 1, depth: 1, candidates: p["candidates"].(int)}
		},
	},
	{
		info: Info{Name: "oracle_bso", Oracle: true,
			Summary: "upper bound: beam search over sequences of candidates, ranked by correct test predictions after retraining on their true labels; the first batch of the best sequence",
			Formula: "keep the beam best S + x (x ∈ C) by acc_test(fit(L ∪ S ∪ {x})) for depth·B steps; return the first B rows of the best",
			Paper:   "Zhan et al. 2021 (beam-search oracle), redone each round over depth batches",
			Needs:   []Capability{CapScores}},
		params: []param{
			{Param: Param{"beam", 5, "number of sequences kept at each step (≥ 1); Zhan et al. use 5"}, valid: oracleAtLeast(1)},
			{Param: Param{"depth", 2, "look-ahead in batches: sequences grow to depth × batch rows (≥ 1)"}, valid: oracleAtLeast(1)},
			{Param: Param{"candidates", 50, "rows drawn from the unlabeled pool each round to try, at least depth × batch (≥ 0; 0: every unlabeled row); about depth × batch × beam × candidates fits a round"},
				valid: oracleAtLeast(0)},
		},
		build: func(p map[string]any) Strategy {
			return &oracle{name: "oracle_bso", beam: p["beam"].(int), depth: p["depth"].(int), candidates: p["candidates"].(int)}
		},
	},
}

// oracleAtLeast returns the range check of an integer parameter with minimum lo.
func oracleAtLeast(lo int) func(any) string {
	return func(v any) string {
		if v.(int) < lo {
			return "must be at least " + strconv.Itoa(lo)
		}
		return ""
	}
}
