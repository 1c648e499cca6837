package svm_test

import (
	"context"
	"fmt"

	"albench/learners/svm"
	"albench/nets"
)

// Two points on a line with a linear kernel: the margin is centred between
// them, and the decision value is positive on class 1's side.
func ExampleParams_Fit() {
	x := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{2, 0}}
	m, err := svm.Params{Kernel: "linear"}.Fit(context.Background(), x, []int{0, 1}, 2, nil)
	if err != nil {
		panic(err)
	}
	q := &nets.Matrix{Rows: 3, Cols: 1, Data: []float64{-1, 0.5, 3}}
	var dec nets.Matrix
	m.Decision(q, &dec)
	pred := make([]int, 3)
	m.Predict(q, pred)
	fmt.Println(dec.Data, pred, m.DualCoef(0), m.Intercept(0))
	// Output: [2 0.5 -2] [1 1 0] [-0.5 0.5] 1
}
