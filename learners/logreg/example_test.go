package logreg_test

import (
	"context"
	"fmt"

	"albench/learners/logreg"
	"albench/nets"
)

// Fit a binary model on six 1-D points, then refit warm after a seventh.
// scikit-learn ≥ 1.4 gives w = 0.5611, b = −0.0579 (p = 0.2892, 0.7933) and, cold
// on the seven points, w = 0.6050, b = −0.0114: the warm refit stops elsewhere
// within tol.
func Example() {
	x := &nets.Matrix{Rows: 6, Cols: 1, Data: []float64{-3, -2, -1, 1, 2, 4}}
	y := []int{0, 0, 1, 0, 1, 1}
	p := logreg.Params{C: 1}
	m, err := p.Fit(context.Background(), x, y, 2, nil)
	if err != nil {
		panic(err)
	}
	coef, icpt := m.Coef()
	fmt.Printf("w = %.4f, b = %.4f\n", coef.Data[0], icpt[0])

	q := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{-1.5, 2.5}}
	var probs nets.Matrix
	m.Probs(q, &probs)
	fmt.Printf("p(1|-1.5) = %.4f, p(1|2.5) = %.4f\n", probs.Data[1], probs.Data[3])

	x = &nets.Matrix{Rows: 7, Cols: 1, Data: []float64{-3, -2, -1, 1, 2, 4, 5}}
	y = append(y, 1)
	m, err = p.FitFrom(context.Background(), m, x, y, 2, nil)
	if err != nil {
		panic(err)
	}
	coef, icpt = m.Coef()
	fmt.Printf("after one more point: w = %.4f, b = %.4f\n", coef.Data[0], icpt[0])
	// Output:
	// w = 0.5611, b = -0.0579
	// p(1|-1.5) = 0.2892, p(1|2.5) = 0.7933
	// after one more point: w = 0.6050, b = -0.0115
}
