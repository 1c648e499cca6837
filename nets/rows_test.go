package nets_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"albench/nets"
)

// TestRowsVariantsMatchGathered: ProbsRows, EmbedRows and GradEmbedRows give bit
// for bit what Probs, Embed and GradEmbed give on the gathered rows, for row
// lists in any order, with repeats, shorter and longer than a chunk, empty,
// consecutive (read in place) or nearly so, in every kernel set; and they reuse out's storage.
func TestRowsVariantsMatchGathered(t *testing.T) { forEachKernel(t, testRowsVariants) }

func testRowsVariants(t *testing.T) {
	specs := []nets.Spec{
		relu,
		{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1},
		{Kind: "mlp", Inputs: 6, Hidden: []int{9}, Outputs: 4, Activation: "tanh"},
		logreg,
	}
	for si, spec := range specs {
		n := newNet(t, spec, uint64(si+11))
		x := randMatrix(rand.New(rand.NewPCG(uint64(si), 9)), 300, spec.Inputs)
		r := rand.New(rand.NewPCG(3, uint64(si)))
		var all, unlabeled []int // in order: chunks of consecutive rows, read in place
		for i := range 300 {
			all = append(all, i)
			if i != 3 && i != 70 && i != 71 && i != 200 {
				unlabeled = append(unlabeled, i)
			}
		}
		lists := [][]int{{}, {299}, r.Perm(300)[:63], r.Perm(300)[:64], r.Perm(300)[:65], r.Perm(300), {5, 5, 0, 5}, all, unlabeled, all[130:194]}
		methods := []struct {
			name     string
			gathered func(x, out *nets.Matrix)
			rows     func(x *nets.Matrix, rows []int, out *nets.Matrix)
		}{
			{"Probs", n.Probs, n.ProbsRows},
			{"Embed", n.Embed, n.EmbedRows},
			{"GradEmbed", n.GradEmbed, n.GradEmbedRows},
		}
		for _, m := range methods {
			var out nets.Matrix
			for li, rows := range lists {
				var g, want nets.Matrix
				g.Gather(x, rows)
				m.gathered(&g, &want)
				before := out.Data
				m.rows(x, rows, &out)
				if out.Rows != want.Rows || out.Cols != want.Cols || len(out.Data) != len(want.Data) {
					t.Fatalf("spec %d %s list %d: %d×%d, want %d×%d", si, m.name, li, out.Rows, out.Cols, want.Rows, want.Cols)
				}
				for k := range want.Data {
					if math.Float64bits(out.Data[k]) != math.Float64bits(want.Data[k]) {
						t.Fatalf("spec %d %s list %d: element %d is %v, want %v", si, m.name, li, k, out.Data[k], want.Data[k])
					}
				}
				if cap(before) >= len(out.Data) && len(out.Data) > 0 && &before[:1][0] != &out.Data[0] {
					t.Errorf("spec %d %s list %d: out's storage was not reused", si, m.name, li)
				}
			}
		}
	}
}

// TestRowsVariantsRefuseBadRows: a row outside the matrix is a caller's bug and
// panics rather than reading another row.
func TestRowsVariantsRefuseBadRows(t *testing.T) {
	n := newNet(t, relu, 1)
	x := randMatrix(rand.New(rand.NewPCG(1, 1)), 10, relu.Inputs)
	for _, bad := range []int{-1, 10} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("ProbsRows with row %d did not panic", bad)
				}
			}()
			var out nets.Matrix
			n.ProbsRows(x, []int{0, bad}, &out)
		}()
	}
}
