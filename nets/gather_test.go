package nets

import (
	"slices"
	"testing"
)

// TestGatherCopiesRunsAsRows: Gather, which copies runs of consecutive indices
// at once, gives the rows one by one, in order, for runs, gaps, repeats,
// descending indices and a single row.
func TestGatherCopiesRunsAsRows(t *testing.T) {
	src := NewMatrix(12, 3)
	for i := range src.Data {
		src.Data[i] = float64(i)
	}
	for _, idx := range [][]int{
		{}, {5}, {0, 1, 2, 3}, {0, 1, 2, 4, 5, 9, 10, 11}, {3, 3, 4, 4}, {7, 6, 5}, {11, 0, 1, 2, 11},
	} {
		var m Matrix
		m.Data = make([]float64, 0, 64) // reused storage must not leak old rows
		for i := range 64 {
			m.Data = append(m.Data, -1-float64(i))
		}
		m.Gather(src, idx)
		var want []float64
		for _, i := range idx {
			want = append(want, src.Row(i)...)
		}
		if m.Rows != len(idx) || m.Cols != 3 || !slices.Equal(m.Data, want) {
			t.Errorf("Gather(%v) = %d×%d %v, want %v", idx, m.Rows, m.Cols, m.Data, want)
		}
	}
}
