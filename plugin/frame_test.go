package plugin

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

// frame builds a frame from a header and payload by hand.
func frame(hdr string, payload ...byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(hdr)))
	return append(append(b, hdr...), payload...)
}

func le(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

// TestEncodeBytes pins the wire format of docs/plugin-protocol.md §2 on a
// hand-written frame: length, header, then the arrays' little-endian bytes in
// header order.
func TestEncodeBytes(t *testing.T) {
	var b bytes.Buffer
	m := &Message{Type: "fit", Fields: map[string]any{"stream_seed": 7}, Arrays: []Array{
		Ints("rows", []int64{3, -1}, 2),
		Floats("x", []float64{1.5, -2}, 1, 2),
	}}
	if err := Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	hdr := `{"arrays":[{"name":"rows","dtype":"i8","shape":[2]},{"name":"x","dtype":"f8","shape":[1,2]}],"stream_seed":7,"type":"fit"}`
	want := frame(hdr, le(3, math.MaxUint64, math.Float64bits(1.5), math.Float64bits(-2))...)
	if !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("encoded\n%q\nwant\n%q", b.Bytes(), want)
	}
	got, err := Decode(bytes.NewReader(want), 0)
	if err != nil {
		t.Fatal(err)
	}
	var seed int
	if got.Type != "fit" || got.Get("stream_seed", &seed) != nil || seed != 7 ||
		!slices.Equal(got.Array("rows").I, []int64{3, -1}) || !slices.Equal(got.Array("x").F, []float64{1.5, -2}) ||
		!slices.Equal(got.Array("x").Shape, []int{1, 2}) {
		t.Fatalf("decoded %+v", got)
	}
}

// TestDecodeRejects lists frames that break a rule, each with the words of its
// error.
func TestDecodeRejects(t *testing.T) {
	big := binary.LittleEndian.AppendUint32(nil, MaxHeader+1)
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"length 0", frame(""), "header length 0"},
		{"length above the limit", big, "header length"},
		{"short header", frame(`{"type":"ok"}`)[:8], "unexpected EOF"},
		{"not JSON", frame(`Traceback`), "not a JSON object"},
		{"JSON array", frame(`[1,2]`), "not a JSON object"},
		{"null", frame(`null`), "not a JSON object"},
		{"two objects", frame(`{"type":"ok"}{}`), "data after"},
		{"invalid UTF-8", frame("{\"type\":\"o\xffk\"}"), "UTF-8"},
		{"no type", frame(`{"arrays":[]}`), `no "type"`},
		{"type not a string", frame(`{"type":3}`), `"type"`},
		{"empty type", frame(`{"type":""}`), `"type"`},
		{"arrays not a list", frame(`{"type":"r","arrays":{}}`), "not a list"},
		{"bad dtype", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f4","shape":[1]}]}`, le(0)...), "dtype"},
		{"no name", frame(`{"type":"r","arrays":[{"dtype":"f8","shape":[1]}]}`, le(0)...), "name"},
		{"unknown key", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[1],"order":"F"}]}`, le(0)...), "unknown key"},
		{"3-D", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[1,1,1]}]}`, le(0)...), "1 or 2"},
		{"0-D", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[]}]}`), "1 or 2"},
		{"negative dim", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[-1]}]}`), "non-negative"},
		{"fractional dim", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[1.5]}]}`), "non-negative integer"},
		{"exponent dim", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[1e1]}]}`), "non-negative integer"},
		{"duplicate name", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[1]},{"name":"a","dtype":"i8","shape":[1]}]}`, le(0, 0)...), "duplicate"},
		{"short payload", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[2]}]}`, le(0)...), "unexpected EOF"},
		{"huge announced payload", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[1000000000,1000000000]}]}`), "limit"},
		{"over the caller's limit", frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[3]}]}`, le(0, 0, 0)...), "limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(c.in), 16)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
		})
	}
	if _, err := Decode(bytes.NewReader(nil), 0); err != io.EOF {
		t.Fatalf("empty stream: %v, want io.EOF", err)
	}
	if _, err := Decode(bytes.NewReader(frame(`nope`)), 0); !errors.Is(err, ErrFrame) {
		t.Fatalf("%v is not an ErrFrame", err)
	}
}

// TestDecodeExtraKeys keeps header keys albench does not know (§2: ignored, not
// refused) and an announced-but-absent payload of zero elements.
func TestDecodeExtraKeys(t *testing.T) {
	m, err := Decode(bytes.NewReader(frame(`{"type":"ok","future":{"x":1},"arrays":[{"name":"e","dtype":"i8","shape":[0,5]}]}`)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Has("future") || m.Array("e") == nil || len(m.Array("e").I) != 0 {
		t.Fatalf("decoded %+v", m)
	}
}

// TestEncodeRejects refuses arrays whose data does not match their shape.
func TestEncodeRejects(t *testing.T) {
	for _, a := range []Array{
		Floats("a", []float64{1, 2}, 3),
		Ints("a", []int64{1}, 1, 2),
		Floats("a", nil, 1, 1, 1),
		{Name: "a", DType: "f4", Shape: []int{0}},
	} {
		var b bytes.Buffer
		if err := Encode(&b, &Message{Type: "r", Arrays: []Array{a}}); err == nil || b.Len() != 0 {
			t.Errorf("%+v: encoded %d bytes, err %v", a, b.Len(), err)
		}
	}
}

// FuzzDecode feeds arbitrary bytes to Decode: it never panics, never allocates
// for more than the stream holds, and what it accepts encodes back to a frame it
// decodes to the same message.
func FuzzDecode(f *testing.F) {
	var b bytes.Buffer
	Encode(&b, &Message{Type: "select", Fields: map[string]any{"batch": 2}, Arrays: []Array{
		Ints("unlabeled", []int64{1, 2, 3}, 3), Floats("probabilities", []float64{.5, .5, 1, 0, .2, .8}, 3, 2)}})
	f.Add(b.Bytes())
	f.Add(frame(`{"type":"ok"}`))
	f.Add(frame(`{"type":"r","arrays":[{"name":"a","dtype":"f8","shape":[1000000,1000000]}]}`))
	f.Add([]byte("Traceback (most recent call last):\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(bytes.NewReader(data), 1<<20)
		if err != nil {
			return
		}
		var out bytes.Buffer
		m.Fields = map[string]any{}
		for k, v := range m.raw {
			if k != "type" && k != "arrays" {
				m.Fields[k] = v
			}
		}
		if err := Encode(&out, m); err != nil {
			t.Fatalf("re-encoding %+v: %v", m, err)
		}
		m2, err := Decode(&out, 1<<20)
		if err != nil {
			t.Fatalf("decoding the re-encoded frame: %v", err)
		}
		if m2.Type != m.Type || len(m2.Arrays) != len(m.Arrays) {
			t.Fatalf("round trip changed %+v into %+v", m, m2)
		}
		for i := range m.Arrays {
			a, c := m.Arrays[i], m2.Arrays[i]
			if a.Name != c.Name || a.DType != c.DType || !slices.Equal(a.Shape, c.Shape) || !slices.Equal(a.I, c.I) ||
				!slices.EqualFunc(a.F, c.F, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }) {
				t.Fatalf("array %d changed: %+v → %+v", i, a, c)
			}
		}
	})
}
