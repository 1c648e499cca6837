package knn_test

import (
	"context"
	"fmt"

	"albench/learners/knn"
	"albench/nets"
)

// Three neighbours vote, uniformly and by inverse distance: at 0.5 the neighbours
// are 0, 1 (class 0, distance 0.5) and 2 (class 1, distance 1.5), so the votes are
// 2 : 1 and 4 : 2/3 (scikit-learn gives the same).
func Example() {
	x := &nets.Matrix{Rows: 5, Cols: 1, Data: []float64{0, 1, 2, 3, 10}}
	y := []int{0, 0, 1, 1, 1}
	q := &nets.Matrix{Rows: 1, Cols: 1, Data: []float64{0.5}}
	for _, w := range []string{knn.Uniform, knn.Distance} {
		m, err := knn.Params{NNeighbors: 3, Weights: w}.Fit(context.Background(), x, y, 2, nil)
		if err != nil {
			panic(err)
		}
		var p nets.Matrix
		m.Probs(q, &p)
		fmt.Printf("%s: %.4f\n", w, p.Data)
	}
	// Output:
	// uniform: [0.6667 0.3333]
	// distance: [0.8571 0.1429]
}
