// Command albench runs and reports active-learning benchmarks.
//
//	albench run [-j N] [-out DIR] [-shard I/N|auto] [-force] [-kernel K] CONFIG
//	albench validate CONFIG
//	albench list [strategies|sources]
//	albench report DIR
//	albench merge OUT SHARD_DIR...
//	albench data [-dataset NAME] [-seed S] [-out FILE] CONFIG
//
// Exit codes: 0 done, 1 a trial or I/O failed or interrupted, 2 bad usage or config.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Stdout, os.Stderr, os.Args[1:])
	stop()
	os.Exit(code)
}
