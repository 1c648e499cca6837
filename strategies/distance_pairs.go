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
// Per row, the centres with w_c = ‖c‖² − 2·r·c ≤ min_c w_c + 2E (see distance.go)
// hold every minimiser; only they are measured with sqDist, in order of c.
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
	rows := max(4, min(panelRows, 16384/k)) // k·rows products stay in cache
	s.best, s.bd = grow(s.best, rows), grow(s.bd, rows)
	moved := false
	for lo := 0; lo < x.Rows; lo += rows {
		hi := min(lo+rows, x.Rows)
		h := hi - lo
		out, ld := s.dots.Range(x, lo, hi, cs)
		s.minWeights(out, ld, h)
		for i := range s.thr {
			t := norms[lo+i] + cmax
			e := float64(slack*t) + tinySlack
			if mw := s.minw[i]; t <= normCap && mw >= -math.MaxFloat64 {
				s.thr[i] = mw + float64(2*e)
			} else {
				s.thr[i] = inf // every centre is measured
			}
			s.best[i], s.bd[i] = 0, inf
		}
		for j, nc := range s.cnorm {
			prod := out[j*ld : j*ld+h]
			for i, pv := range prod {
				t := s.thr[i]
				if !(nc-float64(2*pv) <= t) && t != inf {
					continue
				}
				if d := sqDist(x.Row(lo+i), cs.Row(j)); d < s.bd[i] {
					s.best[i], s.bd[i] = j, d
				}
			}
		}
		for i, b := range s.best[:h] {
			if assign[lo+i] != b {
				assign[lo+i] = b
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
		s.gatherCentres(x, block)
		cmax := 0.0
		for j, c := range block {
			nc := norms[c]
			s.cnorm[j] = nc
			if !(nc <= cmax) {
				cmax = nc
			}
		}
		for plo := lo; plo < hi; plo += panelRows {
			phi := min(plo+panelRows, hi)
			h := phi - plo
			out, ld := s.dots.Range(x, plo, phi, &s.cen)
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
			for j, nc := range s.cnorm {
				prod := out[j*ld : j*ld+h]
				c := block[j]
				for i, pv := range prod {
					w := nc - float64(2*pv)
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
