package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"albench/internal/fmath"
)

var nSamplesPair = Param{"n_samples", "100", "total points (at least 2; the outer shape gets n/2 rounded down), or a list [outer, inner]"}

var moonsSource = source{
	Source: Source{
		Name: "make_moons",
		Doc:  "scikit-learn's make_moons: two interleaving half circles in 2-D, classes 0 (upper) and 1 (lower).",
		Params: []Param{
			nSamplesPair,
			{"noise", "0", "standard deviation of Gaussian noise added to each coordinate; null = none"},
			{"shuffle", "true", "shuffle the samples"},
		},
	},
	parse:  func(p *params, _ string) (Shape, func(*rand.Rand) *Dataset) { return parseTwoShapes(p, false) },
	random: true,
}

var circlesSource = source{
	Source: Source{
		Name: "make_circles",
		Doc:  "scikit-learn's make_circles: a unit circle (class 0) around a smaller circle of radius factor (class 1) in 2-D.",
		Params: []Param{
			nSamplesPair,
			{"noise", "0", "standard deviation of Gaussian noise added to each coordinate; null = none"},
			{"factor", "0.8", "radius of the inner circle, in [0, 1)"},
			{"shuffle", "true", "shuffle the samples"},
		},
	},
	parse:  func(p *params, _ string) (Shape, func(*rand.Rand) *Dataset) { return parseTwoShapes(p, true) },
	random: true,
}

// twoShapes holds the validated parameters of make_moons or make_circles.
type twoShapes struct {
	circles       bool
	nOut, nIn     int
	noise, factor float64
	shuffle       bool
}

func parseTwoShapes(p *params, circles bool) (Shape, func(*rand.Rand) *Dataset) {
	n0 := len(p.probs)
	s := twoShapes{circles: circles, factor: 0.8}
	s.nOut, s.nIn = samplePair(p)
	if v, ok := p.lookup("noise"); ok && v != nil {
		s.noise = p.NonNegFloat("noise", 0)
	}
	if circles {
		s.factor = p.Float("factor", 0.8)
		if s.factor < 0 || s.factor >= 1 {
			p.add("factor", "must be in [0, 1)", s.factor)
		}
	}
	s.shuffle = p.Bool("shuffle", true)
	if len(p.probs) > n0 {
		return Shape{}, nil
	}
	return Shape{s.nOut + s.nIn, 2, 2}, s.generate
}

// samplePair reads n_samples as an int n (split n/2 outer, the rest inner, as
// sklearn does) or as a list of two positive counts.
func samplePair(p *params) (nOut, nIn int) {
	v, ok := p.lookup("n_samples")
	if !ok {
		return 50, 50
	}
	if list, isList := v.([]any); isList {
		if len(list) != 2 {
			p.add("n_samples", "must be an integer or a list of two integers", v)
			return 0, 0
		}
		var c [2]int
		for i, e := range list {
			n, isInt := asInt(e)
			if !isInt || n < 1 || n > maxCells/2 {
				p.addTyped(fmt.Sprintf("n_samples[%d]", i), fmt.Sprintf("must be an integer between 1 and %d", maxCells/2), e)
				return 0, 0
			}
			c[i] = n
		}
		return c[0], c[1]
	}
	n, isInt := asInt(v)
	if !isInt {
		p.addTyped("n_samples", "must be an integer or a list of two integers", v)
		return 0, 0
	}
	if n < 2 || n > maxCells/2 {
		p.add("n_samples", fmt.Sprintf("must be an integer between 2 and %d (one point per class at least)", maxCells/2), v)
		return 0, 0
	}
	return n / 2, n - n/2
}

// generate follows sklearn's make_moons and make_circles. Moons: with t_i evenly
// spaced over [0, π] (both ends included),
//
//	outer (class 0): (cos t, sin t)
//	inner (class 1): (1 − cos t, 0.5 − sin t)
//
// so the outer moon lies on the unit circle about (0, 0) and the inner one on the
// unit circle about (1, 0.5). Circles: with t_i = 2πi/m, i < m (the end excluded
// so that no point repeats),
//
//	outer (class 0): (cos t, sin t)
//	inner (class 1): factor·(cos t, sin t)
//
// The samples are shuffled, then N(0, noise²) is added to every coordinate.
func (s twoShapes) generate(rng *rand.Rand) *Dataset {
	n := s.nOut + s.nIn
	x := make([]float64, 2*n)
	y := make([]int, n)
	for i := range s.nOut {
		var t float64
		if s.circles {
			t = linspace(0, 2*math.Pi, s.nOut, false, i)
		} else {
			t = linspace(0, math.Pi, s.nOut, true, i)
		}
		x[2*i], x[2*i+1] = fmath.Cos(t), fmath.Sin(t)
	}
	for i := range s.nIn {
		r := s.nOut + i
		y[r] = 1
		if s.circles {
			t := linspace(0, 2*math.Pi, s.nIn, false, i)
			x[2*r], x[2*r+1] = fmath.Cos(t)*s.factor, fmath.Sin(t)*s.factor
		} else {
			t := linspace(0, math.Pi, s.nIn, true, i)
			x[2*r], x[2*r+1] = 1-fmath.Cos(t), 1-fmath.Sin(t)-0.5
		}
	}
	if s.shuffle {
		shuffleRows(x, y, 2, rng)
	}
	if s.noise > 0 {
		for i := range x {
			x[i] += float64(s.noise * fmath.NormFloat64(rng))
		}
	}
	return &Dataset{X: x, N: n, D: 2, Y: y, Classes: 2, ClassNames: indexNames(2)}
}

// linspace returns point i of numpy.linspace(start, stop, num, endpoint): start +
// i·step with step = (stop − start)/(num − 1) when the end is included (the last
// point is exactly stop) and (stop − start)/num when it is not.
func linspace(start, stop float64, num int, endpoint bool, i int) float64 {
	div := num
	if endpoint {
		div = num - 1
		if i == num-1 && num > 1 {
			return stop
		}
	}
	if div <= 0 {
		return start
	}
	return start + float64(float64(i)*((stop-start)/float64(div)))
}
