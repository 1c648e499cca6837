package plugin

import (
	"context"
	"fmt"
	"path/filepath"
)

// Trial is what a plugin process is told about the trial it serves, and where
// its stderr goes. The harness puts it in the context of a trial's calls.
type Trial struct {
	Dataset string
	// Label is the strategy label of the trial, or "skyline".
	Label string
	Seed  int
	// LogDir is the folder of the plugins' logs (<output>/logs); "" keeps none.
	LogDir string
}

// LogPath is the log of the trial's plugin of the given role ("model",
// "query_model", "strategy"): LogDir/<dataset>/<label>/seed-<seed>.<role>.log.
func (t Trial) LogPath(role string) string {
	if t.LogDir == "" {
		return ""
	}
	return filepath.Join(t.LogDir, t.Dataset, t.Label, fmt.Sprintf("seed-%d.%s.log", t.Seed, role))
}

type trialKey struct{}
type logRoleKey struct{}

// WithTrial returns ctx carrying t.
func WithTrial(ctx context.Context, t Trial) context.Context {
	return context.WithValue(ctx, trialKey{}, t)
}

// TrialOf returns the Trial ctx carries, or the zero Trial.
func TrialOf(ctx context.Context) Trial {
	t, _ := ctx.Value(trialKey{}).(Trial)
	return t
}

// WithLogRole returns ctx naming the role of the model plugin started under it
// in its log's name: "query_model" for a strategy's query model. The default is
// "model".
func WithLogRole(ctx context.Context, role string) context.Context {
	return context.WithValue(ctx, logRoleKey{}, role)
}

// LogRoleOf returns the role WithLogRole set, or def.
func LogRoleOf(ctx context.Context, def string) string {
	if r, ok := ctx.Value(logRoleKey{}).(string); ok {
		return r
	}
	return def
}
