// Package fmath holds the elementary functions whose results decide albench's
// output bits, written so that they give the same bits on every machine and
// build: amd64 with or without FMA (GODEBUG=cpu.fma=off), GOAMD64=v1 or v3, and
// arm64.
//
// The standard library's functions do not: on amd64 math.Exp is assembly that
// takes a fused multiply-add path when the CPU has FMA, and math.Log is
// assembly there but pure Go on arm64; and the pure-Go parts of math (Tanh,
// Sin, Pow, Erfc ...) are compiled with the build's settings, so on arm64 and
// with GOAMD64=v3 the compiler may fuse their x*y + z into one FMA, which
// rounds once where two roundings were written.
//
// Every function here is plain Go in a fixed evaluation order, and every
// product that feeds a sum is wrapped in an explicit float64(...) conversion,
// which the Go specification says rounds to float64 and so forbids fusing
// (https://go.dev/ref/spec#Floating_point_operators). Where a fused operation
// is wanted (an exact residual) it is written math.FMA, which is correctly
// rounded by definition and so gives the same bits with or without the
// hardware instruction. Tables of constants are computed with math/big in
// bigtab_test.go and checked against it.
//
// Accuracy is stated per function; Exp and Log are within one unit in the last
// place (ulp) of the exact result, measured against a table of correctly
// rounded values computed with mpmath (testdata/gen_table.py).
package fmath
