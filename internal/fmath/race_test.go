//go:build race

package fmath

// raceEnabled shortens the math/big comparisons, which the race detector
// slows about twentyfold.
const raceEnabled = true
