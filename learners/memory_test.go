package learners

import (
	"math"
	"testing"
)

func TestMemoryEstimateEveryKind(t *testing.T) {
	for _, kind := range Kinds() {
		spec := map[string]any{"kind": kind}
		switch kind {
		case "logreg":
			spec["solver"] = "lbfgs"
		case "external":
			spec["command"] = []any{"my_model"}
		}
		r, probs := Resolve(spec)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		small := MemoryEstimate(r, 100, 10, 3)
		large := MemoryEstimate(r, 10000, 10, 3)
		if small == 0 || large <= small {
			t.Errorf("%s: %d bytes at 100 rows, %d at 10000", kind, small, large)
		}
	}
}

func TestMemoryEstimateFormulas(t *testing.T) {
	// A 20-32-16-2 mlp: P = 21·32 + 33·16 + 17·2 = 1234; on 700 rows the
	// activations are 700·(20 + 3·(32+16+2)) and the gradient embeddings 700·16·2.
	r, _ := Resolve(map[string]any{})
	want := uint64(8 * (8*1234 + 700*(20+3*50) + 700*16*2))
	if got := MemoryEstimate(r, 700, 20, 2); got != want {
		t.Errorf("mlp: %d, want %d", got, want)
	}
	// An svm's kernel cache is the pool's Gram matrix in float32.
	r, _ = Resolve(map[string]any{"kind": "svm"})
	want = uint64(4*1000*1000 + 8*1000*(4*1+2+5))
	if got := MemoryEstimate(r, 1000, 5, 2); got != want {
		t.Errorf("svm: %d, want %d", got, want)
	}
}

func TestMemoryEstimateSaturates(t *testing.T) {
	r := map[string]any{"kind": "mlp", "hidden": []int{1 << 62, 1 << 62}}
	if got := MemoryEstimate(r, 1<<40, 1<<40, 2); got != math.MaxUint64 {
		t.Errorf("huge mlp: %d, want MaxUint64", got)
	}
	svm, _ := Resolve(map[string]any{"kind": "svm"})
	if got := MemoryEstimate(svm, math.MaxInt, 1, 2); got != math.MaxUint64 {
		t.Errorf("huge svm: %d, want MaxUint64", got)
	}
	if got := MemoryEstimate(svm, -5, -1, -1); got != 0 {
		t.Errorf("negative sizes: %d, want 0", got)
	}
}
