// Package streams derives independent, reproducible random streams from stable keys.
//
// Every random number in albench comes from a stream returned by New. A stream
// depends only on its key, never on the clock, a shared generator or the order in
// which goroutines run, so a trial draws the same numbers on any machine and with
// any number of workers.
package streams

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
)

// New returns a PCG stream seeded from the SHA-256 hash of the key parts.
// Parts are length-prefixed before hashing, so ("ab", "c") and ("a", "bc") differ.
func New(parts ...string) *rand.Rand {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	sum := h.Sum(nil)
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
}

// Seed formats an integer seed as a key part.
func Seed(s int) string { return strconv.Itoa(s) }
