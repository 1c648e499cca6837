package svm

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"albench/nets"
)

// benchData is a make_classification-like two-class set: d features, the first 5
// informative (class means ±1 on them, unit Gaussian noise), the rest pure noise,
// 5% of the labels flipped. If ALBENCH_SVM_DUMP names a directory, the set is
// also written there as svm_bench_<n>.csv (features, then the label) for
// testdata/bench_sklearn.py.
func benchData(tb testing.TB, n, d int, seed uint64) (*nets.Matrix, []int) {
	rng := rand.New(rand.NewPCG(seed, 99))
	x := nets.NewMatrix(n, d)
	y := make([]int, n)
	for i := range n {
		y[i] = rng.IntN(2)
		r := x.Row(i)
		for j := range r {
			r[j] = rng.NormFloat64()
			if j < 5 {
				r[j] += float64(2*y[i] - 1)
			}
		}
		if rng.Float64() < 0.05 {
			y[i] = 1 - y[i]
		}
	}
	if dir := os.Getenv("ALBENCH_SVM_DUMP"); dir != "" {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("svm_bench_%d_%d.csv", n, d)))
		if err != nil {
			tb.Fatal(err)
		}
		w := bufio.NewWriter(f)
		for i := range n {
			for _, v := range x.Row(i) {
				w.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
				w.WriteByte(',')
			}
			w.WriteString(strconv.Itoa(y[i]))
			w.WriteByte('\n')
		}
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		if err := f.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return x, y
}

// cpuTime is the process's user+system CPU time: on a shared machine it is a
// steadier measure than the wall clock (reported as cpu-ns/op).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

func benchmarkFit(b *testing.B, n int) {
	x, y := benchData(b, n, 20, 1)
	p := Params{GammaMode: "auto"}
	ctx := context.Background()
	b.ResetTimer()
	c0 := cpuTime()
	defer reportCPU(b, c0)
	for b.Loop() {
		m, err := p.Fit(ctx, x, y, 2, nil)
		if err != nil {
			b.Fatal(err)
		}
		it, _ := m.Iterations(0)
		b.ReportMetric(float64(it), "iter")
		b.ReportMetric(float64(len(m.SupportIndices())), "SV")
	}
}

// BenchmarkFit500 and BenchmarkFit5000: one cold fit, rbf, gamma auto, C 1.
func BenchmarkFit500(b *testing.B)  { benchmarkFit(b, 500) }
func BenchmarkFit5000(b *testing.B) { benchmarkFit(b, 5000) }

// BenchmarkWarmRound: one session round adding one random row, spambase-sized
// (pool 2,700, test 1,800, 57 features), from 500 labeled rows on.
func BenchmarkWarmRound(b *testing.B) { benchmarkWarmRound(b, 2700, 1800, 57, 500) }

// BenchmarkWarmRoundPhishing: the same, phishing-sized (pool 6,633, test 4,422,
// 30 features), from 1,000 labeled rows on. Random rows anywhere in the pool are
// the costly case: many α move each round, and each moves F over 11,055 rows.
func BenchmarkWarmRoundPhishing(b *testing.B) { benchmarkWarmRound(b, 6633, 4422, 30, 1000) }

// BenchmarkWarmRoundPhishingLate: phishing-sized rounds from 5,000 labeled rows
// on, where the labeled rows outnumber the columns the default cache holds
// (about 2,370 of 11,055 float64), as in the last rounds of a trial.
func BenchmarkWarmRoundPhishingLate(b *testing.B) { benchmarkWarmRound(b, 6633, 4422, 30, 5000) }

// benchmarkWarmRound times session rounds that each add one random pool row, from
// start labeled rows on; run it with -benchtime=Nx (N < nPool − start) so that
// every run times the same rounds.
func benchmarkWarmRound(b *testing.B, nPool, nTest, d, start int) {
	x, y := benchData(b, nPool+nTest, d, 2)
	pool := &nets.Matrix{Rows: nPool, Cols: d, Data: x.Data[:nPool*d]}
	test := &nets.Matrix{Rows: nTest, Cols: d, Data: x.Data[nPool*d:]}
	s := Params{GammaMode: "auto"}.NewSession(pool, []*nets.Matrix{test}, 2)
	order := rand.New(rand.NewPCG(5, 6)).Perm(nPool)
	labels := make([]int, nPool)
	for k, r := range order {
		labels[k] = y[r]
	}
	ctx := context.Background()
	n := start
	if _, err := s.Fit(ctx, order[:n], labels[:n], nil); err != nil {
		b.Fatal(err)
	}
	out := make([]float64, nTest)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	iters := 0
	defer func() {
		reportCPU(b, c0)
		b.ReportMetric(float64(iters)/float64(b.N), "iter/op")
	}()
	for b.Loop() {
		if n == nPool {
			b.Fatalf("the pool is exhausted: use -benchtime=Nx with N < %d", nPool-start)
		}
		n++
		m, err := s.Fit(ctx, order[:n], labels[:n], nil)
		if err != nil {
			b.Fatal(err)
		}
		m.EvalDecision(0, out)
		if m.NumPairs() > 0 {
			it, _ := m.Iterations(0)
			iters += it
		}
	}
}

// BenchmarkColdRound is what BenchmarkWarmRound replaces: a cold fit on 1,000
// rows of the same pool and the decision values of the 1,800 test rows.
func BenchmarkColdRound(b *testing.B) {
	const nPool, nTest, d, n = 2700, 1800, 57, 1000
	x, y := benchData(b, nPool+nTest, d, 2)
	train := &nets.Matrix{Rows: n, Cols: d, Data: x.Data[:n*d]}
	test := &nets.Matrix{Rows: nTest, Cols: d, Data: x.Data[nPool*d:]}
	p := Params{GammaMode: "auto"}
	ctx := context.Background()
	var dec nets.Matrix
	b.ResetTimer()
	c0 := cpuTime()
	defer reportCPU(b, c0)
	for b.Loop() {
		m, err := p.Fit(ctx, train, y[:n], 2, nil)
		if err != nil {
			b.Fatal(err)
		}
		m.Decision(test, &dec)
	}
}
