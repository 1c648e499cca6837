package figures

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// benchPanels is the grid of configs/bench.yaml's run (testdata/bench_curves.csv):
// five datasets, ten strategies with random as the baseline, 95% CI bands,
// and the skyline, in the file's order.
func benchPanels(t *testing.T) []Panel {
	t.Helper()
	f, err := os.Open("testdata/bench_curves.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ps []Panel
	idx := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "dataset,") {
			continue
		}
		c := strings.Split(line, ",")
		num := func(i int) float64 {
			v, err := strconv.ParseFloat(c[i], 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		ds, st := c[0], c[1]
		pi, ok := idx[ds]
		if !ok {
			pi = len(ps)
			idx[ds] = pi
			ps = append(ps, Panel{Title: ds, XLabel: "labeled examples", YLabel: "test accuracy"})
		}
		p := &ps[pi]
		si := -1
		for i, s := range p.Series {
			if s.Name == st {
				si = i
			}
		}
		if si < 0 {
			role := Strategy
			switch st {
			case "random":
				role = Baseline
			case "skyline":
				role = Skyline
			}
			p.Series = append(p.Series, Series{Name: st, Role: role})
			si = len(p.Series) - 1
		}
		s := &p.Series[si]
		s.X = append(s.X, num(2))
		s.Mean = append(s.Mean, num(3))
		if s.Role != Skyline {
			s.Lo = append(s.Lo, num(4))
			s.Hi = append(s.Hi, num(5))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	// The skyline last, as a study lists it.
	for i := range ps {
		p := &ps[i]
		for j, s := range p.Series {
			if s.Role == Skyline {
				p.Series = append(append(p.Series[:j:j], p.Series[j+1:]...), s)
				break
			}
		}
	}
	return ps
}

// readCSV is the records of a testdata file without its comment and header.
func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for i, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i < 2 {
			continue // comment, header
		}
		out = append(out, strings.Split(l, ","))
	}
	return out
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// benchStrategies are configs/bench.yaml's strategies other than random.
var benchStrategies = []string{"least_confidence", "margin", "entropy", "qbc", "egl", "bald", "coreset", "badge", "density"}

// benchDelta is the ΔAULC plot of testdata/bench_summary.csv, significant
// at Holm p < 0.05.
func benchDelta(t *testing.T) DeltaPlot {
	d := DeltaPlot{XLabel: "ΔAULC vs random", Strategies: benchStrategies,
		Significant: "Wilcoxon–Holm p < 0.05", NotSignificant: "not significant"}
	for _, r := range readCSV(t, "bench_summary.csv") {
		if !slicesContains(d.Datasets, r[0]) {
			d.Datasets = append(d.Datasets, r[0])
		}
		d.Points = append(d.Points, DeltaPoint{Dataset: r[0], Strategy: r[1], Mean: atof(t, r[2]),
			Lo: atof(t, r[3]), Hi: atof(t, r[4]), Significant: atof(t, r[5]) < 0.05})
	}
	return d
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// benchMatrix is the 10 × 10 win matrix of testdata/bench_pairwise.csv.
func benchMatrix(t *testing.T) MatrixPlot {
	names := append([]string{"random"}, benchStrategies...)
	m := MatrixPlot{Title: "datasets where row beats column (of 5)", RowLabel: "row", ColLabel: "column",
		Rows: names, Cols: names, Max: 5, Values: make([][]float64, len(names))}
	for i := range m.Values {
		m.Values[i] = make([]float64, len(names))
		for j := range m.Values[i] {
			m.Values[i][j] = nan
		}
	}
	idx := func(s string) int {
		for i, n := range names {
			if n == s {
				return i
			}
		}
		t.Fatalf("unknown strategy %q", s)
		return -1
	}
	for _, r := range readCSV(t, "bench_pairwise.csv") {
		m.Values[idx(r[0])][idx(r[1])] = atof(t, r[3])
	}
	return m
}

var nan = math.NaN()

// benchCD is the CD diagram of testdata/bench_ranks.csv (CD = 6.058599):
// with nemenyi, the CD bar and the maximal groups whose ranks differ by less
// than the CD; else two made-up Wilcoxon–Holm cliques and a note.
func benchCD(t *testing.T, nemenyi bool) CDPlot {
	var d CDPlot
	for _, r := range readCSV(t, "bench_ranks.csv") {
		d.Names = append(d.Names, r[0])
		d.MeanRanks = append(d.MeanRanks, atof(t, r[2]))
	}
	if !nemenyi {
		d.Note = "Wilcoxon–Holm, α = 0.05"
		d.Cliques = [][]string{{"least_confidence", "bald", "margin", "entropy", "egl", "qbc"}, {"badge", "coreset", "density"}}
		return d
	}
	d.CD = 6.058599
	lastHi := -1.0
	for i, ri := range d.MeanRanks {
		_ = i
		hi := ri
		var cl []string
		for j, rj := range d.MeanRanks {
			if rj >= ri && rj-ri < d.CD {
				cl = append(cl, d.Names[j])
				hi = math.Max(hi, rj)
			}
		}
		if hi > lastHi && len(cl) > 1 {
			d.Cliques = append(d.Cliques, cl)
			lastHi = hi
		}
	}
	return d
}

// benchDeltaCurves is digits' Δaccuracy-vs-random curves (a strategy's
// mean minus random's, its band the strategy's CI shifted alike), with a
// made-up oracle 0.01 above the best strategy: a ZeroLine panel.
func benchDeltaCurves(t *testing.T) Panel {
	p := benchPanels(t)[1]
	var rnd Series
	for _, s := range p.Series {
		if s.Role == Baseline {
			rnd = s
		}
	}
	out := Panel{Title: p.Title + ", vs random", XLabel: p.XLabel, YLabel: "Δ test accuracy", ZeroLine: true}
	oracle := Series{Name: "oracle_greedy", Role: Oracle, X: rnd.X, Mean: make([]float64, len(rnd.X))}
	for i := range oracle.Mean {
		oracle.Mean[i] = math.Inf(-1)
	}
	for _, s := range p.Series {
		if s.Role != Strategy {
			continue
		}
		d := Series{Name: s.Name, X: s.X}
		for i := range s.X {
			d.Mean = append(d.Mean, s.Mean[i]-rnd.Mean[i])
			d.Lo = append(d.Lo, s.Lo[i]-rnd.Mean[i])
			d.Hi = append(d.Hi, s.Hi[i]-rnd.Mean[i])
			oracle.Mean[i] = math.Max(oracle.Mean[i], d.Mean[i]+0.01)
		}
		out.Series = append(out.Series, d)
	}
	out.Series = append(out.Series, oracle)
	return out
}

// allStylesPanel has one made-up curve per registered name (random as the
// baseline, the oracles as oracles, plus a skyline), to see every style at
// once.
func allStylesPanel() Panel {
	p := Panel{Title: "every registered strategy", XLabel: "labeled examples", YLabel: "test accuracy"}
	for i, n := range registeredNames {
		s := Series{Name: n}
		switch n {
		case "random":
			s.Role = Baseline
		case "oracle_greedy", "oracle_bso":
			s.Role = Oracle
		}
		for x := 0; x <= 100; x += 10 {
			s.X = append(s.X, float64(x))
			s.Mean = append(s.Mean, 0.5+float64(i)/60+float64(x)/400)
		}
		p.Series = append(p.Series, s)
	}
	p.Series = append(p.Series, Series{Name: "skyline", Role: Skyline, X: []float64{100}, Mean: []float64{1.0}})
	return p
}
