//go:build !race

package fmath

// raceEnabled: see race_test.go.
const raceEnabled = false
