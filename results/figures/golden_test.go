package figures

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var (
	update  = flag.Bool("update", false, "rewrite the golden files in testdata")
	lookDir = flag.String("look", "", "also write every golden figure as PNG and PDF (fonts embedded) into this directory, to look at")
)

// goldenFigures is one figure of every kind, from realistic inputs.
func goldenFigures(t *testing.T) map[string]Figure {
	ps := benchPanels(t)
	return map[string]Figure{
		"curves":       Curves(ps[1], Options{WidthIn: 3.5}),
		"curves_wide":  Curves(ps[1], Options{}),
		"styles":       Curves(allStylesPanel(), Options{}),
		"curves_delta": Curves(benchDeltaCurves(t), Options{WidthIn: 3.5}),
		"grid":         Grid(ps, Options{}),
		"grid_narrow":  Grid(ps, Options{WidthIn: 3.5}),
		"delta":        Delta(benchDelta(t), Options{}),
		"matrix":       Matrix(benchMatrix(t), Options{WidthIn: 3.5}),
		"cd":           CD(benchCD(t, true), Options{WidthIn: 3.5}),
		"cd_wilcoxon":  CD(benchCD(t, false), Options{WidthIn: 3.5}),
	}
}

// TestGolden renders every figure kind in every format and compares SVG and
// PDF (fonts not embedded, to keep testdata small; TestDeterministic covers
// embedding) with testdata/NAME.{svg,pdf} and PNG with the SHA-256 in
// testdata/png.sha256 (only when the compiler does not fuse multiply-adds:
// rasterising rounds differently with FMA). -update rewrites them.
func TestGolden(t *testing.T) {
	figs := goldenFigures(t)
	hashFile, pdfHashFile := filepath.Join("testdata", "png.sha256"), filepath.Join("testdata", "pdf.sha256")
	want, wantPDF := readHashes(hashFile), readHashes(pdfHashFile)
	got, gotPDF := map[string]string{}, map[string]string{}
	for name, f := range figs {
		for _, format := range Formats {
			b, err := render(f, format, false)
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
			if format == "pdf" {
				// The PDF as Render writes it, fonts embedded: by hash.
				e, err := Render(f, format)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(e)
				gotPDF[file] = hex.EncodeToString(sum[:])
				if *lookDir != "" {
					if err := os.WriteFile(filepath.Join(*lookDir, file), e, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if !*update && wantPDF[file] != gotPDF[file] {
					t.Errorf("%s with fonts: sha256 %s, want %s", file, gotPDF[file], wantPDF[file])
				}
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
	if *update {
		if !compilerFuses {
			writeHashes(t, hashFile, got)
		}
		writeHashes(t, pdfHashFile, gotPDF)
	}
}

// readHashes reads a sha256sum-style file; none gives an empty map.
func readHashes(path string) map[string]string {
	m := map[string]string{}
	b, err := os.ReadFile(path)
	if err != nil {
		return m
	}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if f := strings.Fields(l); len(f) == 2 {
			m[f[1]] = f[0]
		}
	}
	return m
}

// writeHashes writes m in sha256sum's format, sorted by file.
func writeHashes(t *testing.T, path string, m map[string]string) {
	var sb strings.Builder
	for _, k := range sortedKeys(m) {
		sb.WriteString(m[k] + "  " + k + "\n")
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// TestDeterministic renders each kind twice in each format, as Render does
// (PDF fonts embedded), and wants equal bytes, and a PDF dated at the epoch.
func TestDeterministic(t *testing.T) {
	for name, f := range goldenFigures(t) {
		for _, format := range Formats {
			a, err := Render(f, format)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Render(f, format)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s.%s: two renders differ", name, format)
			}
			if format == "pdf" {
				for _, want := range []string{"/CreationDate (D:19700101000000)", "/ModDate (D:19700101000000)", "/FontFile2"} {
					if !bytes.Contains(a, []byte(want)) {
						t.Errorf("%s.pdf: no %q", name, want)
					}
				}
			}
		}
	}
}
