package figures

import (
	"fmt"
	"strings"
)

// FileName is the file name, without extension, of a figure of kind about
// dataset: kind, then "_" and the escaped dataset unless dataset is empty.
//
// The escape keeps the bytes A–Z, a–z, 0–9, '.', '_' and '-' and writes every
// other byte of the UTF-8 name as %XX (upper-case hex), '%' included, so it is
// injective: "a+b" gives "a%2Bb" and "a_b" stays "a_b". A kind is lower-case
// letters, digits and '-' (no '_'), so the first '_' ends it and distinct
// (kind, dataset) pairs never share a name. FileName panics on any other kind.
//
// Names differing only in case stay distinct strings but share a file on a
// case-insensitive file system.
func FileName(kind, dataset string) string {
	if kind == "" || strings.ContainsFunc(kind, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
	}) {
		panic(fmt.Sprintf("figures: figure kind %q is not [a-z0-9-]+", kind))
	}
	if dataset == "" {
		return kind
	}
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte('_')
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(dataset); i++ {
		c := dataset[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xF])
	}
	return b.String()
}
