package lda

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"albench/nets"
)

type fixture struct {
	Dataset string      `json:"dataset"`
	Classes int         `json:"classes"`
	XTrain  [][]float64 `json:"x_train"`
	YTrain  []int       `json:"y_train"`
	XTest   [][]float64 `json:"x_test"`
	Cases   []struct {
		Tol       float64     `json:"tol"`
		Probs     [][]float64 `json:"probs"`
		Pred      []int       `json:"pred"`
		Decision  [][]float64 `json:"decision"`
		Coef      [][]float64 `json:"coef"`
		Intercept []float64   `json:"intercept"`
	} `json:"cases"`
}

func matrix(rows [][]float64) *nets.Matrix {
	m := nets.NewMatrix(len(rows), len(rows[0]))
	for i, r := range rows {
		copy(m.Row(i), r)
	}
	return m
}

func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var out []fixture
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx fixture
		if err := json.Unmarshal(b, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, fx)
	}
	return out
}

func maxDiff(t *testing.T, got *nets.Matrix, want [][]float64) float64 {
	t.Helper()
	if got.Rows != len(want) || got.Cols != len(want[0]) {
		t.Fatalf("shape %d×%d, want %d×%d", got.Rows, got.Cols, len(want), len(want[0]))
	}
	worst := 0.0
	for i, r := range want {
		for j, w := range r {
			worst = math.Max(worst, math.Abs(got.Data[i*got.Cols+j]-w))
		}
	}
	return worst
}

// TestSklearnFixtures compares with LinearDiscriminantAnalysis(solver='svd') of
// scikit-learn on iris, wine, breast_cancer and moons: probabilities within 1e-9,
// decision values, coef_ and intercept_ within 1e-9 relative to their size.
func TestSklearnFixtures(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		xtr, xte := matrix(fx.XTrain), matrix(fx.XTest)
		for _, c := range fx.Cases {
			m, err := Params{Tol: c.Tol}.Fit(context.Background(), xtr, fx.YTrain, fx.Classes, nil)
			if err != nil {
				t.Fatal(err)
			}
			var p, dec nets.Matrix
			m.Probs(xte, &p)
			m.Decision(xte, &dec)
			coef, icpt := m.Coef()
			dp, dd, dc := maxDiff(t, &p, c.Probs), maxDiff(t, &dec, c.Decision), maxDiff(t, coef, c.Coef)
			di := 0.0
			for k, w := range c.Intercept {
				di = math.Max(di, math.Abs(icpt[k]-w))
			}
			t.Logf("%s: max |Δp| %.3g, |Δdecision| %.3g, |Δcoef| %.3g, |Δintercept| %.3g (rank %d)",
				fx.Dataset, dp, dd, dc, di, m.Rank())
			if dp > 1e-9 {
				t.Errorf("%s: probabilities differ by %.3g", fx.Dataset, dp)
			}
			if dd > 1e-9*math.Max(1, maxAbs(c.Decision)) || dc > 1e-9*math.Max(1, maxAbs(c.Coef)) {
				t.Errorf("%s: decision differs by %.3g, coef by %.3g", fx.Dataset, dd, dc)
			}
			pred := make([]int, xte.Rows)
			m.Predict(xte, pred)
			if !slices.Equal(pred, c.Pred) {
				t.Errorf("%s: predictions %v, scikit-learn %v", fx.Dataset, pred, c.Pred)
			}
		}
	}
}

func maxAbs(rows [][]float64) float64 {
	m := 0.0
	for _, r := range rows {
		for _, v := range r {
			m = math.Max(m, math.Abs(v))
		}
	}
	return m
}

// TestHandComputed: two 1-D classes {0, 2} and {4, 6}. Pooled within-class
// variance (divisor n − K = 2) is (1+1+1+1)/2 = 2, the means are 1 and 5, the priors
// ½, so δ(x) = (5 − 1)/2 · (x − 3) = 2x − 6 and p(1|x) = 1/(1 + e^{6−2x}).
func TestHandComputed(t *testing.T) {
	x := &nets.Matrix{Rows: 4, Cols: 1, Data: []float64{0, 2, 4, 6}}
	m, err := Params{}.Fit(context.Background(), x, []int{0, 0, 1, 1}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := &nets.Matrix{Rows: 3, Cols: 1, Data: []float64{2.5, 3, 4}}
	var dec, p nets.Matrix
	m.Decision(q, &dec)
	m.Probs(q, &p)
	for i, v := range q.Data {
		want := 2*v - 6
		if math.Abs(dec.Data[i]-want) > 1e-12 {
			t.Errorf("δ(%v) = %v, want %v", v, dec.Data[i], want)
		}
		if pw := 1 / (1 + math.Exp(-want)); math.Abs(p.Data[2*i+1]-pw) > 1e-12 || math.Abs(p.Data[2*i]+p.Data[2*i+1]-1) > 1e-15 {
			t.Errorf("p(·|%v) = %v, want p1 = %v", v, p.Row(i), pw)
		}
	}
}

// TestAbsentAndSingleClass: absent classes get probability 0 and the present
// ones keep scikit-learn's probabilities; a single class gets probability 1.
func TestAbsentAndSingleClass(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		xtr, xte := matrix(fx.XTrain), matrix(fx.XTest)
		m, err := Params{}.Fit(context.Background(), xtr, fx.YTrain, fx.Classes+1, nil)
		if err != nil {
			t.Fatal(err)
		}
		var p, dec nets.Matrix
		m.Probs(xte, &p)
		m.Decision(xte, &dec)
		for i := range p.Rows {
			r := p.Row(i)
			for c := range fx.Classes {
				if d := math.Abs(r[c] - fx.Cases[0].Probs[i][c]); d > 1e-9 {
					t.Fatalf("%s row %d class %d: %v vs %v", fx.Dataset, i, c, r[c], fx.Cases[0].Probs[i][c])
				}
			}
			if r[fx.Classes] != 0 || !math.IsInf(dec.Row(i)[fx.Classes], -1) {
				t.Fatalf("%s row %d: absent class got p %v, δ %v", fx.Dataset, i, r[fx.Classes], dec.Row(i)[fx.Classes])
			}
		}
	}
	fx := loadFixtures(t)[0]
	xtr, xte := matrix(fx.XTrain), matrix(fx.XTest)
	one := make([]int, xtr.Rows)
	for i := range one {
		one[i] = 1
	}
	m, err := Params{}.Fit(context.Background(), xtr, one, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var p, dec nets.Matrix
	m.Probs(xte, &p)
	m.Decision(xte, &dec)
	pred := make([]int, xte.Rows)
	m.Predict(xte, pred)
	for i := range p.Rows {
		if r := p.Row(i); r[0] != 0 || r[1] != 1 || !math.IsInf(dec.Data[i], 1) || pred[i] != 1 {
			t.Fatalf("row %d: p %v, δ %v, predicted %d", i, r, dec.Data[i], pred[i])
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	x := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{0, 1}}
	if _, err := (Params{}).Fit(ctx, x, []int{0, 1}, 2, nil); err == nil {
		t.Error("n = K: no error")
	}
	if _, err := (Params{Tol: -1}).Fit(ctx, x, []int{0, 1}, 2, nil); err == nil {
		t.Error("negative tol: no error")
	}
	if _, err := (Params{}).Fit(ctx, x, []int{0, 5}, 2, nil); err == nil {
		t.Error("label out of range: no error")
	}
}

func TestProbsAllocs(t *testing.T) {
	fx := loadFixtures(t)[0]
	xtr, xte := matrix(fx.XTrain), matrix(fx.XTest)
	m, err := Params{}.Fit(context.Background(), xtr, fx.YTrain, fx.Classes, nil)
	if err != nil {
		t.Fatal(err)
	}
	var p, dec nets.Matrix
	pred := make([]int, xte.Rows)
	m.Probs(xte, &p)
	m.Decision(xte, &dec)
	if a := testing.AllocsPerRun(20, func() { m.Probs(xte, &p); m.Decision(xte, &dec); m.Predict(xte, pred) }); a != 0 {
		t.Fatalf("%v allocations per Probs+Decision+Predict", a)
	}
}
