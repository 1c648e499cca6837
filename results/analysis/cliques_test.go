package analysis

import (
	"math"
	"slices"
	"testing"
)

func TestCliques(t *testing.T) {
	nemenyi := func(ranks []float64, cd float64) [][2]int {
		return cliques(len(ranks), func(p, q int) bool { return math.Abs(ranks[p]-ranks[q]) < cd })
	}
	for _, c := range []struct {
		ranks []float64
		cd    float64
		want  [][2]int
	}{
		// From 1.0 only 1.2 is within 1.0; 1.2 reaches nothing new; 2.5 and
		// 3.3 are 0.8 apart.
		{[]float64{1.0, 1.2, 2.5, 3.3}, 1.0, [][2]int{{0, 1}, {2, 3}}},
		// 1.0–1.9 (0.9), then 1.5 reaches no further (2.8 − 1.5 = 1.3) and
		// is inside; 1.9–2.8, 2.8–3.0 (3.0 − 1.9 = 1.1 breaks the first).
		{[]float64{1.0, 1.5, 1.9, 2.8, 3.0}, 1.0, [][2]int{{0, 2}, {2, 3}, {3, 4}}},
		// A difference of exactly CD is significant (Demšar: "at least").
		{[]float64{1, 2, 3}, 1, nil},
		// Ties: one group.
		{[]float64{2, 2, 2}, 0.5, [][2]int{{0, 2}}},
		{[]float64{1, 4}, 10, [][2]int{{0, 1}}},
		{[]float64{1}, 10, nil},
	} {
		if got := nemenyi(c.ranks, c.cd); !slices.Equal(got, c.want) {
			t.Errorf("ranks %v, CD %v: cliques %v, want %v", c.ranks, c.cd, got, c.want)
		}
	}
	// Not an interval relation (Wilcoxon–Holm): 0~1, 1~2, 2~3, 1~3 but not
	// 0~2: the run from 0 stops at 1, that from 1 reaches 3.
	sameSet := map[[2]int]bool{{0, 1}: true, {1, 2}: true, {2, 3}: true, {1, 3}: true}
	got := cliques(4, func(p, q int) bool { return sameSet[[2]int{p, q}] })
	if want := [][2]int{{0, 1}, {1, 3}}; !slices.Equal(got, want) {
		t.Errorf("non-interval cliques %v, want %v", got, want)
	}
}
