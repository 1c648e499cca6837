package plugin

import (
	"context"
	"encoding/json"
	"sync"
)

// handshakes caches CachedHandshake's answers by command, dir, params and role.
var handshakes struct {
	sync.Mutex
	m map[string]cachedHello
}

type cachedHello struct {
	hello Hello
	err   error
}

// CachedHandshake is Handshake run once per command, dir, params and role for the
// life of the process, its answer (or failure) kept: validation asks for a
// plugin's handshake many times and must start it only once.
func CachedHandshake(spec Spec) (Hello, error) {
	key, _ := json.Marshal([]any{spec.Command, spec.Dir, spec.Params, spec.Role})
	handshakes.Lock()
	defer handshakes.Unlock()
	if r, ok := handshakes.m[string(key)]; ok {
		return r.hello, r.err
	}
	h, err := Handshake(context.Background(), spec)
	if handshakes.m == nil {
		handshakes.m = map[string]cachedHello{}
	}
	handshakes.m[string(key)] = cachedHello{h, err}
	return h, err
}
