// Package fusecheck finds floating-point multiply-adds that the Go compiler may
// fuse into one FMA instruction, which rounds once where the source rounds
// twice and so makes the result depend on the build (arm64 always fuses,
// amd64 with GOAMD64=v3 does too, GOAMD64=v1 never).
//
// The Go specification allows an implementation to fuse x*y + z, also across
// statements (t := x*y; r := t + z), and forbids it only when the product is
// explicitly rounded by a conversion: float64(x*y) + z
// (https://go.dev/ref/spec#Floating_point_operators). Check reports
//
//   - a float product that is an operand of a float + or − (x*y + z, z − x*y,
//     z += x*y, −(x*y) + z, parentheses looked through), and
//   - a local variable assigned an unconverted float product (t := x*y) that
//     is then an operand of a float + or − (t + z, z += t),
//
// unless the line carries the comment //fmath:fused-ok (for a sum whose bits
// do not matter, or where fusion is harmless, such as exact products). It does
// not follow products through memory, function results or inlined calls; the
// cross-build golden test (cmd/albench/crossbuild_test.go) covers what it
// cannot see.
package fusecheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// AllowComment marks a line whose products may be fused.
const AllowComment = "//fmath:fused-ok"

// Finding is one possibly fused multiply-add.
type Finding struct {
	Pos     token.Position
	Message string
}

func (f Finding) String() string { return fmt.Sprintf("%s: %s", f.Pos, f.Message) }

// listed is the part of `go list -json` that Check reads.
type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Export     string
	Standard   bool
	DepOnly    bool
	Error      *struct{ Err string }
	ImportMap  map[string]string
}

// Check type-checks the packages matching patterns (as for go list, run in
// dir) and returns the findings in their non-test Go files, sorted by
// position, and the import paths of the packages it could not check (they do
// not compile) with the reason.
func Check(dir string, patterns ...string) ([]Finding, map[string]string, error) {
	args := append([]string{"list", "-e", "-export", "-deps", "-json=ImportPath,Dir,GoFiles,Export,Standard,DepOnly,Error,ImportMap"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, nil, fmt.Errorf("fusecheck: go list: %v: %s", err, errb.String())
	}
	exports := map[string]string{}
	var targets []listed
	dec := json.NewDecoder(&out)
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, fmt.Errorf("fusecheck: go list output: %v", err)
		}
		if p.Export != "" {
			exports[p.ImportPath] = p.Export
		}
		if !p.DepOnly && !p.Standard {
			targets = append(targets, p)
		}
	}
	var findings []Finding
	skipped := map[string]string{}
	for _, p := range targets {
		if p.Error != nil {
			skipped[p.ImportPath] = strings.TrimSpace(p.Error.Err)
			continue
		}
		f, err := checkPackage(p, exports)
		if err != nil {
			skipped[p.ImportPath] = err.Error()
			continue
		}
		findings = append(findings, f...)
	}
	sort.Slice(findings, func(i, j int) bool {
		a, b := findings[i].Pos, findings[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
	return findings, skipped, nil
}

// checkPackage parses and type-checks one package from its export-data
// dependencies and walks its files.
func checkPackage(p listed, exports map[string]string) ([]Finding, error) {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if m, ok := p.ImportMap[path]; ok {
			path = m
		}
		e, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(e)
	})
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	conf := types.Config{Importer: imp}
	if _, err := conf.Check(p.ImportPath, fset, files, info); err != nil {
		return nil, err
	}
	var out []Finding
	for _, f := range files {
		out = append(out, checkFile(fset, f, info)...)
	}
	return out, nil
}

// checkFile returns the findings of one type-checked file.
func checkFile(fset *token.FileSet, f *ast.File, info *types.Info) []Finding {
	allowed := map[int]bool{}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, AllowComment) {
				allowed[fset.Position(c.Slash).Line] = true
			}
		}
	}
	isFloat := func(e ast.Expr) bool {
		tv, ok := info.Types[e]
		if !ok || tv.Value != nil { // constants are folded, never fused
			return false
		}
		b, ok := tv.Type.Underlying().(*types.Basic)
		return ok && b.Info()&(types.IsFloat|types.IsComplex) != 0
	}
	// product reports whether e, through parentheses and unary minus, is an
	// unconverted float multiplication.
	var product func(e ast.Expr) bool
	product = func(e ast.Expr) bool {
		switch e := e.(type) {
		case *ast.ParenExpr:
			return product(e.X)
		case *ast.UnaryExpr:
			return e.Op == token.SUB && product(e.X)
		case *ast.BinaryExpr:
			return e.Op == token.MUL && isFloat(e)
		}
		return false
	}
	// Local variables assigned an unconverted product.
	prodVars := map[types.Object]token.Pos{}
	record := func(lhs []ast.Expr, rhs []ast.Expr) {
		if len(lhs) != len(rhs) {
			return
		}
		for i, l := range lhs {
			id, ok := l.(*ast.Ident)
			if !ok || !product(rhs[i]) {
				continue
			}
			obj := info.Defs[id]
			if obj == nil {
				obj = info.Uses[id]
			}
			if v, ok := obj.(*types.Var); ok && !v.IsField() && v.Parent() != nil && v.Parent() != v.Pkg().Scope() {
				prodVars[obj] = rhs[i].Pos()
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE || n.Tok == token.ASSIGN {
				record(n.Lhs, n.Rhs)
			}
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			record(lhs, n.Values)
		}
		return true
	})
	viaVar := func(e ast.Expr) (token.Pos, bool) {
		for {
			switch x := e.(type) {
			case *ast.ParenExpr:
				e = x.X
				continue
			case *ast.UnaryExpr:
				if x.Op == token.SUB {
					e = x.X
					continue
				}
			case *ast.Ident:
				p, ok := prodVars[info.Uses[x]]
				return p, ok
			}
			return token.NoPos, false
		}
	}
	var out []Finding
	report := func(at ast.Node, operand ast.Expr, op string) {
		pos := fset.Position(at.Pos())
		if allowed[pos.Line] || allowed[fset.Position(operand.Pos()).Line] {
			return
		}
		if product(operand) {
			out = append(out, Finding{pos, fmt.Sprintf("float product %s may be fused into an FMA by %s; write float64(...) around it", exprString(fset, operand), op)})
		} else if p, ok := viaVar(operand); ok {
			if allowed[fset.Position(p).Line] {
				return
			}
			out = append(out, Finding{pos, fmt.Sprintf("%s holds an unconverted float product (line %d) and may be fused into an FMA by %s; write float64(...) where it is assigned", exprString(fset, operand), fset.Position(p).Line, op)})
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.ADD || n.Op == token.SUB) && isFloat(n) {
				report(n, n.X, n.Op.String())
				report(n, n.Y, n.Op.String())
			}
		case *ast.AssignStmt:
			if (n.Tok == token.ADD_ASSIGN || n.Tok == token.SUB_ASSIGN) && len(n.Lhs) == 1 && isFloat(n.Lhs[0]) {
				report(n, n.Rhs[0], n.Tok.String())
			}
		}
		return true
	})
	return out
}

// exprString renders e as source, shortened.
func exprString(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	if err := format.Node(&b, fset, e); err != nil {
		return "?"
	}
	s := b.String()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
