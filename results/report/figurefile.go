package report

import "strings"

// FigureFile is the file name, without extension, of a per-dataset figure
// that the report links to under figures/: kind_dataset with characters
// unsafe in a file name replaced by '_'.
func FigureFile(kind, dataset string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, dataset)
	return kind + "_" + safe
}
