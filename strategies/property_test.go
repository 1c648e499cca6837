package strategies

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// randomPool returns an n×d pool of standard normal features.
func randomPool(rng *rand.Rand, n, d int) *nets.Matrix {
	m := nets.NewMatrix(n, d)
	for i := range m.Data {
		m.Data[i] = rng.NormFloat64()
	}
	return m
}

// variants is every registered strategy plus the non-default parameter settings:
// the design's table here, each other group's in its own test file.
var variants = slices.Concat(coreVariants, lbVariants, kernelVariants, oracleVariants) // and surveyVariants, appended by survey_test.go's init

var coreVariants = []struct {
	name   string
	params map[string]any
}{
	{"random", nil},
	{"least_confidence", nil},
	{"margin", nil},
	{"entropy", nil},
	{"qbc", nil},
	{"qbc", map[string]any{"measure": "kl", "committee": 3}},
	{"egl", nil},
	{"bald", map[string]any{"samples": 5}},
	{"coreset", nil},
	{"badge", nil},
	{"density", nil},
	{"density", map[string]any{"base": "margin", "beta": 0.5}},
	{"density", map[string]any{"base": "least_confidence", "beta": 2}},
}

func TestVariantsCoverRegistry(t *testing.T) {
	for _, info := range Registry() {
		if info.Name == "external" {
			continue // a plugin: external_test.go runs it
		}
		if !slices.ContainsFunc(variants, func(v struct {
			name   string
			params map[string]any
		}) bool {
			return v.name == info.Name
		}) {
			t.Errorf("strategy %s is missing from the property tests", info.Name)
		}
	}
}

// randomQuery builds a query on a random pool of n rows with l of them labeled.
func randomQuery(seed uint64, n, l, batch int) Query {
	rng := rand.New(rand.NewPCG(seed, 99))
	const d, c, e = 4, 3, 5
	pool := randomPool(rng, n, d)
	perm := rng.Perm(n)
	labeled := perm[:l]
	unlabeled := slices.Sorted(slices.Values(perm[l:]))
	labels := make([]int, l)
	for i := range labels {
		labels[i] = rng.IntN(c)
	}
	// Every query carries an oracle's view (ignored by the other strategies): a
	// random test set and the pool's true labels, the labeled rows' as revealed,
	// from a stream of their own so the rest of the query is as without them.
	orng := rand.New(rand.NewPCG(seed, 100))
	test := randomPool(orng, 12, d)
	testY := make([]int, test.Rows)
	for i := range testY {
		testY[i] = orng.IntN(c)
	}
	poolY := make([]int, n)
	for i := range poolY {
		poolY[i] = orng.IntN(c)
	}
	for i, r := range labeled {
		poolY[r] = labels[i]
	}
	return Query{Pool: pool, Unlabeled: unlabeled, Labeled: labeled, Labels: labels, Classes: c,
		Model: newLinearModel(d, c, e, rng), Fit: fitLinear(c, e), Batch: batch,
		Oracle: &Oracle{Test: test, TestY: testY, PoolY: poolY}}
}

func TestSelectionProperties(t *testing.T) {
	for _, v := range variants {
		for _, n := range []int{1, 5, 37, 120} {
			for _, batch := range []int{0, 1, 3, 10, 200} {
				for _, l := range []int{0, 1, n / 3} {
					if l >= n || (l == 0 && v.name == "qbc") {
						continue // qbc needs a labeled row to resample
					}
					name := fmt.Sprintf("%s%v/n=%d/l=%d/batch=%d", v.name, v.params, n, l, batch)
					q := randomQuery(uint64(n*1000+l), n, l, batch)
					checkSelection(t, name, v.name, v.params, q)
				}
			}
		}
	}
}

func checkSelection(t *testing.T, name, strategy string, params map[string]any, q Query) {
	t.Helper()
	run := func(s Strategy, seed uint64) []int {
		q.Rand = rand.New(rand.NewPCG(seed, 5))
		got, err := s.Select(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return got
	}
	s := mustNew(strategy, params)
	first := run(s, 1)
	if want := min(q.Batch, len(q.Unlabeled)); len(first) != want {
		t.Errorf("%s: %d rows, want %d", name, len(first), want)
	}
	seen := map[int]bool{}
	for _, r := range first {
		if seen[r] {
			t.Errorf("%s: row %d picked twice in %v", name, r, first)
		}
		seen[r] = true
		if _, ok := slices.BinarySearch(q.Unlabeled, r); !ok {
			t.Errorf("%s: row %d is not unlabeled", name, r)
		}
	}
	// The same stream gives the same rows, from a fresh value and from one whose
	// scratch buffers hold the previous round.
	if again := run(mustNew(strategy, params), 1); !slices.Equal(first, again) {
		t.Errorf("%s: fresh strategy gave %v, then %v on the same stream", name, first, again)
	}
	run(s, 2)
	if again := run(s, 1); !slices.Equal(first, again) {
		t.Errorf("%s: reused strategy gave %v, then %v on the same stream", name, first, again)
	}
}

// TestRoundsShrinkPool runs each strategy through successive rounds, moving picks to
// the labeled set, as the harness will: scratch buffers must cope with the pool
// shrinking, and picks must never repeat across rounds.
func TestRoundsShrinkPool(t *testing.T) {
	for _, v := range variants {
		q := randomQuery(7, 60, 5, 7)
		q.Rand = rand.New(rand.NewPCG(7, 7))
		s := mustNew(v.name, v.params)
		taken := map[int]bool{}
		for round := range 8 {
			got, err := s.Select(context.Background(), q)
			if err != nil {
				t.Fatalf("%s round %d: %v", v.name, round, err)
			}
			if want := min(7, len(q.Unlabeled)); len(got) != want {
				t.Fatalf("%s round %d: %d rows, want %d", v.name, round, len(got), want)
			}
			for _, r := range got {
				if taken[r] {
					t.Fatalf("%s round %d: row %d picked again", v.name, round, r)
				}
				taken[r] = true
				q.Labeled = append(q.Labeled, r)
				q.Labels = append(q.Labels, r%3)
			}
			q.Unlabeled = slices.DeleteFunc(q.Unlabeled, func(r int) bool { return taken[r] })
		}
		if len(q.Unlabeled) != 0 {
			t.Errorf("%s: %d rows left after exhausting the pool", v.name, len(q.Unlabeled))
		}
	}
}

// TestSteadyStateAllocs checks that scoring reuses its buffers: after a first round,
// Select allocates only the slice it returns.
func TestSteadyStateAllocs(t *testing.T) {
	for _, v := range variants {
		if v.name == "qbc" || v.name == "eer" || v.name == "albl" || IsOracle(v.name) {
			continue // train new models (albl: runs its base strategies) every round by design
		}
		q := randomQuery(3, 80, 10, 5)
		q.Rand = rand.New(rand.NewPCG(3, 3))
		s := mustNew(v.name, v.params)
		if _, err := s.Select(context.Background(), q); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(5, func() {
			if _, err := s.Select(context.Background(), q); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > 1 {
			t.Errorf("%s%v: %v allocations per Select in steady state, want 1 (the result)", v.name, v.params, allocs)
		}
	}
}
