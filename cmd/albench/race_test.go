//go:build race

package main

// raceEnabled: the race detector multiplies memory and time, so tests that measure
// them skip.
const raceEnabled = true
