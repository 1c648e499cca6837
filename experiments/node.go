package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"albench/internal/suggest"
)

// This file holds the YAML node helpers of the parser: decoding scalars with
// positioned problems, walking mappings strictly, the generic value decoder and
// locating a relative key path in a node tree.

// parser collects the problems of one config.
type parser struct {
	file string
	data []byte
	errs Errors
	// probe runs learners.Probe on model specs (an external model's handshake).
	probe bool
}

// field is one key/value pair of a mapping.
type field struct {
	key  string
	k, v *yaml.Node
}

// loc is where a key was written: its value node and key path.
type loc struct {
	n    *yaml.Node
	path string
}

// add records a problem at n (which may be nil: position unknown).
func (p *parser) add(n *yaml.Node, key, msg, got string) {
	e := Error{File: p.file, Key: key, Msg: msg, Got: got}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

// place records a Problem found under base, whose key path is prefix; q.Key is
// relative to base. A problem inside a data file keeps the file's position; one
// about a data file as a whole (no line) is placed at the key that names it, with
// the file named in the message. A problem is placed at the value its key names,
// or at the deepest node on the way when the key is absent. In a model spec
// (model true) an unknown key is placed at the key itself, and the value shown
// is the one written in the YAML (the learners registry renders values in Go
// syntax).
func (p *parser) place(base *yaml.Node, prefix string, q Problem, model bool) {
	key := prefix
	if q.Key != "" {
		key = joinKey(prefix, q.Key)
	}
	if q.File != "" && q.Line > 0 {
		p.errs = append(p.errs, Error{File: q.File, Line: q.Line, Col: q.Col, Key: key, Msg: q.Msg, Got: q.Got})
		return
	}
	n, k, exact := locate(base, q.Key)
	msg, got := q.Msg, q.Got
	if q.File != "" {
		where := q.File
		if q.Col > 0 {
			where += fmt.Sprintf(", column %d", q.Col)
		}
		msg = where + ": " + msg
	}
	switch {
	case model && exact && strings.HasPrefix(msg, "unknown key") && k != nil:
		n, got = k, ""
	case model && exact && q.Got != "":
		got = gotNode(n)
	}
	p.add(n, key, msg, got)
}

// joinKey appends a relative key ("a.b", "[2].c") to a path.
func joinKey(path, key string) string {
	if path == "" || strings.HasPrefix(key, "[") {
		return path + key
	}
	return path + "." + key
}

var lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)
var anchorRE = regexp.MustCompile(`^anchor '(.*)' value contains itself$`)

// syntax records a yaml.v3 error. yaml.v3 gives at most a line, and no position
// at all for some errors; those are positioned here from the text: the anchor
// that contains itself, the first byte that is not valid UTF-8 or a control
// character, else line 1.
func (p *parser) syntax(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := Error{File: p.file, Msg: msg}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
	} else {
		e.Line, e.Col = p.guess(msg)
	}
	p.errs = append(p.errs, e)
}

// guess finds where an error without a line lies in the text.
func (p *parser) guess(msg string) (line, col int) {
	off := -1
	if m := anchorRE.FindStringSubmatch(msg); m != nil {
		for i := 0; off < 0; {
			j := bytes.Index(p.data[i:], []byte("&"+m[1]))
			if j < 0 {
				break
			}
			end := i + j + 1 + len(m[1])
			if end == len(p.data) || strings.IndexByte(" \t\r\n,[]{}", p.data[end]) >= 0 {
				off = i + j
			}
			i += j + 1
		}
	}
	if off < 0 {
		for i := 0; i < len(p.data); {
			r, size := utf8.DecodeRune(p.data[i:])
			if (r == utf8.RuneError && size == 1) || (r < ' ' && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
				off = i
				break
			}
			i += size
		}
	}
	if off < 0 {
		return 1, 0
	}
	line = 1 + bytes.Count(p.data[:off], []byte("\n"))
	col = 1 + utf8.RuneCount(p.data[bytes.LastIndexByte(p.data[:off], '\n')+1:off])
	return line, col
}

// document decodes the single YAML document of data into a node tree, or returns
// nil having recorded why it cannot.
func (p *parser) document(data []byte) *yaml.Node {
	p.data = data
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.add(&yaml.Node{Line: 1, Column: 1}, "", "config is empty", "")
		} else {
			p.syntax(err)
		}
		return nil
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case errors.Is(err, io.EOF):
	case err != nil:
		p.syntax(err)
		return nil
	default:
		at := &second
		if len(second.Content) > 0 {
			at = second.Content[0]
		}
		p.add(at, "", "a config is one YAML document; found a second", "")
		return nil
	}
	// yaml.v3 rejects anchors that contain themselves and alias bombs only when
	// decoding into values, and the node tree walked below follows aliases: decode
	// once to let it check. Type errors (such as duplicate keys) are reported later,
	// with positions.
	var v any
	if err := doc.Decode(&v); err != nil {
		var te *yaml.TypeError
		if msg := err.Error(); !errors.As(err, &te) &&
			(strings.Contains(msg, "aliasing") || strings.Contains(msg, "contains itself")) {
			p.syntax(err)
			return nil
		}
	}
	if len(doc.Content) == 0 {
		p.add(&yaml.Node{Line: 1, Column: 1}, "", "config is empty", "")
		return nil
	}
	return doc.Content[0]
}

// object checks that n is a mapping whose keys are all in known and returns its
// fields by key, or nil if n is not a mapping.
func (p *parser) object(n *yaml.Node, path string, known []string) map[string]field {
	v := deref(n)
	if v.Kind != yaml.MappingNode {
		msg := "must be a mapping"
		if path == "" {
			msg = "a config must be a mapping of keys to values"
		}
		p.add(n, path, msg, gotNode(n))
		return nil
	}
	m := map[string]field{}
	for _, f := range p.fields(v, path) {
		if !slices.Contains(known, f.key) {
			p.add(f.k, join(path, f.key), unknownKey(f.key, known), "")
			continue
		}
		m[f.key] = f
	}
	return m
}

// fields returns the pairs of mapping n in order, reporting keys that are not
// strings and keys written twice (the first is kept).
func (p *parser) fields(n *yaml.Node, path string) []field {
	var out []field
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kv := deref(k)
		switch {
		case kv.Kind == yaml.ScalarNode && kv.ShortTag() == "!!merge":
			p.add(k, path, "merge keys (<<) are not supported", "")
			continue
		case kv.Kind != yaml.ScalarNode || kv.ShortTag() != "!!str":
			p.add(k, path, "keys must be strings", gotNode(k))
			continue
		}
		if f, dup := first[kv.Value]; dup {
			p.add(k, join(path, kv.Value), fmt.Sprintf("duplicate key (first at line %d)", f.Line), "")
			continue
		}
		first[kv.Value] = k
		out = append(out, field{kv.Value, k, v})
	}
	return out
}

// mapping decodes a mapping of arbitrary keys into plain Go values (see value);
// an empty one is nil. ok is false if anything was reported.
func (p *parser) mapping(n *yaml.Node, path string) (m map[string]any, ok bool) {
	if deref(n).Kind != yaml.MappingNode {
		p.add(n, path, "must be a mapping", gotNode(n))
		return nil, false
	}
	before := len(p.errs)
	m, _ = p.value(n, path).(map[string]any)
	if len(m) == 0 {
		m = nil
	}
	return m, len(p.errs) == before
}

// value decodes any YAML value into nil, bool, int, float64, string, []any or
// map[string]any, nested to any depth; this is how every params mapping and
// model spec is read, so their nested lists and mappings reach the checks
// unchanged.
func (p *parser) value(n *yaml.Node, path string) any {
	v := deref(n)
	switch v.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for _, f := range p.fields(v, path) {
			m[f.key] = p.value(f.v, join(path, f.key))
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(v.Content))
		for i, e := range v.Content {
			s[i] = p.value(e, fmt.Sprintf("%s[%d]", path, i))
		}
		return s
	case yaml.ScalarNode:
		switch v.ShortTag() {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if v.Decode(&b) == nil {
				return b
			}
		case "!!int":
			var i int
			if v.Decode(&i) == nil {
				return i
			}
			p.add(n, path, intRange, gotNode(n))
			return nil
		case "!!float":
			var x float64
			if v.Decode(&x) == nil {
				return x
			}
		case "!!str", "!!timestamp":
			return v.Value
		}
		p.add(n, path, "unsupported value "+v.ShortTag(), gotNode(n))
	}
	return nil
}

// intRange is the message for an integer that does not fit an int.
const intRange = "integer out of range (at most 9223372036854775807 in magnitude)"

// str decodes a string.
func (p *parser) str(n *yaml.Node, path string) (string, bool) {
	v := deref(n)
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		p.add(n, path, "must be a string", gotNode(n))
		return "", false
	}
	return v.Value, true
}

// maxName bounds names and labels in bytes: they become parts of file names,
// which most file systems limit to 255 bytes, and a trial file's name holds
// more than one of them.
const maxName = 100

// identRE is what names and labels may look like: they end up in file names.
var identRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.+-]*$`)

// ident checks that s is a valid name or label.
func (p *parser) ident(n *yaml.Node, path, s string) bool {
	if !identRE.MatchString(s) {
		p.add(n, path, "must be letters, digits, '_', '.', '+' or '-', starting with a letter or digit", gotNode(n))
		return false
	}
	if len(s) > maxName {
		p.add(n, path, fmt.Sprintf("must be at most %d bytes long, since it names files (it has %d)", maxName, len(s)), gotNode(n))
		return false
	}
	return true
}

// enum decodes a string that must be one of choices.
func (p *parser) enum(n *yaml.Node, path string, choices []string) (string, bool) {
	s, ok := p.str(n, path)
	if !ok {
		return "", false
	}
	if !slices.Contains(choices, s) {
		p.add(n, path, "must be "+orList(choices), gotNode(n))
		return "", false
	}
	return s, true
}

// int decodes an integer.
func (p *parser) int(n *yaml.Node, path string) (int, bool) {
	v := deref(n)
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		p.add(n, path, "must be an integer", gotNode(n))
		return 0, false
	}
	var i int
	if v.Decode(&i) != nil {
		p.add(n, path, intRange, gotNode(n))
		return 0, false
	}
	return i, true
}

// float decodes a finite number.
func (p *parser) float(n *yaml.Node, path string) (float64, bool) {
	v := deref(n)
	var x float64
	if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!int" && v.ShortTag() != "!!float") || v.Decode(&x) != nil {
		p.add(n, path, "must be a number", gotNode(n))
		return 0, false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		p.add(n, path, "must be a finite number", gotNode(n))
		return 0, false
	}
	return x, true
}

// bool decodes true or false.
func (p *parser) bool(n *yaml.Node, path string) (bool, bool) {
	v := deref(n)
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		p.add(n, path, "must be true or false", gotNode(n))
		return false, false
	}
	return b, true
}

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// gotNode renders a value for an error message.
func gotNode(n *yaml.Node) string {
	v := deref(n)
	if v == nil {
		return ""
	}
	switch v.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		parts := make([]string, len(v.Content))
		for i, e := range v.Content {
			if e = deref(e); e.Kind != yaml.ScalarNode {
				return "a list"
			}
			parts[i] = gotNode(e)
		}
		return clip("[" + strings.Join(parts, ", ") + "]")
	case yaml.ScalarNode:
		switch {
		case v.ShortTag() == "!!null":
			return "null"
		case v.Value == "" || v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 ||
			strings.ContainsFunc(v.Value, func(r rune) bool { return r < ' ' }):
			// Quoted, so that "20" is not mistaken for 20.
			return clip(strconv.Quote(v.Value))
		}
		return clip(v.Value)
	}
	return ""
}

// clip shortens long values in messages.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// locate finds the node that a relative key path names under base: mapping keys
// separated by dots, each followed by any number of list indices
// ("params.members[1].C", "weights[0][2]", "[3]"). It returns the value node, the
// key node of the last mapping key on the way (nil if the path ends in an index
// or is empty) and whether the whole path exists; when it does not, the deepest
// node on the way that exists.
func locate(base *yaml.Node, key string) (n, k *yaml.Node, exact bool) {
	n = base
	if key == "" {
		return n, nil, true
	}
	for seg := range strings.SplitSeq(key, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		if name != "" {
			v := deref(n)
			if v == nil || v.Kind != yaml.MappingNode {
				return n, nil, false
			}
			found := false
			for i := 0; i+1 < len(v.Content); i += 2 {
				if kv := deref(v.Content[i]); kv.Kind == yaml.ScalarNode && kv.Value == name {
					k, n, found = v.Content[i], v.Content[i+1], true
					break
				}
			}
			if !found {
				return n, nil, false
			}
		}
		for rest != "" {
			var idx string
			idx, rest, _ = strings.Cut(rest, "]")
			rest = strings.TrimPrefix(rest, "[")
			i, err := strconv.Atoi(idx)
			v := deref(n)
			if err != nil || v == nil || v.Kind != yaml.SequenceNode || i < 0 || i >= len(v.Content) {
				return n, nil, false
			}
			n, k = v.Content[i], nil
		}
	}
	return n, k, true
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// orList renders choices as "a, b or c".
func orList(choices []string) string {
	if len(choices) == 1 {
		return choices[0]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}

// unknownKey says a key is unknown and suggests the nearest known one.
func unknownKey(key string, known []string) string {
	return unknownName("key", key, known)
}

// unknownName says a name of some kind is unknown and suggests the nearest known
// one by edit distance, or lists them all when none is near.
func unknownName(kind, name string, known []string) string {
	if best := suggest.Nearest(name, known); best != "" {
		return fmt.Sprintf("unknown %s (did you mean %s?)", kind, best)
	}
	return fmt.Sprintf("unknown %s (known: %s)", kind, strings.Join(known, ", "))
}
