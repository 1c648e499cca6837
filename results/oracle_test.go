package results

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"albench/results/internal/fixture"
	"albench/results/records"
)

// TestOracleFigure: the curves draw the oracle as a ceiling, dark grey and
// dash-dotted, without a band, labelled "oracle_greedy (oracle)"; the
// strategies keep their colours, and the ΔAULC and pairwise figures leave it out.
func TestOracleFigure(t *testing.T) {
	a, plain := fixture.OracleAnalysis(t), fixture.Analysis(t)
	sty := (plotted{a}).lineStyle("oracle_greedy")
	if sty.Color != skylineColor || !slices.Equal(sty.Dashes, oracleDashes[0]) {
		t.Errorf("oracle line %+v, want the skyline's colour and the first oracle dashes", sty)
	}
	for _, st := range plain.Strategies {
		if (plotted{a}).lineStyle(st).Color != (plotted{plain}).lineStyle(st).Color {
			t.Errorf("%s changes colour when an oracle is present", st)
		}
	}
	if got := (plotted{a}).legendNames(); !slices.Equal(got, []string{"random", "margin", "entropy", "oracle_greedy (oracle)", records.Skyline}) {
		t.Errorf("legend names %v", got)
	}
	var curves figure
	for _, f := range (plotted{a}).figures() {
		if f.name == "curves_moons" {
			curves = f
		}
	}
	svg, err := render(curves, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("oracle_greedy (oracle)")) {
		t.Error("curves_moons.svg has no legend entry \"oracle_greedy (oracle)\"")
	}
	// One band fewer than lines drawn: three strategy bands, four mean lines.
	plainSVG, err := render((plotted{plain}).curvesFigure("moons"), "svg")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(string(svg), "fill-opacity"), strings.Count(string(plainSVG), "fill-opacity"); got != want {
		t.Errorf("%d translucent fills with an oracle, %d without: the oracle has a band", got, want)
	}
	// ΔAULC and pairwise figures are about strategies alone.
	for _, name := range []string{"delta_aulc", "pairwise"} {
		i := slices.IndexFunc((plotted{a}).figures(), func(f figure) bool { return f.name == name })
		j := slices.IndexFunc((plotted{plain}).figures(), func(f figure) bool { return f.name == name })
		if i < 0 || j < 0 {
			t.Fatalf("no %s figure", name)
		}
		got, _ := render((plotted{a}).figures()[i], "svg")
		want, _ := render((plotted{plain}).figures()[j], "svg")
		if !bytes.Equal(got, want) {
			t.Errorf("%s.svg changes with an oracle", name)
		}
	}
}
