package strategies

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// gatheredOnly hides a net's rows methods (ProbsRows, GradEmbedRows,
// GradEmbedFactorsRows), so that the strategies gather the unlabeled rows and
// call Probs or GradEmbed on them.
type gatheredOnly struct{ *nets.Net }

func (gatheredOnly) ProbsRows()            {} // not the rowsProber method: shadows nets.Net's
func (gatheredOnly) GradEmbedRows()        {} // not the rowsGradEmbedder method
func (gatheredOnly) GradEmbedFactorsRows() {} // not the gradFactorer method

// TestRowsPathsPickTheSameRows: the strategies that read a net's outputs on
// the pool rows in place (no gathered copy of the unlabeled pool) pick the rows
// and, through the stream, draw what they pick on a gathered copy, for pools
// shorter and longer than the nets' chunk, two and three classes, under every
// kernel set.
func TestRowsPathsPickTheSameRows(t *testing.T) {
	defer nets.SetKernel(nets.Kernel())
	if _, ok := Model(gatheredOnly{}).(rowsProber); ok {
		t.Fatal("gatheredOnly still offers ProbsRows")
	}
	if _, ok := Model(gatheredOnly{}).(rowsGradEmbedder); ok {
		t.Fatal("gatheredOnly still offers GradEmbedRows")
	}
	if _, ok := Model(gatheredOnly{}).(gradFactorer); ok {
		t.Fatal("gatheredOnly still offers GradEmbedFactorsRows")
	}
	for _, k := range nets.Kernels() {
		if err := nets.SetKernel(k); err != nil {
			t.Fatal(err)
		}
		for _, classes := range []int{2, 3} {
			for _, pool := range []int{40, 333} {
				net, err := nets.New(nets.Spec{Kind: "mlp", Inputs: 6, Hidden: []int{12, 8}, Outputs: classes, Dropout: 0.1})
				if err != nil {
					t.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(uint64(pool), uint64(classes)))
				net.Init(rng)
				x := nets.NewMatrix(pool, 6)
				for i := range x.Data {
					x.Data[i] = rng.NormFloat64()
				}
				// Every third row labeled, so the unlabeled rows are not a block of the pool.
				var labeled, labels, unlabeled []int
				for i := range pool {
					if i%3 == 0 {
						labeled, labels = append(labeled, i), append(labels, i%classes)
					} else {
						unlabeled = append(unlabeled, i)
					}
				}
				for _, name := range []string{"least_confidence", "margin", "entropy", "egl", "badge"} {
					run := func(m Model) []int {
						q := Query{Pool: x, Unlabeled: unlabeled, Labeled: labeled, Labels: labels,
							Classes: classes, Model: m, Batch: 7, Rand: rand.New(rand.NewPCG(5, uint64(pool)))}
						got, err := mustNew(name, nil).Select(context.Background(), q)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						return got
					}
					if inPlace, gathered := run(net), run(gatheredOnly{net}); !slices.Equal(inPlace, gathered) {
						t.Errorf("kernel %s, %d classes, pool %d: %s picks %v in place, %v on the gathered rows",
							k, classes, pool, name, inPlace, gathered)
					}
				}
			}
		}
	}
}
