package figures

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	update  = flag.Bool("update", false, "rewrite the golden files in testdata")
	lookDir = flag.String("look", "", "also write every golden figure as PNG into this directory, to look at")
)

// goldenFigures is one figure of every kind, from realistic inputs.
func goldenFigures(t *testing.T) map[string]Figure {
	ps := benchPanels(t)
	return map[string]Figure{
		"curves":      Curves(ps[1], Options{WidthIn: 3.5}),
		"curves_wide": Curves(ps[1], Options{}),
		"grid":        Grid(ps, Options{}),
		"grid_narrow": Grid(ps, Options{WidthIn: 3.5}),
		"delta":       Delta(benchDelta(t), Options{}),
		"matrix":      Matrix(benchMatrix(t), Options{WidthIn: 3.5}),
		"cd":          CD(benchCD(t, true), Options{WidthIn: 3.5}),
		"cd_wilcoxon": CD(benchCD(t, false), Options{WidthIn: 3.5}),
	}
}

// TestGolden renders every figure kind in every format and compares SVG and
// PDF with testdata/NAME.{svg,pdf} and PNG with the SHA-256 in
// testdata/png.sha256 (only when the compiler does not fuse multiply-adds:
// rasterising rounds differently with FMA). -update rewrites them.
func TestGolden(t *testing.T) {
	figs := goldenFigures(t)
	hashFile := filepath.Join("testdata", "png.sha256")
	want := map[string]string{}
	if b, err := os.ReadFile(hashFile); err == nil {
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if f := strings.Fields(l); len(f) == 2 {
				want[f[1]] = f[0]
			}
		}
	}
	got := map[string]string{}
	for name, f := range figs {
		for _, format := range Formats {
			b, err := Render(f, format)
			if err != nil {
				t.Fatal(err)
			}
			file := name + "." + format
			if format == "png" {
				sum := sha256.Sum256(b)
				got[file] = hex.EncodeToString(sum[:])
				if *lookDir != "" {
					if err := os.WriteFile(filepath.Join(*lookDir, file), b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if !*update && !compilerFuses && want[file] != got[file] {
					t.Errorf("%s: sha256 %s, want %s", file, got[file], want[file])
				}
				continue
			}
			path := filepath.Join("testdata", file)
			if *update {
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			w, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, w) {
				os.WriteFile(path+".got", b, 0o644)
				t.Errorf("%s differs from the golden file; wrote %s.got", file, path)
			}
		}
	}
	if *update && !compilerFuses {
		var sb strings.Builder
		for _, k := range sortedKeys(got) {
			sb.WriteString(got[k] + "  " + k + "\n")
		}
		if err := os.WriteFile(hashFile, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}
