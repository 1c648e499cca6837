package plugin_test

import (
	"context"
	"testing"

	"albench/plugin"
)

// BenchmarkRoundTrip measures the protocol's cost of one active-learning round
// with a plugin that does no work (fit does nothing, predict_proba is uniform):
// fit on 100 labeled rows, predict_proba on the 9,900 unlabeled rows of a
// 10,000 × 50 pool and on a test set of 4,000 rows, 3 classes. One op is one
// round; the pool and test matrices are sent once, before the timer.
//
//	go test -run '^$' -bench RoundTrip -benchmem ./plugin/
func BenchmarkRoundTrip(b *testing.B) {
	const n, d, m, k, l = 10000, 50, 4000, 3, 100
	pool := plugin.Matrix{Rows: n, Cols: d, Data: make([]float64, n*d)}
	test := plugin.Matrix{Rows: m, Cols: d, Data: make([]float64, m*d)}
	for i := range pool.Data {
		pool.Data[i] = float64(i%97) / 97
	}
	c, err := plugin.StartModel(context.Background(), spec(b, "", map[string]any{"trivial": true}), plugin.Trial{}, "", k, pool, test)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	labeled, labels := make([]int, l), make([]int, l)
	for i := range labeled {
		labeled[i], labels[i] = i, i%k
	}
	unlabeled := make([]int, 0, n-l)
	for i := l; i < n; i++ {
		unlabeled = append(unlabeled, i)
	}
	testRows := make([]int, m)
	for i := range testRows {
		testRows[i] = i
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := c.Fit(ctx, uint64(i), labeled, labels); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Proba(ctx, plugin.Points{Set: "pool", Rows: unlabeled}, 1); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Proba(ctx, plugin.Points{Set: "test", Rows: testRows}, 2); err != nil {
			b.Fatal(err)
		}
	}
}
