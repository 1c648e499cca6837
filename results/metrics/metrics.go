// Package metrics scores a model's predictions on a test set: accuracy,
// macro-F1 and log-loss.
package metrics

import (
	"fmt"
	"math"

	"albench/internal/fmath"
)

// LogLossEps is the floor on the probability of the true class in LogLoss, so a
// confident mistake costs −log(1e-15) ≈ 34.5 instead of +Inf (scikit-learn's
// historical default).
const LogLossEps = 1e-15

// Scores are the test-set metrics of one evaluation.
type Scores struct {
	Accuracy, MacroF1, LogLoss float64
}

// Evaluate scores class probabilities against true labels. probs holds len(y) rows
// of classes columns, row-major. The prediction is the most probable class, the
// lowest index on ties.
//
// Macro-F1 averages the per-class F1 over the classes present in the true or the
// predicted labels, as scikit-learn's f1_score(average="macro") does; a class with
// no true and no predicted point does not count, and a class with precision and
// recall both zero scores 0.
//
//	accuracy = #{ŷ_i = y_i} / n
//	F1_c     = 2·TP_c / (2·TP_c + FP_c + FN_c)
//	log-loss = −(1/n) Σ_i log max(p_i(y_i), LogLossEps)
//
// cm is scratch of at least 3·classes ints, or nil.
func Evaluate(probs []float64, classes int, y []int, cm []int) Scores {
	n := len(y)
	if len(probs) != n*classes {
		panic(fmt.Sprintf("results: %d probabilities for %d rows of %d classes", len(probs), n, classes))
	}
	return score(func(i int) int {
		row := probs[i*classes : (i+1)*classes]
		best := 0
		for c := 1; c < classes; c++ {
			if row[c] > row[best] {
				best = c
			}
		}
		return best
	}, probs, classes, y, cm)
}

// EvaluatePredictions scores a model's own predictions (an SVM predicts by its sign
// or one-vs-one votes, not by its Platt probabilities) against true labels, with the
// formulas of Evaluate. probs, when not nil, gives the log-loss; without it LogLoss
// is NaN: the model has no probabilities, and the cell stays empty.
func EvaluatePredictions(pred []int, probs []float64, classes int, y []int, cm []int) Scores {
	n := len(y)
	if len(pred) != n || (probs != nil && len(probs) != n*classes) {
		panic(fmt.Sprintf("results: %d predictions and %d probabilities for %d rows of %d classes", len(pred), len(probs), n, classes))
	}
	return score(func(i int) int { return pred[i] }, probs, classes, y, cm)
}

// score computes the metrics of predictions pred(i); probs may be nil.
func score(pred func(i int) int, probs []float64, classes int, y []int, cm []int) Scores {
	n := len(y)
	if len(cm) < 3*classes {
		cm = make([]int, 3*classes)
	}
	tp, fp, fn := cm[:classes], cm[classes:2*classes], cm[2*classes:3*classes]
	clear(cm[:3*classes])
	var s Scores
	correct := 0
	for i, yi := range y {
		best := pred(i)
		if best == yi {
			correct++
			tp[yi]++
		} else {
			fp[best]++
			fn[yi]++
		}
		if probs != nil {
			s.LogLoss -= fmath.Log(math.Max(probs[i*classes+yi], LogLossEps))
		}
	}
	if probs == nil {
		s.LogLoss = math.NaN()
	}
	if n == 0 {
		return s
	}
	s.Accuracy = float64(correct) / float64(n)
	s.LogLoss /= float64(n)
	present := 0
	for c := 0; c < classes; c++ {
		if tp[c]+fp[c]+fn[c] == 0 {
			continue
		}
		present++
		s.MacroF1 += 2 * float64(tp[c]) / float64(2*tp[c]+fp[c]+fn[c])
	}
	if present > 0 {
		s.MacroF1 /= float64(present)
	}
	return s
}
