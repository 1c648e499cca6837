package analysis

import (
	"io"
	"math"
	"slices"
	"strconv"

	"albench/results/records"
	"albench/results/stats"
)

// SummaryRow is one row of summary.csv: one strategy on one dataset, over
// seeds, and compared with the baseline paired by seed.
type SummaryRow struct {
	Dataset, Strategy string
	NSeeds            int
	AULC              stats.Summary // per-seed AULC (see AULC)
	Final             stats.Summary // per-seed metric (Analysis.Metric) at the last round
	LabelsToTarget    LabelsToTarget

	// VsBaseline reports whether the comparison fields below apply: false for
	// the baseline's own row and where the dataset has no baseline seeds in
	// common with the strategy.
	VsBaseline bool
	// DeltaAULC summarises the per-seed AULC − baseline AULC, with its 95%
	// t-interval.
	DeltaAULC stats.Summary
	// PWilcoxon and PTTest are the two-sided p-values of the Wilcoxon
	// signed-rank test and the paired t-test on DeltaAULC; the Holm versions
	// are corrected across the dataset's non-baseline strategies.
	PWilcoxon, PWilcoxonHolm float64
	PTTest, PTTestHolm       float64
	// Wins, Ties and Losses count seeds whose AULC is better than, equal to
	// (to StoredDecimals) and worse than the baseline's.
	Wins, Ties, Losses int
	// EffectSize is Cohen's d_z of the ΔAULCs, mean/sd; SeedsNeeded the seeds
	// a two-sided paired t-test at Alpha needs to detect it with 80% power
	// (stats.SeedsFor), 0 when the effect is zero, undefined or needs more than
	// stats.MaxSeeds.
	EffectSize  float64
	SeedsNeeded int

	// Oracle marks an oracle's row (Meta.Oracles): it follows the dataset's
	// strategies, is compared with the baseline but outside the Holm family
	// (its Holm p-values are NaN), and is never ranked.
	Oracle bool
}

// SummaryHeader is the header row of summary.csv.
var SummaryHeader = []string{"dataset", "strategy", "n_seeds", "aulc_mean", "aulc_std",
	"final_acc_mean", "final_acc_std", "ltt_mean", "ltt_missed",
	"delta_aulc_mean", "delta_aulc_ci_low", "delta_aulc_ci_high",
	"p_wilcoxon", "p_wilcoxon_holm", "p_ttest", "p_ttest_holm", "wins", "ties", "losses",
	"effect_size", "seeds_for_80pct_power"}

// summaryHeader is SummaryHeader with the final-metric columns named after
// the metric (final_acc_* for accuracy, final_macro_f1_*, final_log_loss_*).
func summaryHeader(metric string) []string {
	h := slices.Clone(SummaryHeader)
	if metric != "accuracy" {
		i := slices.Index(h, "final_acc_mean")
		h[i], h[i+1] = "final_"+metric+"_mean", "final_"+metric+"_std"
	}
	return h
}

func (a *Analysis) summary(datasets []string) []SummaryRow {
	var rows []SummaryRow
	for _, ds := range datasets {
		sky := a.skylineAccuracy(ds)
		first := len(rows)
		for _, st := range a.Strategies {
			if r, ok := a.summaryRow(ds, st, sky); ok {
				rows = append(rows, r)
			}
		}
		// Holm across this dataset's strategies compared with the baseline;
		// the NaNs of the other rows do not count towards the family size.
		block := rows[first:]
		pw, pt := make([]float64, len(block)), make([]float64, len(block))
		for i, r := range block {
			pw[i], pt[i] = r.PWilcoxon, r.PTTest
		}
		pw, pt = stats.Holm(pw), stats.Holm(pt)
		for i := range block {
			block[i].PWilcoxonHolm, block[i].PTTestHolm = pw[i], pt[i]
		}
		// The oracles come after, outside the family: an upper bound is no
		// hypothesis about a strategy.
		for _, st := range a.Oracles {
			if r, ok := a.summaryRow(ds, st, sky); ok {
				r.Oracle = true
				rows = append(rows, r)
			}
		}
	}
	return rows
}

// summaryRow summarises (dataset, strategy) over its seeds, sky being the
// dataset's skyline accuracies by seed; ok is false when it has no seeds. The
// Holm p-values are left NaN.
func (a *Analysis) summaryRow(ds, st string, sky map[int]float64) (r SummaryRow, ok bool) {
	seeds := a.seedsOf(ds, st)
	if len(seeds) == 0 {
		return r, false
	}
	r = SummaryRow{Dataset: ds, Strategy: st, NSeeds: len(seeds)}
	var aulc, final, ltt []float64
	for _, seed := range seeds {
		t := a.trials[trialKey{ds, st, seed}]
		aulc = append(aulc, a.aulc[dsKey{ds, st}][seed])
		m := t.metric(a.Metric)
		final = append(final, m[len(m)-1])
		skyAcc, ok := sky[seed]
		if !ok {
			continue
		}
		if n, ok := FirstReaching(t.nLabeled, t.acc, a.Target*skyAcc); ok {
			ltt = append(ltt, float64(n))
			r.LabelsToTarget.Reached++
		} else {
			r.LabelsToTarget.Missed++
		}
	}
	r.AULC, r.Final = stats.Describe(aulc), stats.Describe(final)
	r.LabelsToTarget.Mean = stats.Describe(ltt).Mean

	r.DeltaAULC, r.EffectSize = stats.Describe(nil), math.NaN()
	r.PWilcoxon, r.PWilcoxonHolm, r.PTTest, r.PTTestHolm = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	if st != a.Baseline {
		if _, _, d := a.paired(ds, st, a.Baseline); len(d) > 0 {
			r.VsBaseline = true
			r.DeltaAULC = stats.Describe(d)
			rd := rounded(d)
			r.PWilcoxon = stats.SignedRank(rd).P
			_, r.PTTest = stats.TTest(d)
			for _, v := range rd {
				switch v = float64(v * a.better()); {
				case v > 0:
					r.Wins++
				case v < 0:
					r.Losses++
				default:
					r.Ties++
				}
			}
			r.EffectSize = stats.EffectSize(d)
			if n, ok := stats.SeedsFor(r.EffectSize, Alpha, stats.PowerTarget); ok {
				r.SeedsNeeded = n
			}
		}
	}
	return r, true
}

// skylineAccuracy maps each seed of a dataset to the accuracy labels-to-target
// is a fraction of: its skyline's, or in a run without skylines
// (a.NoSkyline) the best final accuracy of the strategies (not the oracles)
// on that seed.
func (a *Analysis) skylineAccuracy(dataset string) map[int]float64 {
	m := make(map[int]float64)
	if !a.NoSkyline {
		for _, seed := range a.seedsOf(dataset, records.Skyline) {
			t := a.trials[trialKey{dataset, records.Skyline, seed}]
			m[seed] = t.acc[len(t.acc)-1]
		}
		return m
	}
	for _, st := range a.Strategies {
		for _, seed := range a.seedsOf(dataset, st) {
			t := a.trials[trialKey{dataset, st, seed}]
			if v, ok := m[seed]; !ok || t.acc[len(t.acc)-1] > v {
				m[seed] = t.acc[len(t.acc)-1]
			}
		}
	}
	return m
}

// WriteSummary writes rows as summary.csv. Fields that do not apply (no seed
// reached the target, a comparison without a baseline, the spread of one
// seed, an oracle's Holm p-values) are empty; ltt_missed is empty when the
// dataset has no skyline. When any row is an oracle's, a last column oracle
// (OracleColumn) says true or false on every row.
//
// The final-metric columns are named after metric ("" is accuracy).
func WriteSummary(w io.Writer, rows []SummaryRow, metric string) error {
	metric, err := metricOf(metric)
	if err != nil {
		return err
	}
	marked := slices.ContainsFunc(rows, func(r SummaryRow) bool { return r.Oracle })
	out := make([][]string, len(rows))
	for i, r := range rows {
		missed := ""
		if r.LabelsToTarget.Reached+r.LabelsToTarget.Missed > 0 {
			missed = itoa(r.LabelsToTarget.Missed)
		}
		wins, ties, losses, seedsNeeded := "", "", "", ""
		if r.VsBaseline {
			wins, ties, losses = itoa(r.Wins), itoa(r.Ties), itoa(r.Losses)
		}
		if r.SeedsNeeded > 0 {
			seedsNeeded = itoa(r.SeedsNeeded)
		}
		out[i] = []string{r.Dataset, r.Strategy, itoa(r.NSeeds),
			formatOpt(r.AULC.Mean), formatOpt(r.AULC.Std),
			formatOpt(r.Final.Mean), formatOpt(r.Final.Std),
			formatOpt(r.LabelsToTarget.Mean), missed,
			formatOpt(r.DeltaAULC.Mean), formatOpt(r.DeltaAULC.CILow), formatOpt(r.DeltaAULC.CIHigh),
			formatOpt(r.PWilcoxon), formatOpt(r.PWilcoxonHolm), formatOpt(r.PTTest), formatOpt(r.PTTestHolm),
			wins, ties, losses, formatOpt(r.EffectSize), seedsNeeded}
		if marked {
			out[i] = append(out[i], strconv.FormatBool(r.Oracle))
		}
	}
	return writeCSV(w, withOracle(summaryHeader(metric), marked), out)
}
