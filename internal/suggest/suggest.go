// Package suggest finds the known name a mistyped one most likely meant, for the
// "did you mean" of albench's error messages.
package suggest

import "strings"

// Nearest returns the candidate that name most plausibly misspells, or "" when
// none is close. A name of three or more characters that starts exactly one
// candidate means that candidate (n_clusters → n_clusters_per_class); otherwise
// the candidate nearest in Levenshtein distance, compared case-insensitively,
// counts when it is at most max(2, len(name)/3) edits away. Ties go to the
// earlier candidate.
func Nearest(name string, candidates []string) string {
	lower := strings.ToLower(name)
	if len(lower) >= 3 {
		var only string
		n := 0
		for _, c := range candidates {
			if strings.HasPrefix(c, lower) {
				only = c
				n++
			}
		}
		if n == 1 {
			return only
		}
	}
	best, bestD := "", max(2, len([]rune(name))/3)+1
	for _, c := range candidates {
		if d := Distance(lower, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b, counted in runes: the
// fewest insertions, deletions and substitutions that turn a into b.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
