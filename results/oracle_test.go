package results

import (
	"bytes"
	"slices"
	"testing"

	"albench/results/figures"
	"albench/results/internal/fixture"
)

// TestOracleFigure: the curves draw the oracle as a ceiling (figures.Oracle)
// without a band, labelled "oracle_greedy (oracle)"; the ΔAULC, pairwise and
// penalty figures leave it out and draw the same bytes as without it.
func TestOracleFigure(t *testing.T) {
	a, plain := fixture.OracleAnalysis(t), fixture.Analysis(t)
	fv := figureView{a: a, meta: fixture.OracleMeta()}
	p := fv.curvesPanel("moons")
	var names []string
	for _, s := range p.Series {
		names = append(names, s.Name)
		if s.Name == "oracle_greedy (oracle)" && (s.Role != figures.Oracle || s.Lo != nil || s.Hi != nil) {
			t.Errorf("oracle series %+v: want role Oracle, no band", s)
		}
	}
	if want := []string{"random", "margin", "entropy", "oracle_greedy (oracle)", "skyline"}; !slices.Equal(names, want) {
		t.Errorf("series %v, want %v", names, want)
	}
	render := func(fs []namedFigure, name string) []byte {
		t.Helper()
		i := slices.IndexFunc(fs, func(f namedFigure) bool { return f.name == name })
		if i < 0 {
			t.Fatalf("no %s figure", name)
		}
		b, err := figures.Render(fs[i].fig, "svg")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	withOracle, without := figureSet(a, fixture.OracleMeta()), figureSet(plain, fixture.Meta)
	if !bytes.Contains(render(withOracle, "curves_moons"), []byte("oracle_greedy (oracle)")) {
		t.Error("curves_moons.svg has no legend entry \"oracle_greedy (oracle)\"")
	}
	for _, name := range []string{"delta-aulc", "pairwise", "penalty"} {
		if !bytes.Equal(render(withOracle, name), render(without, name)) {
			t.Errorf("%s.svg changes with an oracle", name)
		}
	}
}
