package metrics

import (
	"math"
	"testing"
)

// TestEvaluateByHand checks a case worked out on paper (and with
// sklearn.metrics: accuracy_score 0.6, f1_score(average="macro") 0.433333,
// log_loss 0.678646 for these inputs).
func TestEvaluateByHand(t *testing.T) {
	// true 0 0 1 1 2; predicted 0 1 1 1 0
	probs := []float64{
		0.7, 0.2, 0.1,
		0.3, 0.6, 0.1,
		0.1, 0.8, 0.1,
		0.2, 0.5, 0.3,
		0.5, 0.1, 0.4,
	}
	y := []int{0, 0, 1, 1, 2}
	s := Evaluate(probs, 3, y, nil)
	if s.Accuracy != 0.6 {
		t.Errorf("accuracy %v, want 0.6", s.Accuracy)
	}
	// F1: class 0: TP1 FP1 FN1 → 0.5; class 1: TP2 FP1 FN0 → 0.8; class 2: TP0 FN1 → 0.
	if want := (0.5 + 0.8 + 0) / 3; math.Abs(s.MacroF1-want) > 1e-12 {
		t.Errorf("macro-F1 %v, want %v", s.MacroF1, want)
	}
	want := -(math.Log(0.7) + math.Log(0.3) + math.Log(0.8) + math.Log(0.5) + math.Log(0.4)) / 5
	if math.Abs(s.LogLoss-want) > 1e-12 {
		t.Errorf("log-loss %v, want %v", s.LogLoss, want)
	}
}

func TestEvaluateAbsentClassAndClip(t *testing.T) {
	// Class 2 never occurs nor is predicted: macro-F1 averages over classes 0 and 1.
	probs := []float64{1, 0, 0, 0, 1, 0}
	s := Evaluate(probs, 3, []int{0, 0}, nil)
	if s.Accuracy != 0.5 || math.Abs(s.MacroF1-(2.0/3+0)/2) > 1e-12 {
		t.Errorf("got %+v", s)
	}
	if want := -math.Log(LogLossEps) / 2; math.Abs(s.LogLoss-want) > 1e-9 {
		t.Errorf("log-loss %v, want clipped %v", s.LogLoss, want)
	}
}

func TestEvaluateTieGoesToLowestClass(t *testing.T) {
	s := Evaluate([]float64{0.5, 0.5}, 2, []int{0}, nil)
	if s.Accuracy != 1 {
		t.Fatalf("tie should predict class 0, accuracy %v", s.Accuracy)
	}
}

func TestEvaluateNoAlloc(t *testing.T) {
	probs := []float64{0.7, 0.3, 0.2, 0.8}
	cm := make([]int, 6)
	if a := testing.AllocsPerRun(100, func() { Evaluate(probs, 2, []int{0, 1}, cm) }); a != 0 {
		t.Fatalf("%v allocations per call", a)
	}
}
