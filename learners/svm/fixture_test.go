package svm

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"albench/nets"
)

type fixturePair struct {
	I, J      int
	Support   []int
	Coef      []float64
	Rho       float64
	Objective float64
}

type fixtureCase struct {
	Name   string
	Params struct {
		Kernel string
		Gamma  any
		C      float64
		Degree int
		Coef0  float64
	}
	Gamma        float64
	Support      []int
	Intercept    []float64
	NIter        []int `json:"n_iter"`
	Decision     json.RawMessage
	DecisionOvO  [][]float64 `json:"decision_ovo"`
	Predict      []int
	Pairs        []fixturePair
	Probability  bool
	PredictProba [][]float64 `json:"predict_proba"`
	ProbA, ProbB []float64
}

type fixture struct {
	Dataset       string
	Classes       int
	XTrain, XTest [][]float64
	YTrain, YTest []int
	Cases         []fixtureCase
}

func (f *fixture) UnmarshalJSON(b []byte) error {
	type raw struct {
		Dataset string
		Classes int
		XTrain  [][]float64 `json:"x_train"`
		XTest   [][]float64 `json:"x_test"`
		YTrain  []int       `json:"y_train"`
		YTest   []int       `json:"y_test"`
		Cases   []fixtureCase
	}
	var r raw
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*f = fixture(r)
	return nil
}

func loadFixture(t testing.TB, name string) *fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

func toMatrix(rows [][]float64) *nets.Matrix {
	m := nets.NewMatrix(len(rows), len(rows[0]))
	for i, r := range rows {
		copy(m.Row(i), r)
	}
	return m
}

func (c *fixtureCase) params() Params {
	p := Params{Kernel: c.Params.Kernel, C: c.Params.C, Degree: c.Params.Degree, Coef0: c.Params.Coef0,
		Probability: c.Probability}
	switch g := c.Params.Gamma.(type) {
	case string:
		p.GammaMode = g
	case nil:
		p.GammaMode = "scale"
	case float64:
		p.Gamma = g
	}
	return p
}

// relErr is |a − b| / max(|b|, 1).
func relErr(a, b float64) float64 { return math.Abs(a-b) / max(math.Abs(b), 1) }

var fixtureNames = []string{"iris", "wine", "breast_cancer", "moons"}

func TestFixtures(t *testing.T) {
	for _, name := range fixtureNames {
		f := loadFixture(t, name)
		xtr, xte := toMatrix(f.XTrain), toMatrix(f.XTest)
		for _, c := range f.Cases {
			t.Run(name+"/"+c.Name, func(t *testing.T) {
				p := c.params()
				m, err := p.Fit(context.Background(), xtr, f.YTrain, f.Classes, rand.New(rand.NewPCG(1, 2)))
				if err != nil {
					t.Fatal(err)
				}
				if relErr(m.Gamma(), c.Gamma) > 1e-12 {
					t.Errorf("gamma %v, sklearn %v", m.Gamma(), c.Gamma)
				}
				checkFixtureModel(t, m, &c, f, xte)
			})
		}
	}
}

func checkFixtureModel(t *testing.T, m *Model, c *fixtureCase, f *fixture, xte *nets.Matrix) {
	t.Helper()
	if got := slices.Sorted(slices.Values(m.SupportIndices())); !slices.Equal(got, slices.Sorted(slices.Values(c.Support))) {
		t.Errorf("support vectors differ: %d vs sklearn %d", len(got), len(c.Support))
	} else if !slices.Equal(m.SupportIndices(), c.Support) {
		t.Errorf("support vectors in a different order")
	}
	if m.NumPairs() != len(c.Pairs) {
		t.Fatalf("%d pairs, sklearn %d", m.NumPairs(), len(c.Pairs))
	}
	for p, fp := range c.Pairs {
		if i, j := m.Pair(p); i != fp.I || j != fp.J {
			t.Errorf("pair %d is (%d,%d), sklearn (%d,%d)", p, i, j, fp.I, fp.J)
		}
		if relErr(m.Intercept(p), c.Intercept[p]) > 1e-3 {
			t.Errorf("pair %d intercept %v, sklearn %v", p, m.Intercept(p), c.Intercept[p])
		}
		if relErr(m.pairs[p].rho, fp.Rho) > 1e-3 {
			t.Errorf("pair %d rho %v, sklearn %v", p, m.pairs[p].rho, fp.Rho)
		}
		if relErr(m.Objective(p), fp.Objective) > 1e-3 {
			t.Errorf("pair %d objective %v, sklearn %v", p, m.Objective(p), fp.Objective)
		}
		sup := m.PairSupport(p)
		if !slices.Equal(sup, fp.Support) {
			t.Errorf("pair %d support %v, sklearn %v", p, sup, fp.Support)
			continue
		}
		coef := m.DualCoef(p)
		s := 1.0
		if m.Classes() == 2 {
			s = -1 // fixture coefficients are libsvm's
		}
		for k := range coef {
			if math.Abs(coef[k]-s*fp.Coef[k]) > 1e-3*max(1, c.Params.C) {
				t.Errorf("pair %d coef %d: %v, sklearn %v", p, k, coef[k], s*fp.Coef[k])
			}
		}
		if it, _ := m.Iterations(p); it != c.NIter[p] {
			t.Logf("pair %d: %d iterations, sklearn %d", p, it, c.NIter[p])
		}
	}
	var dec nets.Matrix
	m.Decision(xte, &dec)
	var want [][]float64
	if m.Classes() == 2 {
		var v []float64
		if err := json.Unmarshal(c.Decision, &v); err != nil {
			t.Fatal(err)
		}
		for _, x := range v {
			want = append(want, []float64{x})
		}
	} else if err := json.Unmarshal(c.Decision, &want); err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range xte.Rows {
		for k, w := range want[i] {
			worst = max(worst, relErr(dec.Row(i)[k], w))
		}
	}
	t.Logf("decision values: max relative difference %.3g", worst)
	if worst > 1e-3 {
		t.Errorf("decision values differ by %.3g relative", worst)
	}
	if c.DecisionOvO != nil {
		m.DecisionOvO(xte, &dec)
		for i := range xte.Rows {
			for k, w := range c.DecisionOvO[i] {
				if relErr(dec.Row(i)[k], w) > 1e-3 {
					t.Errorf("row %d ovo %d: %v, sklearn %v", i, k, dec.Row(i)[k], w)
				}
			}
		}
	}
	pred := make([]int, xte.Rows)
	m.Predict(xte, pred)
	m.DecisionOvO(xte, &dec)
	for i := range pred {
		if pred[i] == c.Predict[i] {
			continue
		}
		near := false
		for _, v := range dec.Row(i) {
			near = near || math.Abs(v) < 1e-3
		}
		if !near {
			t.Errorf("row %d predicted %d, sklearn %d", i, pred[i], c.Predict[i])
		}
	}
	if c.Probability {
		checkFixtureProbs(t, m, c, xte)
	}
}

func checkFixtureProbs(t *testing.T, m *Model, c *fixtureCase, xte *nets.Matrix) {
	var pr nets.Matrix
	m.Probs(xte, &pr)
	agree, worst := 0, 0.0
	for i := range xte.Rows {
		row := pr.Row(i)
		sum := 0.0
		for k, v := range row {
			sum += v
			worst = max(worst, math.Abs(v-c.PredictProba[i][k]))
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("row %d: probabilities sum to %v", i, sum)
		}
		if argmax(row) == argmax(c.PredictProba[i]) {
			agree++
		}
	}
	t.Logf("probabilities: max |Δ| %.3g, argmax agrees on %d of %d", worst, agree, xte.Rows)
	if worst > 0.1 {
		t.Errorf("probabilities differ from sklearn's by up to %.3g", worst)
	}
	if float64(agree) < 0.95*float64(xte.Rows) {
		t.Errorf("argmax agrees with sklearn's on %d of %d rows", agree, xte.Rows)
	}
}

func argmax(v []float64) int {
	b := 0
	for k := range v {
		if v[k] > v[b] {
			b = k
		}
	}
	return b
}
