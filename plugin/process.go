package plugin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultTimeout bounds each call, the handshake included, when Spec.Timeout is 0.
const DefaultTimeout = 60 * time.Second

// closeGrace is how long Close waits for the plugin to exit after closing its
// stdin before it kills the process group.
const closeGrace = 5 * time.Second

// The roles of a plugin.
const (
	RoleModel    = "model"
	RoleStrategy = "strategy"
)

// The capabilities a model plugin may declare, and the needs of a strategy plugin.
var (
	ModelCapabilities = []string{"predict_proba", "decision_function", "predict", "embed", "grad_embed"}
	StrategyNeeds     = []string{"probabilities", "decision", "embeddings"}
)

// Spec says how to run a plugin.
type Spec struct {
	// Command is the argv: Command[0] is looked up in PATH when it has no '/',
	// else taken relative to Dir.
	Command []string
	// Dir is the plugin's working directory and the base of relative paths; ""
	// is albench's working directory.
	Dir string
	// Params is sent in hello.
	Params map[string]any
	// Role is RoleModel or RoleStrategy.
	Role string
	// Timeout bounds each call; 0 means DefaultTimeout.
	Timeout time.Duration
}

func (s Spec) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

// Hello is a plugin's answer to the handshake.
type Hello struct {
	// Name is the plugin's name for messages.
	Name string
	// Capabilities are a model plugin's calls besides fit (ModelCapabilities).
	Capabilities []string
	// Needs are what a strategy plugin wants with each select (StrategyNeeds).
	Needs []string
}

// Has reports whether a model plugin declared capability c.
func (h Hello) Has(c string) bool { return slices.Contains(h.Capabilities, c) }

// CallError is a failed call: the command, the call's number within the process
// (the handshake is call 1) and what it was, and the last lines of the plugin's
// stderr.
type CallError struct {
	Command []string
	Call    int
	Op      string
	Err     error
	// Stderr is the end of the plugin's stderr, on one line; Log the file that
	// holds all of it ("" when it is not kept).
	Stderr, Log string
}

func (e *CallError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %s: call %d (%s): %v", CommandString(e.Command), e.Call, e.Op, e.Err)
	if e.Stderr != "" {
		fmt.Fprintf(&b, "; its stderr ends: %s", e.Stderr)
	}
	if e.Log != "" {
		fmt.Fprintf(&b, " (stderr: %s)", e.Log)
	}
	return b.String()
}

func (e *CallError) Unwrap() error { return e.Err }

// CommandString renders an argv for messages: [python3 my_model.py].
func CommandString(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\n\"'[]") {
			a = fmt.Sprintf("%q", a)
		}
		q[i] = a
	}
	return "[" + strings.Join(q, " ") + "]"
}

// Process is a running plugin that has answered the handshake. Its calls are
// sequential; Close ends it.
type Process struct {
	spec    Spec
	cmd     *exec.Cmd
	in, out *os.File
	w       *bufio.Writer
	r       *bufio.Reader
	hello   Hello
	stderr  *tail
	log     *os.File
	logPath string

	mu     sync.Mutex
	calls  int
	broken error // set once the process is killed or its stream is unusable

	exited    chan struct{}
	waitErr   error
	killOnce  sync.Once
	closeOnce sync.Once
}

// Start runs the plugin and exchanges hello; on any failure the process is
// killed and the error is a *CallError of call 1. logPath, when not "", receives
// the plugin's stderr (truncated first, its directories created).
func Start(ctx context.Context, spec Spec, logPath string) (*Process, error) {
	p := &Process{spec: spec, stderr: &tail{}, logPath: logPath, exited: make(chan struct{})}
	if err := p.start(); err != nil {
		return nil, p.fail(1, "start", err)
	}
	h, err := p.handshake(ctx)
	if err != nil {
		p.kill()
		<-p.exited
		return nil, err
	}
	p.hello = h
	return p, nil
}

// Handshake starts the plugin, reads its hello and closes it: what validation
// needs to know.
func Handshake(ctx context.Context, spec Spec) (Hello, error) {
	p, err := Start(ctx, spec, "")
	if err != nil {
		return Hello{}, err
	}
	p.Close()
	return p.hello, nil
}

// Hello returns the plugin's handshake.
func (p *Process) Hello() Hello { return p.hello }

// Command returns the plugin's argv.
func (p *Process) Command() []string { return p.spec.Command }

func (p *Process) start() error {
	if len(p.spec.Command) == 0 || p.spec.Command[0] == "" {
		close(p.exited)
		return errors.New("the command is empty")
	}
	path := p.spec.Command[0]
	if !strings.Contains(path, "/") {
		lp, err := exec.LookPath(path)
		if err != nil {
			close(p.exited)
			return err
		}
		path = lp
	} else if !filepath.IsAbs(path) {
		// Absolute: the child resolves a relative path against its own
		// working directory, Dir.
		abs, err := filepath.Abs(filepath.Join(p.spec.Dir, path))
		if err != nil {
			close(p.exited)
			return err
		}
		path = abs
	}
	if p.logPath != "" {
		if err := os.MkdirAll(filepath.Dir(p.logPath), 0o777); err != nil {
			close(p.exited)
			return err
		}
		f, err := os.Create(p.logPath)
		if err != nil {
			close(p.exited)
			return err
		}
		p.log = f
	}
	cmd := exec.Command(path, p.spec.Command[1:]...)
	cmd.Args[0] = p.spec.Command[0]
	cmd.Dir = p.spec.Dir
	setGroup(cmd)
	inR, inW, err := os.Pipe()
	if err != nil {
		p.closeLog()
		close(p.exited)
		return err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		p.closeLog()
		close(p.exited)
		return err
	}
	cmd.Stdin, cmd.Stdout = inR, outW
	if p.log != nil {
		cmd.Stderr = io.MultiWriter(p.stderr, p.log)
	} else {
		cmd.Stderr = p.stderr
	}
	// Wait returns at most this long after the plugin exits even when a child it
	// left behind holds stderr open.
	cmd.WaitDelay = 2 * time.Second
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		p.closeLog()
		close(p.exited)
		return err
	}
	p.cmd, p.in, p.out = cmd, inW, outR
	p.w = bufio.NewWriterSize(inW, 64<<10)
	p.r = bufio.NewReaderSize(outR, 64<<10)
	go func() {
		p.waitErr = cmd.Wait()
		killGroup(cmd) // whatever it left in its group
		close(p.exited)
	}()
	return nil
}

func (p *Process) closeLog() {
	if p.log != nil {
		p.log.Close()
	}
}

// kill ends the process group at once and unblocks any read or write.
func (p *Process) kill() {
	p.killOnce.Do(func() {
		if p.cmd != nil {
			killGroup(p.cmd)
		}
		if p.in != nil {
			p.in.Close()
		}
		if p.out != nil {
			p.out.Close()
		}
	})
}

// fail returns err as call n's *CallError, with the end of stderr.
func (p *Process) fail(n int, op string, err error) error {
	return &CallError{Command: p.spec.Command, Call: n, Op: op, Err: err, Stderr: p.stderr.last(), Log: p.logPath}
}

// Call sends req and returns the reply, which must be of type want (a reply of
// type "error" is an error with the plugin's message). op describes the call in
// errors ("predict_proba set=pool"). The call is bounded by the spec's timeout and
// by ctx: either kills the process group. Any failure but an error reply breaks
// the process: later calls fail at once. limit bounds the reply's payload (0: no
// bound beyond MaxPayload).
func (p *Process) Call(ctx context.Context, req *Message, want, op string, limit int64) (*Message, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.broken != nil {
		return nil, p.broken
	}
	p.calls++
	return p.exchange(ctx, p.calls, req, want, op, limit)
}

// Calls is the number of calls made so far, the handshake included.
func (p *Process) Calls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

// exchange runs one call; p.mu is held.
func (p *Process) exchange(ctx context.Context, n int, req *Message, want, op string, limit int64) (*Message, error) {
	var why atomic.Int32 // 1 timeout, 2 cancelled
	timeout := p.spec.timeout()
	timer := time.AfterFunc(timeout, func() {
		why.CompareAndSwap(0, 1)
		p.kill()
	})
	stop := context.AfterFunc(ctx, func() {
		why.CompareAndSwap(0, 2)
		p.kill()
	})
	rep, err := p.roundTrip(req, limit)
	timer.Stop()
	stop()
	switch why.Load() {
	case 1:
		err = fmt.Errorf("no reply within %v (the timeout); the plugin was killed", timeout)
	case 2:
		err = ctx.Err()
	}
	if err == nil {
		if rep.Type == "error" {
			var msg string
			if rep.Get("message", &msg) != nil {
				msg = "(no message)"
			}
			return nil, p.fail(n, op, fmt.Errorf("the plugin answered error: %s", msg))
		}
		if rep.Type != want {
			err = fmt.Errorf("a reply of type %q, want %q", rep.Type, want)
		}
	}
	if err != nil {
		if why.Load() == 0 {
			err = p.explain(err)
		}
		p.kill()
		p.broken = p.fail(n, op, err)
		return nil, p.broken
	}
	return rep, nil
}

// roundTrip writes req and reads one frame.
func (p *Process) roundTrip(req *Message, limit int64) (*Message, error) {
	if err := Encode(p.w, req); err != nil {
		return nil, fmt.Errorf("writing the request: %w", err)
	}
	if err := p.w.Flush(); err != nil {
		return nil, fmt.Errorf("writing the request: %w", err)
	}
	rep, err := Decode(p.r, limit)
	if err == io.EOF {
		return nil, errors.New("reading the reply: the plugin closed its stdout")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the reply: %w", err)
	}
	return rep, nil
}

// explain adds the exit status to an error of a plugin whose stream ended.
func (p *Process) explain(err error) error {
	if errors.Is(err, ErrFrame) {
		return err
	}
	select {
	case <-p.exited:
	case <-time.After(2 * time.Second):
		return err
	}
	if p.waitErr != nil {
		return fmt.Errorf("%w; the plugin exited: %v", err, p.waitErr)
	}
	return fmt.Errorf("%w; the plugin exited with status 0", err)
}

// handshake exchanges hello and validates the answer.
func (p *Process) handshake(ctx context.Context) (Hello, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = 1
	params := p.spec.Params
	if params == nil {
		params = map[string]any{}
	}
	req := &Message{Type: "hello", Fields: map[string]any{"protocol": Protocol, "role": p.spec.Role, "params": params}}
	rep, err := p.exchange(ctx, 1, req, "hello", "hello", 1)
	if err != nil {
		return Hello{}, err
	}
	h, err := parseHello(rep, p.spec.Role)
	if err != nil {
		p.kill()
		p.broken = p.fail(1, "hello", err)
		return Hello{}, p.broken
	}
	return h, nil
}

func parseHello(rep *Message, role string) (Hello, error) {
	var h Hello
	var proto int
	if err := rep.Get("protocol", &proto); err != nil {
		return h, err
	}
	if proto != Protocol {
		return h, fmt.Errorf("protocol %d, albench speaks %d", proto, Protocol)
	}
	var r string
	if err := rep.Get("role", &r); err != nil {
		return h, err
	}
	if r != role {
		return h, fmt.Errorf("role %q, want %q (is this a %s plugin?)", r, role, r)
	}
	if err := rep.Get("name", &h.Name); err != nil {
		return h, err
	}
	if h.Name == "" {
		return h, errors.New("an empty name")
	}
	key, known := "capabilities", ModelCapabilities
	dst := &h.Capabilities
	if role == RoleStrategy {
		key, known, dst = "needs", StrategyNeeds, &h.Needs
	}
	if err := rep.Get(key, dst); err != nil {
		return h, err
	}
	if *dst == nil {
		*dst = []string{}
	}
	for i, c := range *dst {
		if !slices.Contains(known, c) {
			return h, fmt.Errorf("%s: unknown %q (known: %s)", key, c, strings.Join(known, ", "))
		}
		if slices.Contains((*dst)[:i], c) {
			return h, fmt.Errorf("%s: %q twice", key, c)
		}
	}
	if role == RoleModel && !h.Has("predict_proba") && !h.Has("decision_function") && !h.Has("predict") {
		return h, errors.New("capabilities: a model needs at least one of predict_proba, decision_function and predict")
	}
	return h, nil
}

// Close ends the plugin: it closes stdin, waits up to 5 seconds for the plugin to
// exit, then kills its process group. It is safe to call more than once. The
// exit status of a plugin that was not killed is written to the log when it is
// not 0.
func (p *Process) Close() error {
	p.closeOnce.Do(func() {
		if p.cmd == nil {
			return
		}
		p.mu.Lock()
		broken := p.broken != nil
		p.mu.Unlock()
		if !broken {
			p.w.Flush()
			p.in.Close()
			select {
			case <-p.exited:
			case <-time.After(closeGrace):
			}
		}
		p.kill()
		<-p.exited
		if p.log != nil {
			if p.waitErr != nil && !broken {
				fmt.Fprintf(p.log, "\nalbench: the plugin ended with %v\n", p.waitErr)
			}
			p.log.Close()
		}
	})
	return nil
}

// Abort kills the plugin's process group at once, without the grace Close
// gives: for a run being cancelled.
func (p *Process) Abort() {
	p.mu.Lock()
	if p.broken == nil {
		p.broken = errors.New("the plugin was aborted")
	}
	p.mu.Unlock()
	p.Close()
}

// tail keeps the end of a plugin's stderr for messages.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailBytes = 4 << 10

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > 2*tailBytes {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailBytes:]...)
	}
	return len(b), nil
}

// last returns the last few non-empty lines, joined by " | ", at most 600 bytes.
func (t *tail) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.ToValidUTF8(string(t.buf), "?"), "\n")
	var keep []string
	for i := len(lines) - 1; i >= 0 && len(keep) < 3; i-- {
		if s := strings.TrimSpace(lines[i]); s != "" {
			keep = append(keep, s)
		}
	}
	slices.Reverse(keep)
	s := strings.Join(keep, " | ")
	if len(s) > 600 {
		s = "…" + s[len(s)-600:]
	}
	return s
}
