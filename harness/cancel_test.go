package harness

import (
	"context"
	"runtime"
	"strings"
	"testing"
)

// cancelledOutsideTraining is a context that is cancelled for every caller except
// the training loops: a call to Err straight from runSkyline sees Canceled, as a
// cancellation that arrives just after the fit finished would.
type cancelledOutsideTraining struct{ context.Context }

func (c cancelledOutsideTraining) Err() error {
	pc, _, _, _ := runtime.Caller(1)
	if f := runtime.FuncForPC(pc); f != nil && strings.HasSuffix(f.Name(), ".runSkyline") {
		return context.Canceled
	}
	return nil
}

// TestFinishedSkylineIsKept: a skyline whose fit finished is a result, even if
// the run is cancelled before it returns.
func TestFinishedSkylineIsKept(t *testing.T) {
	cfg, _ := load(t, growConfig)
	j := job{dataset: 0, strategy: -1, seed: 0}
	cache := newSetupCache(cfg, []job{j}, []int32{0})
	td, err := cache.get(j)
	if err != nil {
		t.Fatal(err)
	}
	res, err := runSkyline(cancelledOutsideTraining{context.Background()}, cfg, 0, 0, td)
	if err != nil || len(res.Records) != 1 {
		t.Fatalf("skyline: %d records, err %v; want the finished result", len(res.Records), err)
	}
}
