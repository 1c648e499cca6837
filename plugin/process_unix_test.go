//go:build unix

package plugin_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"albench/plugin"
)

// TestCancelKillsGroup: cancelling a call kills the plugin and the child it
// spawned (its process group).
func TestCancelKillsGroup(t *testing.T) {
	log := filepath.Join(t.TempDir(), "p.log")
	s := spec(t, "", map[string]any{"fail": "hang", "at": "fit", "child": true})
	m, err := plugin.StartModel(context.Background(), s, plugin.Trial{}, log, 2, pool, test)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- m.Fit(ctx, 1, []int{0}, []int{0}) }()
	child := waitChild(t, log)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled fit: %v", err)
	}
	m.Close()
	for i := 0; alive(child); i++ {
		if i == 100 {
			t.Fatalf("child %d still runs after the plugin was killed", child)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitChild reads the child's pid from the plugin's log.
func waitChild(t *testing.T, log string) int {
	re := regexp.MustCompile(`child pid (\d+)`)
	for range 250 {
		b, _ := os.ReadFile(log)
		if m := re.FindSubmatch(b); m != nil {
			pid, _ := strconv.Atoi(string(m[1]))
			return pid
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the plugin never reported its child")
	return 0
}

// alive reports whether pid runs: it exists and is not a zombie (a container's
// init may be slow to reap the orphan).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !os.IsNotExist(err)
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) == 0 || f[0] != "Z"
}
