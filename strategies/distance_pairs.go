package strategies

import (
	"math"

	"albench/nets"
)

// nearestCentre sets assign[r] for every row r of x to the centre c of cs with
// the smallest sqDist(x.Row(r), cs.Row(c)), the lowest c on ties and a NaN
// distance never winning (centre 0 when no distance is below +Inf): what
// Lloyd's assignment loop over the centres in order gives. norms holds
// ‖x.Row(r)‖². It reports whether any assignment changed.
//
// Per row, the centres with w_c = ‖c‖² − 2·r·c ≤ min_c w_c + 2E (see distance.go
// and lowerMin) hold every minimiser: when only one does, it is the nearest
// (every other is farther by the bound); otherwise they are measured with
// sqDist, in order of c. A row whose ‖r‖² + max ‖c‖² is not below normCap is
// measured against every centre.
func (s *sqDists) nearestCentre(x *nets.Matrix, norms []float64, cs *nets.Matrix, assign []int) bool {
	k := cs.Rows
	slack := expansionSlack(x.Cols)
	inf := math.Inf(1)
	s.cnorm = sqNorms(s.cnorm, cs)
	cmax := 0.0
	for _, nc := range s.cnorm {
		if !(nc <= cmax) {
			cmax = nc
		}
	}
	s.cen.Resize(k, cs.Cols)
	for i, v := range cs.Data {
		s.cen.Data[i] = -2 * v
	}
	rows := max(4, min(panelRows, 16384/k)) // k·rows products stay in cache
	moved := false
	for lo := 0; lo < x.Rows; lo += rows {
		hi := min(lo+rows, x.Rows)
		out, ld := s.dots.Range(x, lo, hi, &s.cen, s.cnorm)
		s.minTwo(out, ld, hi-lo)
		for i := range hi - lo {
			r := lo + i
			na := norms[r]
			best := int(s.arg[i])
			fast := na+cmax <= normCap
			thr := inf
			if fast {
				thr = s.m1[i] + float64(2*(float64(slack*(na+cmax))+tinySlack))
			}
			if !fast || !(s.m2[i] > thr) {
				best = 0
				bd := inf
				for j := range k {
					if fast && !(out[j*ld+i] <= thr) {
						continue
					}
					if d := sqDist(x.Row(r), cs.Row(j)); d < bd {
						best, bd = j, d
					}
				}
			}
			if assign[r] != best {
				assign[r] = best
				moved = true
			}
		}
	}
	return moved
}

// pairVisitor receives the pairs within a distance (a pointer, so that passing
// it allocates nothing).
type pairVisitor interface{ visit(r, c int) }

// within calls v.visit(r, c) for every row lo ≤ r < hi of x and centre c of
// centres (rows of x) with sqDist(x.Row(r), x.Row(c)) < d2, each decision the
// scalar formula's: the pair is inside when w_c + E < d2 − ‖r‖², outside when
// w_c − E ≥ d2 − ‖r‖² (w_c = ‖c‖² − 2·r·c, E at the block's largest ‖c‖², see
// distance.go), and measured with sqDist otherwise. Pairs come centre block by
// centre block, in no promised order. norms holds ‖x.Row(r)‖² of every row.
func (s *sqDists) within(x *nets.Matrix, norms []float64, lo, hi int, centres []int, d2 float64, v pairVisitor) {
	slack := expansionSlack(x.Cols)
	for cb := 0; cb < len(centres); cb += centreBlock {
		block := centres[cb:min(cb+centreBlock, len(centres))]
		cmax := s.gatherCentres(x, block, norms)
		for plo := lo; plo < hi; plo += panelRows {
			phi := min(plo+panelRows, hi)
			h := phi - plo
			out, ld := s.dots.Range(x, plo, phi, &s.cen, s.cnorm)
			s.inT, s.outT = growRows(s.inT, h), growRows(s.outT, h)
			for i := range h {
				na := norms[plo+i]
				e := float64(slack*(na+cmax)) + tinySlack
				if !(na+cmax <= normCap) {
					// Every pair of the row is measured: no w is below −Inf or at least NaN.
					s.inT[i], s.outT[i] = math.Inf(-1), math.NaN()
					continue
				}
				t := d2 - na
				s.inT[i], s.outT[i] = t-e, t+e
			}
			for j, c := range block {
				ws := out[j*ld : j*ld+h]
				for i, w := range ws {
					if w < s.inT[i] {
						v.visit(plo+i, c)
						continue
					}
					if w >= s.outT[i] {
						continue
					}
					if r := plo + i; sqDist(x.Row(r), x.Row(c)) < d2 {
						v.visit(r, c)
					}
				}
			}
		}
	}
}
