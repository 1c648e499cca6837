// Command albench runs and reports active-learning benchmarks.
//
//	albench run [-j N] [-out DIR] [-shard I/N|auto] [-force] [-kernel K] CONFIG
//	albench validate CONFIG
//	albench list [strategies|sources]
//	albench report DIR
//	albench merge OUT SHARD_DIR...
//	albench data [-dataset NAME] [-seed S] [-out FILE] CONFIG
//	albench version
//
// Exit codes: 0 done; 1 a trial or I/O failed, the run was interrupted or is
// incomplete, or the output folder is locked by another albench process; 2 bad
// usage, a bad or missing config, an output folder albench refuses, or shards of
// different configs.
//
// The first SIGINT or SIGTERM cancels the run: trials in flight stop at their next
// epoch, finished ones stay stored, and albench exits 1 with the resume hint. A
// second signal exits at once with 130.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// exitSignal is the exit code after a second interrupt: 128 + SIGINT.
const exitSignal = 130

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go onSignals(sig, cancel, os.Exit, os.Stderr)
	code := run(ctx, os.Stdout, os.Stderr, os.Args[1:])
	signal.Stop(sig)
	cancel()
	os.Exit(code)
}

// onSignals cancels the run at the first signal and calls exit(exitSignal) at the
// second, without waiting for the trials in flight.
func onSignals(sig <-chan os.Signal, cancel func(), exit func(int), stderr io.Writer) {
	<-sig
	cancel()
	<-sig
	fmt.Fprintln(stderr, "albench: second interrupt: exiting now (stored trials are kept; resume with the same command)")
	exit(exitSignal)
}
