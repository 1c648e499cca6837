package figures

import (
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgpdf"
)

// pdfCanvas is vgpdf's canvas with text it can show. vgpdf embeds fonts
// with the Windows-1252 code page but passes strings on as UTF-8, so "–"
// would print as "â€“"; and Δ, α or − have no code in Windows-1252 at all.
// FillString here sends runs of Windows-1252 characters as their bytes and
// fills every other character as its outline from the font, so the PDF shows
// what the PNG and SVG show.
type pdfCanvas struct{ *vgpdf.Canvas }

// win1252High is Windows-1252's bytes 0x80–0x9F (0 where undefined); bytes
// 0xA0–0xFF are U+00A0–U+00FF, as in Latin-1.
var win1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// win1252 is r's Windows-1252 byte, if it has one.
func win1252(r rune) (byte, bool) {
	switch {
	case r < 0x80 || r >= 0xA0 && r <= 0xFF:
		return byte(r), true
	}
	for i, h := range win1252High {
		if h == r && h != 0 {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}

// FillString implements vg.Canvas.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	var run []byte
	start, x := pt.X, pt.X
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if b, ok := win1252(r); ok && r != utf8.RuneError {
			run = append(run, b)
			x += f.Width(s[i : i+n])
			i += n
			continue
		}
		if len(run) > 0 {
			c.Canvas.FillString(f, vg.Point{X: start, Y: pt.Y}, string(run))
			run = run[:0]
		}
		x += c.fillGlyph(f, vg.Point{X: x, Y: pt.Y}, r)
		start = x
		i += n
	}
	if len(run) > 0 {
		c.Canvas.FillString(f, vg.Point{X: start, Y: pt.Y}, string(run))
	}
}

// fillGlyph fills r's outline with its origin at pt and returns its advance.
func (c pdfCanvas) fillGlyph(f font.Face, pt vg.Point, r rune) vg.Length {
	var buf sfnt.Buffer
	sf := f.Face
	idx, err := sf.GlyphIndex(&buf, r)
	if err != nil || idx == 0 {
		return f.Width(string(r))
	}
	ppem := fixed.Int26_6(sf.UnitsPerEm()) << 6
	segs, err := sf.LoadGlyph(&buf, idx, ppem, nil)
	if err != nil {
		return f.Width(string(r))
	}
	k := float64(f.Font.Size) / float64(sf.UnitsPerEm()) / 64 // 26.6 font units to vg.Length
	at := func(p fixed.Point26_6) vg.Point {
		// sfnt's y grows downwards.
		return vg.Point{X: pt.X + vg.Length(float64(float64(p.X)*k)), Y: pt.Y - vg.Length(float64(float64(p.Y)*k))}
	}
	var path vg.Path
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if len(path) > 0 {
				path.Close()
			}
			path.Move(at(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			path.Line(at(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			path.QuadTo(at(s.Args[0]), at(s.Args[1]))
		case sfnt.SegmentOpCubeTo:
			path.CubeTo(at(s.Args[0]), at(s.Args[1]), at(s.Args[2]))
		}
	}
	if len(path) > 0 {
		path.Close()
		c.Canvas.Fill(path)
	}
	return f.Width(string(r))
}
