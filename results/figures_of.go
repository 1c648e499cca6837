package results

import (
	"fmt"
	"math"
	"slices"

	"albench/results/analysis"
	"albench/results/figures"
	"albench/results/records"
	"albench/results/stats"
)

// Figure kinds (figures.FileName): curves and delta-curves are drawn per
// dataset, the others once per run.
const (
	kindCurves      = "curves"
	kindDeltaCurves = "delta-curves"
	kindGrid        = "grid"
	kindDeltaAULC   = "delta-aulc"
	kindPairwise    = "pairwise"
	kindPenalty     = "penalty"
	kindCD          = "cd"
	kindCDWilcoxon  = "cd-wilcoxon"
)

// namedFigure is a figure with its file name, without directory and
// extension.
type namedFigure struct {
	name string
	fig  figures.Figure
}

// figureSet is the run's figures, in the order report.md links them:
//
//   - per dataset, its learning curves and, with meta.Delta, its paired
//     Δ-vs-baseline curves;
//   - the grid of every dataset's curves (two or more datasets);
//   - ΔAULC vs the baseline (when any strategy has a test against it);
//   - the pairwise win matrix (two or more strategies);
//   - Ash et al.'s penalty matrix (two or more strategies on some dataset);
//   - the critical-difference diagrams, Nemenyi and Wilcoxon–Holm (when the
//     Friedman test is defined).
//
// meta.FigureStrategies limits the curves and the ΔAULC plot; the matrices
// and the diagrams show every strategy, as the tests they draw compare them
// all. Oracles appear in the curves alone.
func figureSet(a *analysis.Analysis, meta analysis.Meta) []namedFigure {
	fv := figureView{a: a, meta: meta, opt: figures.Options{WidthIn: meta.WidthIn}}
	var out []namedFigure
	add := func(kind, ds string, f figures.Figure) {
		out = append(out, namedFigure{figures.FileName(kind, ds), f})
	}
	for _, ds := range a.Datasets {
		add(kindCurves, ds, figures.Curves(fv.curvesPanel(ds), fv.opt))
		if meta.Delta {
			add(kindDeltaCurves, ds, figures.Curves(fv.deltaPanel(ds), fv.opt))
		}
	}
	if len(a.Datasets) > 1 {
		ps := make([]figures.Panel, len(a.Datasets))
		for i, ds := range a.Datasets {
			ps[i] = fv.curvesPanel(ds)
		}
		add(kindGrid, "", figures.Grid(ps, fv.opt))
	}
	if a.ComparesBaseline(false) {
		add(kindDeltaAULC, "", figures.Delta(fv.deltaAULC(), fv.opt))
	}
	if len(a.Strategies) > 1 {
		add(kindPairwise, "", figures.Matrix(fv.pairwise(), fv.opt))
	}
	if p := a.Penalty; len(p.Strategies) > 1 && p.Datasets > 0 {
		add(kindPenalty, "", figures.Matrix(fv.penalty(), fv.opt))
	}
	if c := a.CrossDataset(); c.Defined() {
		add(kindCD, "", figures.CD(cdPlot(c, c.Nemenyi, true), fv.opt))
		add(kindCDWilcoxon, "", figures.CD(cdPlot(c, c.WilcoxonHolm, false), fv.opt))
	}
	return out
}

// figureView is an analysis seen through the report's figure settings.
type figureView struct {
	a    *analysis.Analysis
	meta analysis.Meta
	opt  figures.Options
}

// metricName is the analysis's metric as axis labels print it.
func (fv figureView) metricName() string {
	switch fv.a.Metric {
	case "macro_f1":
		return "macro-F1"
	case "log_loss":
		return "log-loss"
	}
	return "accuracy"
}

// yLabel is the curves' y-axis label: "test accuracy", "macro-F1" or
// "log-loss".
func (fv figureView) yLabel() string {
	if m := fv.metricName(); m != "accuracy" {
		return m
	}
	return "test accuracy"
}

// drawn reports whether strategy st is drawn in the curves and the ΔAULC
// plot: every one without meta.FigureStrategies, else those listed, the
// baseline and the oracles always.
func (fv figureView) drawn(st string) bool {
	return len(fv.meta.FigureStrategies) == 0 || st == fv.a.Baseline || fv.a.IsOracle(st) ||
		slices.Contains(fv.meta.FigureStrategies, st)
}

// band is the band around s's mean per meta.Band: the 95% t-interval
// ("ci95", the default), mean ± SEM ("sem") or mean ± std ("std"); NaN
// edges where it is undefined (a single seed).
func (fv figureView) band(s stats.Summary) (lo, hi float64) {
	if s.N < 2 {
		return math.NaN(), math.NaN()
	}
	switch fv.meta.Band {
	case "sem":
		return s.Mean - s.SEM, s.Mean + s.SEM
	case "std":
		return s.Mean - s.Std, s.Mean + s.Std
	}
	return s.CILow, s.CIHigh
}

// series is a curve of named points with the band of meta.Band; Lo and Hi
// nil when no point has one, or when banded is false.
func (fv figureView) series(name string, role figures.Role, ns []int, sums []stats.Summary, banded bool) figures.Series {
	s := figures.Series{Name: name, Role: role}
	some := false
	for i, n := range ns {
		s.X = append(s.X, float64(n))
		s.Mean = append(s.Mean, sums[i].Mean)
		lo, hi := fv.band(sums[i])
		s.Lo, s.Hi = append(s.Lo, lo), append(s.Hi, hi)
		some = some || !math.IsNaN(lo) && !math.IsNaN(hi)
	}
	if !banded || !some {
		s.Lo, s.Hi = nil, nil
	}
	return s
}

// curvesPanel is dataset ds's learning curves on the metric: the baseline
// and the strategies drawn with bands (a strategy's left out where it is the
// baseline's, see shareBaselineBand), the oracles as bandless ceilings
// (labelled with analysis.OracleSuffix), and the skyline's mean.
func (fv figureView) curvesPanel(ds string) figures.Panel {
	a := fv.a
	p := figures.Panel{Title: ds, XLabel: "labeled examples", YLabel: fv.yLabel()}
	for _, st := range a.AllStrategies() {
		if !fv.drawn(st) {
			continue
		}
		pts := a.Curve(ds, st)
		if len(pts) == 0 {
			continue
		}
		role := figures.Strategy
		switch {
		case a.IsOracle(st):
			role = figures.Oracle
		case st == a.Baseline:
			role = figures.Baseline
		}
		ns, sums := make([]int, len(pts)), make([]stats.Summary, len(pts))
		for i, c := range pts {
			ns[i], sums[i] = c.NLabeled, c.Of(a.Metric)
		}
		p.Series = append(p.Series, fv.series(a.Shown(st), role, ns, sums, role != figures.Oracle))
	}
	shareBaselineBand(p.Series)
	if sky := a.Curve(ds, records.Skyline); len(sky) > 0 {
		last := sky[len(sky)-1]
		p.Series = append(p.Series, figures.Series{Name: records.Skyline, Role: figures.Skyline,
			X: []float64{float64(last.NLabeled)}, Mean: []float64{last.Of(a.Metric).Mean}})
	}
	return p
}

// shareBaselineBand leaves out a strategy's band at the points where it is
// the baseline's, mean and edges equal: at the first round every strategy
// has the baseline's labels, and a dozen equal translucent bands there would
// pile up into one opaque block over the baseline's own. A strategy whose
// band is then empty has none.
func shareBaselineBand(ss []figures.Series) {
	bi := slices.IndexFunc(ss, func(s figures.Series) bool { return s.Role == figures.Baseline })
	if bi < 0 || ss[bi].Lo == nil {
		return
	}
	b := ss[bi]
	for k := range ss {
		s := &ss[k]
		if s.Role != figures.Strategy || s.Lo == nil {
			continue
		}
		some := false
		for i, x := range s.X {
			j := slices.Index(b.X, x)
			if j >= 0 && s.Mean[i] == b.Mean[j] && s.Lo[i] == b.Lo[j] && s.Hi[i] == b.Hi[j] {
				s.Lo[i], s.Hi[i] = math.NaN(), math.NaN()
			}
			some = some || !math.IsNaN(s.Lo[i])
		}
		if !some {
			s.Lo, s.Hi = nil, nil
		}
	}
}

// deltaPanel is dataset ds's paired Δ-vs-baseline curves
// (Analysis.DeltaCurves), with the band of meta.Band and the zero line.
func (fv figureView) deltaPanel(ds string) figures.Panel {
	a := fv.a
	p := figures.Panel{Title: ds + ", vs " + a.Baseline, XLabel: "labeled examples",
		YLabel: "Δ " + fv.yLabel(), ZeroLine: true}
	for _, st := range a.Strategies {
		if !fv.drawn(st) {
			continue
		}
		var ns []int
		var sums []stats.Summary
		for _, d := range a.DeltaCurves {
			if d.Dataset == ds && d.Strategy == st {
				ns, sums = append(ns, d.NLabeled), append(sums, d.Delta)
			}
		}
		if len(ns) > 0 {
			p.Series = append(p.Series, fv.series(st, figures.Strategy, ns, sums, true))
		}
	}
	return p
}

// aulcName names the AULC of the metric: "AULC", "AULC of macro-F1".
func (fv figureView) aulcName() string {
	if m := fv.metricName(); m != "accuracy" {
		return "AULC of " + m
	}
	return "AULC"
}

// deltaAULC is each drawn strategy's ΔAULC vs the baseline per dataset with
// its 95% t-interval, significant when the Holm-corrected Wilcoxon p is below
// analysis.Alpha. Oracles are left out.
func (fv figureView) deltaAULC() figures.DeltaPlot {
	a := fv.a
	// The x label repeats under every panel, so it is short; the baseline is
	// named in the legend.
	d := figures.DeltaPlot{XLabel: "Δ" + fv.aulcName(),
		Datasets:       a.Datasets,
		Significant:    fmt.Sprintf("vs %s: Wilcoxon, Holm p < %g", a.Baseline, analysis.Alpha),
		NotSignificant: "not significant (dot: mean; whisker: 95% CI)"}
	for _, st := range a.Strategies {
		if st == a.Baseline || !fv.drawn(st) {
			continue
		}
		d.Strategies = append(d.Strategies, st)
		for _, ds := range a.Datasets {
			r := a.Row(ds, st)
			if r == nil || !r.VsBaseline {
				continue
			}
			d.Points = append(d.Points, figures.DeltaPoint{Dataset: ds, Strategy: st,
				Mean: r.DeltaAULC.Mean, Lo: r.DeltaAULC.CILow, Hi: r.DeltaAULC.CIHigh,
				Significant: r.PWilcoxonHolm < analysis.Alpha})
		}
	}
	return d
}

// emptyMatrix is a k × k matrix of NaNs.
func emptyMatrix(k int) [][]float64 {
	m := make([][]float64, k)
	for i := range m {
		m[i] = make([]float64, k)
		for j := range m[i] {
			m[i][j] = math.NaN()
		}
	}
	return m
}

// pairwise is the win matrix: on how many datasets the row's AULC beats the
// column's (Wilcoxon p < analysis.Alpha), shaded up to the most datasets a
// pair shares.
func (fv figureView) pairwise() figures.MatrixPlot {
	a := fv.a
	m := figures.MatrixPlot{Rows: a.Strategies, Cols: a.Strategies, Values: emptyMatrix(len(a.Strategies)),
		RowLabel: "row wins", ColLabel: "against column"}
	most := 0
	for _, r := range a.Pairwise {
		i, j := slices.Index(a.Strategies, r.A), slices.Index(a.Strategies, r.B)
		if i >= 0 && j >= 0 {
			m.Values[i][j] = float64(r.Wins)
			most = max(most, r.Datasets)
		}
	}
	m.Max = float64(most)
	m.Title = fmt.Sprintf("datasets won (of %d; Wilcoxon p < %g)", most, analysis.Alpha)
	return m
}

// penalty is Ash et al.'s (2020) penalty matrix: the datasets' worth of
// budget on which the row beats the column, shaded up to the number of
// datasets. The column sums (how often a strategy is beaten) are in
// report.md's table.
func (fv figureView) penalty() figures.MatrixPlot {
	p := fv.a.Penalty
	m := figures.MatrixPlot{Rows: p.Strategies, Cols: p.Strategies, Values: emptyMatrix(len(p.Strategies)),
		RowLabel: "row beats",
		ColLabel: "against column (a low column sum is better)",
		Decimals: 2, Max: float64(p.Datasets),
		Title: fmt.Sprintf("penalty (of %d datasets; paired t, p < %g)", p.Datasets, analysis.Alpha)}
	for i := range p.Strategies {
		for j := range p.Strategies {
			if i != j {
				m.Values[i][j] = p.P[i][j]
			}
		}
	}
	return m
}

// cdPlot is the critical-difference diagram of c with the cliques groups
// (ranges of positions in c.Order); withCD draws Nemenyi's CD bar, else a
// note names the Wilcoxon–Holm test.
func cdPlot(c analysis.CrossDataset, groups [][2]int, withCD bool) figures.CDPlot {
	d := figures.CDPlot{Names: c.Strategies, MeanRanks: c.MeanRanks}
	if withCD {
		d.CD = c.CD
	} else {
		d.Note = fmt.Sprintf("Wilcoxon–Holm, α = %g", c.Alpha)
	}
	for _, g := range groups {
		var names []string
		for p := g[0]; p <= g[1]; p++ {
			names = append(names, c.Strategies[c.Order[p]])
		}
		d.Cliques = append(d.Cliques, names)
	}
	return d
}
