package gaussiannb

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
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
		VarSmoothing float64     `json:"var_smoothing"`
		Probs        [][]float64 `json:"probs"`
		Pred         []int       `json:"pred"`
		Theta        [][]float64 `json:"theta"`
		Var          [][]float64 `json:"var"`
		JLL          [][]float64 `json:"jll"`
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

// TestSklearnFixtures compares with GaussianNB(var_smoothing=1e-9) of scikit-learn on
// iris, wine, breast_cancer and moons (learners/testdata/gen_fixtures.py).
func TestSklearnFixtures(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		xtr, xte := matrix(fx.XTrain), matrix(fx.XTest)
		for _, c := range fx.Cases {
			m, err := Params{VarSmoothing: c.VarSmoothing}.Fit(context.Background(), xtr, fx.YTrain, fx.Classes, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(t, m.Theta(), c.Theta); d > 1e-12 {
				t.Errorf("%s: theta differs by %.3g", fx.Dataset, d)
			}
			if d := maxDiff(t, m.Var(), c.Var); d > 1e-12 {
				t.Errorf("%s: var differs by %.3g", fx.Dataset, d)
			}
			var jll, p nets.Matrix
			m.JointLogLikelihood(xte, &jll)
			m.Probs(xte, &p)
			dj, dp := maxDiff(t, &jll, c.JLL), maxDiff(t, &p, c.Probs)
			t.Logf("%s: max |Δjll| %.3g, max |Δp| %.3g", fx.Dataset, dj, dp)
			if dj > 1e-9*math.Max(1, maxAbs(c.JLL)) || dp > 1e-9 {
				t.Errorf("%s: jll differs by %.3g, probs by %.3g", fx.Dataset, dj, dp)
			}
			pred := make([]int, xte.Rows)
			m.Predict(xte, pred)
			for i := range pred {
				if pred[i] != c.Pred[i] {
					t.Errorf("%s: row %d predicted %d, scikit-learn %d", fx.Dataset, i, pred[i], c.Pred[i])
				}
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

// TestHandComputed checks four 1-D points against the formulas done by hand:
// class 0 = {0, 2}: θ = 1, σ² = 1 + ε; class 1 = {4, 10}: θ = 7, σ² = 9 + ε;
// x̄ = 4 and Var(x) over {0, 2, 4, 10} = (16+4+0+36)/4 = 14, so ε = 14·var_smoothing.
func TestHandComputed(t *testing.T) {
	x := &nets.Matrix{Rows: 4, Cols: 1, Data: []float64{0, 2, 4, 10}}
	y := []int{0, 0, 1, 1}
	const vs = 0.01
	m, err := Params{VarSmoothing: vs}.Fit(context.Background(), x, y, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	eps := 14 * vs
	if math.Abs(m.Epsilon()-eps) > 1e-15 {
		t.Fatalf("epsilon %v, want %v", m.Epsilon(), eps)
	}
	q := &nets.Matrix{Rows: 1, Cols: 1, Data: []float64{3}}
	jll := func(mu, s2 float64) float64 {
		return math.Log(0.5) - 0.5*math.Log(2*math.Pi*s2) - 0.5*(3-mu)*(3-mu)/s2
	}
	j0, j1 := jll(1, 1+eps), jll(7, 9+eps)
	want1 := 1 / (1 + math.Exp(j0-j1))
	var p nets.Matrix
	m.Probs(q, &p)
	if math.Abs(p.Data[1]-want1) > 1e-14 || math.Abs(p.Data[0]+p.Data[1]-1) > 1e-15 {
		t.Fatalf("probs %v, want [%v %v]", p.Data, 1-want1, want1)
	}
	pred := make([]int, 1)
	m.Predict(q, pred)
	if want := map[bool]int{true: 1, false: 0}[want1 > 0.5]; pred[0] != want {
		t.Fatalf("predicted %d, want %d", pred[0], want)
	}
}

// TestAbsentAndSingleClass: classes absent from y get probability 0; one present
// class gets probability 1.
func TestAbsentAndSingleClass(t *testing.T) {
	fx := loadFixtures(t)[0]
	xtr, xte := matrix(fx.XTrain), matrix(fx.XTest)
	m, err := Params{}.Fit(context.Background(), xtr, fx.YTrain, fx.Classes+2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var p nets.Matrix
	m.Probs(xte, &p)
	if p.Cols != fx.Classes+2 {
		t.Fatalf("%d columns", p.Cols)
	}
	for i := range p.Rows {
		r := p.Row(i)
		for c := range fx.Classes {
			if d := math.Abs(r[c] - fx.Cases[0].Probs[i][c]); d > 1e-9 {
				t.Fatalf("row %d class %d: %v vs %v", i, c, r[c], fx.Cases[0].Probs[i][c])
			}
		}
		if r[fx.Classes] != 0 || r[fx.Classes+1] != 0 {
			t.Fatalf("row %d: absent classes got %v", i, r[fx.Classes:])
		}
	}
	one := make([]int, xtr.Rows)
	for i := range one {
		one[i] = 2
	}
	m, err = Params{}.Fit(context.Background(), xtr, one, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.Probs(xte, &p)
	for i := range p.Rows {
		if r := p.Row(i); r[0] != 0 || r[1] != 0 || r[2] != 1 {
			t.Fatalf("row %d: %v", i, r)
		}
	}
}

func TestErrors(t *testing.T) {
	x := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{0, 1}}
	ctx := context.Background()
	for name, f := range map[string]func() error{
		"label":    func() error { _, err := Params{}.Fit(ctx, x, []int{0, 2}, 2, nil); return err },
		"negative": func() error { _, err := Params{VarSmoothing: -3}.Fit(ctx, x, []int{0, 1}, 2, nil); return err },
		"length":   func() error { _, err := Params{}.Fit(ctx, x, []int{0}, 2, nil); return err },
		"nan": func() error {
			_, err := Params{}.Fit(ctx, &nets.Matrix{Rows: 1, Cols: 1, Data: []float64{math.NaN()}}, []int{0}, 2, nil)
			return err
		},
	} {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := (Params{}).Fit(cctx, x, []int{0, 1}, 2, nil); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestProbsAllocs(t *testing.T) {
	fx := loadFixtures(t)[0]
	xtr, xte := matrix(fx.XTrain), matrix(fx.XTest)
	m, err := Params{}.Fit(context.Background(), xtr, fx.YTrain, fx.Classes, nil)
	if err != nil {
		t.Fatal(err)
	}
	var p nets.Matrix
	pred := make([]int, xte.Rows)
	m.Probs(xte, &p)
	m.Predict(xte, pred)
	if a := testing.AllocsPerRun(20, func() { m.Probs(xte, &p); m.Predict(xte, pred) }); a != 0 {
		t.Fatalf("%v allocations per Probs+Predict", a)
	}
}
