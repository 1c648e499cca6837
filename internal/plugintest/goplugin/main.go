// Command goplugin is the plugin the tests of albench's plugin protocol run
// (docs/plugin-protocol.md): a model — nearest centroid, probabilities a softmax
// of negative squared distances — or a strategy — least confidence on the
// probabilities albench sends, ties by the lowest row — chosen by the role of
// hello. Its params select misbehaviour to test albench's checks:
//
//	fail:  crash | hang | garbage | short | nan | shape | error | wrongtype |
//	       dup | labeled | count | exit0
//	at:    the message type to fail at (hello, trial, fit, predict_proba, select, ...)
//	after: fail at the after-th message of that type (default 1)
//	capabilities / needs: the lists to declare (defaults [predict_proba] and
//	       [probabilities]); embed is the input features, grad_embed their
//	       outer product with p − e_ŷ
//	trivial: fit does nothing and predict_proba is uniform (the benchmark)
//	child: spawn a copy of itself that sleeps, and print its pid to stderr
//	protocol, role: override what hello answers
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"slices"
	"time"

	"albench/internal/fmath"
	"albench/plugin"
)

type params struct {
	Fail         string   `json:"fail"`
	At           string   `json:"at"`
	After        int      `json:"after"`
	Capabilities []string `json:"capabilities"`
	Needs        []string `json:"needs"`
	Trivial      bool     `json:"trivial"`
	Child        bool     `json:"child"`
	Protocol     *int     `json:"protocol"`
	Role         string   `json:"role"`
}

type state struct {
	p         params
	role      string
	w         *bufio.Writer
	counts    map[string]int
	classes   int
	features  int
	pool      []float64
	test      []float64
	centroids []float64 // classes × features; a class without points has none
	has       []bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "sleeper" {
		time.Sleep(time.Hour)
		return
	}
	r := bufio.NewReader(os.Stdin)
	s := &state{w: bufio.NewWriter(os.Stdout), counts: map[string]int{}}
	for {
		m, err := plugin.Decode(r, 0)
		if err != nil {
			return // end of input: exit 0
		}
		s.counts[m.Type]++
		if m.Type == "hello" {
			if err := m.Get("params", &s.p); err != nil {
				fmt.Fprintln(os.Stderr, "goplugin: params:", err)
				os.Exit(2)
			}
			m.Get("role", &s.role)
			if s.p.After == 0 {
				s.p.After = 1
			}
			if s.p.Child {
				c := exec.Command(os.Args[0], "sleeper")
				if err := c.Start(); err == nil {
					fmt.Fprintf(os.Stderr, "child pid %d\n", c.Process.Pid)
				}
			}
		}
		if s.p.At == m.Type && s.counts[m.Type] == s.p.After && s.misbehave(m) {
			continue
		}
		rep := s.answer(m)
		if err := plugin.Encode(s.w, rep); err != nil {
			os.Exit(4)
		}
		s.w.Flush()
	}
}

// misbehave does what params.fail asks; it reports whether the message is
// answered (or never will be).
func (s *state) misbehave(m *plugin.Message) bool {
	switch s.p.Fail {
	case "crash":
		fmt.Fprintf(os.Stderr, "goplugin: crashing at %s as asked\n", m.Type)
		os.Exit(3)
	case "exit0":
		os.Exit(0)
	case "hang":
		fmt.Fprintf(os.Stderr, "goplugin: hanging at %s as asked\n", m.Type)
		time.Sleep(time.Hour)
	case "garbage":
		s.w.WriteString("Traceback (most recent call last): oops\n")
		s.w.Flush()
		return true
	case "short":
		rep := s.answer(m)
		var b bufWriter
		plugin.Encode(&b, rep)
		s.w.Write(b[:len(b)-4])
		s.w.Flush()
		os.Stdout.Sync()
		time.Sleep(100 * time.Millisecond)
		os.Exit(0)
	case "error":
		plugin.Encode(s.w, &plugin.Message{Type: "error", Fields: map[string]any{"message": "refusing " + m.Type + " as asked"}})
		s.w.Flush()
		return true
	case "wrongtype":
		plugin.Encode(s.w, &plugin.Message{Type: "ok"})
		s.w.Flush()
		return true
	case "nan", "shape", "dup", "labeled", "count":
		rep := s.answer(m)
		a := &rep.Arrays[0]
		switch s.p.Fail {
		case "nan":
			a.F[len(a.F)-1] = math.NaN()
		case "shape":
			a.Shape = []int{a.Shape[0]}
			if len(a.F) > 0 {
				a.F = a.F[:a.Shape[0]]
			}
		case "dup":
			if len(a.I) > 1 {
				a.I[1] = a.I[0]
			}
		case "labeled":
			var lab plugin.Array
			if l := m.Array("labeled"); l != nil {
				lab = *l
			}
			a.I[0] = lab.I[0]
		case "count":
			a.I = append(a.I, a.I[0])
			a.Shape = []int{len(a.I)}
		}
		plugin.Encode(s.w, rep)
		s.w.Flush()
		return true
	}
	return false
}

type bufWriter []byte

func (b *bufWriter) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }

func fail(format string, args ...any) *plugin.Message {
	return &plugin.Message{Type: "error", Fields: map[string]any{"message": fmt.Sprintf(format, args...)}}
}

func ok() *plugin.Message { return &plugin.Message{Type: "ok"} }

func (s *state) answer(m *plugin.Message) *plugin.Message {
	switch m.Type {
	case "hello":
		proto := plugin.Protocol
		if s.p.Protocol != nil {
			proto = *s.p.Protocol
		}
		role := s.role
		if s.p.Role != "" {
			role = s.p.Role
		}
		f := map[string]any{"protocol": proto, "role": role, "name": "goplugin-" + s.role}
		if s.role == plugin.RoleModel {
			c := s.p.Capabilities
			if c == nil {
				c = []string{"predict_proba"}
			}
			f["capabilities"] = c
		} else {
			n := s.p.Needs
			if n == nil {
				n = []string{"probabilities"}
			}
			f["needs"] = n
		}
		return &plugin.Message{Type: "hello", Fields: f}
	case "trial":
		m.Get("classes", &s.classes)
		m.Get("features", &s.features)
		s.pool = m.Array("pool").F
		if t := m.Array("test"); t != nil {
			s.test = t.F
		}
		rep := ok()
		rep.Fields = map[string]any{"embed_dim": s.features, "grad_embed_dim": s.features * s.classes}
		return rep
	case "fit":
		if !s.p.Trivial {
			s.fit(m.Array("rows").I, m.Array("y").I)
		}
		return ok()
	case "predict_proba", "decision_function", "predict", "embed", "grad_embed":
		if s.p.Trivial && m.Type == "predict_proba" && m.Array("rows") != nil {
			return s.predict(m.Type, nil, m.Array("rows").Shape[0])
		}
		x, n, err := s.points(m)
		if err != "" {
			return fail("%s", err)
		}
		return s.predict(m.Type, x, n)
	case "select":
		return s.selectRows(m)
	}
	return fail("unknown message type %q", m.Type)
}

// points returns the points a prediction call names.
func (s *state) points(m *plugin.Message) ([]float64, int, string) {
	var set string
	m.Get("set", &set)
	if set == "x" {
		x := m.Array("x")
		return x.F, x.Shape[0], ""
	}
	src := s.pool
	if set == "test" {
		src = s.test
	}
	rows := m.Array("rows").I
	d := s.features
	out := make([]float64, 0, len(rows)*d)
	for _, r := range rows {
		if r < 0 || int(r)*d >= len(src) {
			return nil, 0, fmt.Sprintf("row %d out of range", r)
		}
		out = append(out, src[int(r)*d:int(r+1)*d]...)
	}
	return out, len(rows), ""
}

func (s *state) fit(rows, y []int64) {
	k, d := s.classes, s.features
	s.centroids = make([]float64, k*d)
	s.has = make([]bool, k)
	count := make([]float64, k)
	for i, r := range rows {
		c := y[i]
		count[c]++
		s.has[c] = true
		for j := range d {
			s.centroids[int(c)*d+j] += s.pool[int(r)*d+j]
		}
	}
	for c := range k {
		for j := range d {
			if count[c] > 0 {
				s.centroids[c*d+j] /= count[c]
			}
		}
	}
}

// probs is the softmax of −‖x − μ_c‖² over the classes with points; 0 for the
// others. Trivial mode: 1/k.
func (s *state) probs(x []float64) []float64 {
	k, d := s.classes, s.features
	p := make([]float64, k)
	if s.p.Trivial || s.centroids == nil {
		for c := range p {
			p[c] = 1 / float64(k)
		}
		return p
	}
	best := math.Inf(1)
	dist := make([]float64, k)
	for c := range k {
		if !s.has[c] {
			continue
		}
		sum := 0.0
		for j := range d {
			t := x[j] - s.centroids[c*d+j]
			sum += float64(t * t)
		}
		dist[c] = sum
		best = min(best, sum)
	}
	total := 0.0
	for c := range k {
		if s.has[c] {
			p[c] = fmath.Exp(best - dist[c])
			total += p[c]
		}
	}
	for c := range p {
		p[c] /= total
	}
	return p
}

func (s *state) predict(typ string, x []float64, n int) *plugin.Message {
	k, d := s.classes, s.features
	res := func(a plugin.Array) *plugin.Message {
		return &plugin.Message{Type: "result", Arrays: []plugin.Array{a}}
	}
	switch typ {
	case "predict_proba":
		out := make([]float64, 0, n*k)
		if s.p.Trivial {
			u := 1 / float64(k)
			for range n * k {
				out = append(out, u)
			}
			return res(plugin.Floats("probabilities", out, n, k))
		}
		for i := range n {
			out = append(out, s.probs(x[i*d:(i+1)*d])...)
		}
		return res(plugin.Floats("probabilities", out, n, k))
	case "decision_function":
		w := k
		if k == 2 {
			w = 1
		}
		out := make([]float64, 0, n*w)
		for i := range n {
			p := s.probs(x[i*d : (i+1)*d])
			if k == 2 {
				out = append(out, p[1]-p[0])
			} else {
				out = append(out, p...)
			}
		}
		return res(plugin.Floats("decision", out, n, w))
	case "predict":
		out := make([]int64, n)
		for i := range n {
			p := s.probs(x[i*d : (i+1)*d])
			out[i] = int64(slices.Index(p, slices.Max(p)))
		}
		return res(plugin.Ints("predictions", out, n))
	case "embed":
		return res(plugin.Floats("embeddings", slices.Clone(x[:n*d]), n, d))
	default: // grad_embed: (p − e_ŷ) ⊗ x
		out := make([]float64, 0, n*k*d)
		for i := range n {
			xi := x[i*d : (i+1)*d]
			p := s.probs(xi)
			yhat := slices.Index(p, slices.Max(p))
			for c := range k {
				g := p[c]
				if c == yhat {
					g--
				}
				for _, v := range xi {
					out = append(out, float64(g*v))
				}
			}
		}
		return res(plugin.Floats("grad_embeddings", out, n, k*d))
	}
}

// selectRows is least confidence, 1 − max p, ties by the lowest row; without
// probabilities, the lowest unlabeled rows.
func (s *state) selectRows(m *plugin.Message) *plugin.Message {
	var batch int
	m.Get("batch", &batch)
	un := m.Array("unlabeled").I
	b := min(batch, len(un))
	idx := make([]int, len(un))
	for i := range idx {
		idx[i] = i
	}
	if pa := m.Array("probabilities"); pa != nil {
		k := pa.Shape[1]
		score := make([]float64, len(un))
		for i := range un {
			score[i] = 1 - slices.Max(pa.F[i*k:(i+1)*k])
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case score[a] > score[b]:
				return -1
			case score[a] < score[b]:
				return 1
			}
			return 0 // stable: unlabeled is ascending, so the lowest row first
		})
	}
	out := make([]int64, b)
	for i := range b {
		out[i] = un[idx[i]]
	}
	return &plugin.Message{Type: "selected", Arrays: []plugin.Array{plugin.Ints("rows", out, b)}}
}
