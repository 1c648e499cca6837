package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"albench/experiments"
	"albench/harness"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // a trial or I/O failed, or the run was interrupted
	exitUsage  = 2 // bad usage or config
)

// usageError is bad usage or a bad config: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

const topUsage = `albench runs and reports active-learning benchmarks.

Usage:
  albench run [-j N] [-out DIR] [-shard I/N|auto] [-force] [-kernel K] CONFIG
  albench validate CONFIG
  albench list [strategies|sources]
  albench report DIR
  albench report [-metric M] A B
  albench merge OUT SHARD_DIR...
  albench data [-dataset NAME] [-seed S] [-out FILE] CONFIG
  albench version (or albench --version)

Run 'albench COMMAND -help' for a command's flags.
Exit codes: 0 done; 1 a trial or I/O failed, the run was interrupted or is
incomplete, or the output folder is locked by another albench process; 2 bad
usage, a bad or missing config, an output folder albench refuses, or shards of
different configs.
`

type command struct {
	run func(ctx context.Context, stdout, stderr io.Writer, args []string) error
}

var commands = map[string]command{
	"run":      {cmdRun},
	"validate": {cmdValidate},
	"list":     {cmdList},
	"report":   {cmdReport},
	"merge":    {cmdMerge},
	"data":     {cmdData},
	"version":  {cmdVersion},
}

// run is albench with its arguments; it returns the exit code.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, topUsage)
		return exitOK
	}
	if args[0] == "--version" || args[0] == "-version" {
		args = append([]string{"version"}, args[1:]...)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "albench: unknown command %q\n\n%s", args[0], topUsage)
		return exitUsage
	}
	err := cmd.run(ctx, stdout, stderr, args[1:])
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case isUsage(err):
		fmt.Fprintln(stderr, err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "albench %s: %v\n", args[0], err)
		return exitFailed
	}
}

// isUsage reports whether err is the user's to fix before anything can run: bad
// usage, a bad or unreadable config, an output folder albench refuses, or shards
// of different configs.
func isUsage(err error) bool {
	var u usageError
	var ce experiments.Errors
	var cfe *harness.ConfigFileError
	var me *harness.MismatchError
	return errors.As(err, &u) || errors.As(err, &ce) || errors.As(err, &cfe) || errors.As(err, &me) || errors.Is(err, harness.ErrFolder)
}

// newFlags returns a FlagSet that reports mistakes as errors and prints nothing
// by itself: parse prints the usage on -help.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses flags that may come before or after the positional arguments, and
// prints the usage on -help.
func parse(fs *flag.FlagSet, synopsis string, stdout io.Writer, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(stdout, "Usage: %s\n\nFlags:\n", synopsis)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				return nil, flag.ErrHelp
			}
			return nil, usagef("albench %s: %v (see 'albench %s -help')", fs.Name(), err, fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func oneArg(cmd string, pos []string, what string) (string, error) {
	if len(pos) != 1 {
		return "", usagef("albench %s: want one %s (got %d arguments: %s)", cmd, what, len(pos), strings.Join(pos, " "))
	}
	return pos[0], nil
}
