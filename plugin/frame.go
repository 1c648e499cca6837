// Package plugin speaks albench's plugin protocol (docs/plugin-protocol.md): the
// framing of messages — a little-endian uint32 length, a JSON header, raw
// little-endian float64/int64 arrays — and the management of a plugin process:
// started in a process group of its own, its stderr copied to a log, every call
// bounded by a timeout, the whole group killed on cancellation, on a timeout, on a
// protocol error and when the process is closed.
//
// The external model kind (package learners) and the external strategy (package
// strategies) are built on it.
package plugin

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unicode/utf8"
)

// Protocol is the version of the protocol this package speaks.
const Protocol = 1

// Limits of a frame (docs/plugin-protocol.md §2).
const (
	// MaxHeader bounds the JSON header of a frame, in bytes.
	MaxHeader = 1 << 20
	// MaxArrays bounds the arrays of a frame.
	MaxArrays = 16
	// MaxPayload bounds the payload of a frame, in bytes.
	MaxPayload = 16 << 30
	// chunk is the most the decoder reads (and allocates) ahead of the data.
	chunk = 1 << 20
)

// The dtypes of arrays.
const (
	F8 = "f8" // IEEE-754 binary64, little-endian
	I8 = "i8" // two's-complement int64, little-endian
)

// Array is one array of a message: a float64 or int64 matrix of 1 or 2
// dimensions, row-major. Exactly one of F and I holds the data, by DType.
type Array struct {
	Name  string
	DType string
	Shape []int
	F     []float64
	I     []int64
}

// Floats returns an f8 array over data with the given shape (not copied).
func Floats(name string, data []float64, shape ...int) Array {
	return Array{Name: name, DType: F8, Shape: shape, F: data}
}

// Ints returns an i8 array over data with the given shape (not copied).
func Ints(name string, data []int64, shape ...int) Array {
	return Array{Name: name, DType: I8, Shape: shape, I: data}
}

// Len is the number of elements the shape holds.
func (a *Array) Len() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// Message is one frame: the header's type and other keys, and the arrays.
type Message struct {
	// Type is the header's "type".
	Type string
	// Fields are the header's other keys when encoding (values encodable by
	// encoding/json); "type" and "arrays" are ignored here.
	Fields map[string]any
	// Arrays are the message's arrays in payload order.
	Arrays []Array
	// raw holds the decoded header's keys.
	raw map[string]json.RawMessage
}

// Array returns the array named name, or nil.
func (m *Message) Array(name string) *Array {
	for i := range m.Arrays {
		if m.Arrays[i].Name == name {
			return &m.Arrays[i]
		}
	}
	return nil
}

// Has reports whether the decoded header has key.
func (m *Message) Has(key string) bool {
	_, ok := m.raw[key]
	return ok
}

// Get decodes the decoded header's key into v; a missing key is an error.
func (m *Message) Get(key string, v any) error {
	r, ok := m.raw[key]
	if !ok {
		return fmt.Errorf("the header has no %q", key)
	}
	if err := json.Unmarshal(r, v); err != nil {
		return fmt.Errorf("header key %q: %v", key, err)
	}
	return nil
}

// arrayDesc is an array's entry in the header.
type arrayDesc struct {
	Name  string `json:"name"`
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
}

// Encode writes m as one frame. Arrays must hold as many elements as their shapes
// say; nothing is written when they do not.
func Encode(w io.Writer, m *Message) error {
	h := make(map[string]any, len(m.Fields)+2)
	for k, v := range m.Fields {
		h[k] = v
	}
	h["type"] = m.Type
	delete(h, "arrays")
	if len(m.Arrays) > 0 {
		ds := make([]arrayDesc, len(m.Arrays))
		for i, a := range m.Arrays {
			if err := a.check(); err != nil {
				return err
			}
			ds[i] = arrayDesc{a.Name, a.DType, a.Shape}
		}
		h["arrays"] = ds
	}
	hdr, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encoding a %s header: %v", m.Type, err)
	}
	if len(hdr) > MaxHeader {
		return fmt.Errorf("a %s header of %d bytes exceeds %d", m.Type, len(hdr), MaxHeader)
	}
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(hdr)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	var buf [8 << 10]byte
	for _, a := range m.Arrays {
		k := 0
		flush := func() error {
			_, err := w.Write(buf[:k])
			k = 0
			return err
		}
		for _, v := range a.F {
			binary.LittleEndian.PutUint64(buf[k:], math.Float64bits(v))
			if k += 8; k == len(buf) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		for _, v := range a.I {
			binary.LittleEndian.PutUint64(buf[k:], uint64(v))
			if k += 8; k == len(buf) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if k > 0 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// check reports an array that Encode must not write.
func (a *Array) check() error {
	if len(a.Shape) < 1 || len(a.Shape) > 2 {
		return fmt.Errorf("array %s: shape %v must have 1 or 2 dimensions", a.Name, a.Shape)
	}
	for _, d := range a.Shape {
		if d < 0 {
			return fmt.Errorf("array %s: negative dimension in %v", a.Name, a.Shape)
		}
	}
	n := a.Len()
	switch a.DType {
	case F8:
		if len(a.F) != n || a.I != nil {
			return fmt.Errorf("array %s: %d floats for shape %v", a.Name, len(a.F), a.Shape)
		}
	case I8:
		if len(a.I) != n || a.F != nil {
			return fmt.Errorf("array %s: %d ints for shape %v", a.Name, len(a.I), a.Shape)
		}
	default:
		return fmt.Errorf("array %s: dtype %q", a.Name, a.DType)
	}
	return nil
}

// ErrFrame marks a frame that breaks the protocol's framing rules.
var ErrFrame = errors.New("bad frame")

// frameErr is an ErrFrame with what is wrong.
func frameErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFrame, fmt.Sprintf(format, args...))
}

// Decode reads one frame from r and validates it strictly: a header of 2 to
// MaxHeader bytes holding one JSON object of valid UTF-8 with a string "type",
// well-formed array entries (distinct non-empty names, dtype f8 or i8, 1 or 2
// non-negative dimensions, at most MaxArrays), a payload of at most limit bytes
// (MaxPayload when limit ≤ 0) read in full. It reads the payload chunk by chunk
// and allocates a large array as its data arrives, so a header that announces
// more than the stream holds fails at the end of the stream without allocating
// the announced size. io.EOF is returned only when r
// ends before the first byte; a frame cut short is io.ErrUnexpectedEOF.
func Decode(r io.Reader, limit int64) (*Message, error) {
	if limit <= 0 || limit > MaxPayload {
		limit = MaxPayload
	}
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	size := binary.LittleEndian.Uint32(n[:])
	if size < 2 || size > MaxHeader {
		return nil, frameErr("header length %d is not in [2, %d]", size, MaxHeader)
	}
	hdr := make([]byte, size)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, unexpected(err)
	}
	m, err := parseHeader(hdr, limit)
	if err != nil {
		return nil, err
	}
	var buf []byte
	for i := range m.Arrays {
		a := &m.Arrays[i]
		n := a.Len()
		// An array of up to eager elements is allocated at once; a larger one
		// grows with what arrives, so a lying header costs no more memory than
		// the stream holds.
		const eager = 2 << 20
		if a.DType == F8 {
			a.F = make([]float64, 0, min(n, eager))
		} else {
			a.I = make([]int64, 0, min(n, eager))
		}
		for done := 0; done < n; {
			k := min(n-done, chunk/8)
			if cap(buf) < 8*k {
				buf = make([]byte, 8*k)
			}
			b := buf[:8*k]
			if _, err := io.ReadFull(r, b); err != nil {
				return nil, unexpected(err)
			}
			if a.DType == F8 {
				a.F = slices.Grow(a.F, k)[:done+k]
				dst := a.F[done:]
				for j := range dst {
					dst[j] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*j:]))
				}
			} else {
				a.I = slices.Grow(a.I, k)[:done+k]
				dst := a.I[done:]
				for j := range dst {
					dst[j] = int64(binary.LittleEndian.Uint64(b[8*j:]))
				}
			}
			done += k
		}
	}
	return m, nil
}

// unexpected turns io.EOF inside a frame into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseHeader validates a header and returns its message, arrays without data.
func parseHeader(hdr []byte, limit int64) (*Message, error) {
	if !utf8.Valid(hdr) {
		return nil, frameErr("the header is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(hdr))
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, frameErr("the header is not a JSON object: %v", err)
	}
	if raw == nil {
		return nil, frameErr("the header is not a JSON object (null)")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, frameErr("the header has data after its JSON object")
	}
	m := &Message{raw: raw}
	t, ok := raw["type"]
	if !ok {
		return nil, frameErr("the header has no \"type\"")
	}
	if err := json.Unmarshal(t, &m.Type); err != nil || m.Type == "" {
		return nil, frameErr("the header's \"type\" is not a non-empty string: %.40s", t)
	}
	ar, ok := raw["arrays"]
	if !ok || string(ar) == "null" {
		return m, nil
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(ar, &entries); err != nil {
		return nil, frameErr("\"arrays\" is not a list: %v", err)
	}
	if len(entries) > MaxArrays {
		return nil, frameErr("%d arrays, at most %d", len(entries), MaxArrays)
	}
	var total int64
	seen := map[string]bool{}
	for i, e := range entries {
		a, err := parseArray(e)
		if err != nil {
			return nil, frameErr("arrays[%d]: %v", i, err)
		}
		if seen[a.Name] {
			return nil, frameErr("arrays[%d]: duplicate name %q", i, a.Name)
		}
		seen[a.Name] = true
		size := int64(8)
		for _, d := range a.Shape {
			if d != 0 && size > limit/int64(d) {
				return nil, frameErr("array %s of shape %v exceeds the payload limit of %d bytes", a.Name, a.Shape, limit)
			}
			size *= int64(d)
		}
		if total += size; total > limit {
			return nil, frameErr("the arrays exceed the payload limit of %d bytes", limit)
		}
		m.Arrays = append(m.Arrays, a)
	}
	return m, nil
}

// parseArray decodes one array entry strictly.
func parseArray(e json.RawMessage) (Array, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(e, &raw); err != nil || raw == nil {
		return Array{}, fmt.Errorf("not an object")
	}
	for k := range raw {
		if k != "name" && k != "dtype" && k != "shape" {
			return Array{}, fmt.Errorf("unknown key %q", k)
		}
	}
	var a Array
	if err := json.Unmarshal(raw["name"], &a.Name); err != nil || a.Name == "" {
		return Array{}, fmt.Errorf("name must be a non-empty string")
	}
	if err := json.Unmarshal(raw["dtype"], &a.DType); err != nil || (a.DType != F8 && a.DType != I8) {
		return Array{}, fmt.Errorf("array %s: dtype must be f8 or i8", a.Name)
	}
	var dims []json.Number
	dec := json.NewDecoder(bytes.NewReader(raw["shape"]))
	dec.UseNumber()
	if err := dec.Decode(&dims); err != nil || len(dims) < 1 || len(dims) > 2 {
		return Array{}, fmt.Errorf("array %s: shape must be a list of 1 or 2 integers", a.Name)
	}
	for _, d := range dims {
		v, ok := intOf(d)
		if !ok || v < 0 || v > MaxPayload/8 {
			return Array{}, fmt.Errorf("array %s: dimension %s is not a non-negative integer within the limits", a.Name, d)
		}
		a.Shape = append(a.Shape, int(v))
	}
	return a, nil
}

// intOf reads a JSON number written as an integer: digits, optionally signed, no
// fraction or exponent.
func intOf(n json.Number) (int64, bool) {
	s := string(n)
	for i, c := range s {
		if (c < '0' || c > '9') && !(i == 0 && c == '-') {
			return 0, false
		}
	}
	v, err := n.Int64()
	return v, err == nil
}
