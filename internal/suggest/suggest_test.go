package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"budjet", "budget", 1},
		{"flaw", "lawn", 2}, {"naïve", "naive", 1}, {"abc", "abc", 0},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", c.b, c.a, got, c.want)
		}
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"initial", "batch", "budget", "test_fraction", "n_clusters_per_class", "n_classes"}
	for _, c := range []struct{ in, want string }{
		{"budjet", "budget"},                   // one substitution
		{"Budget", "budget"},                   // case
		{"n_clusters", "n_clusters_per_class"}, // the only candidate it starts
		{"n_cl", ""},                           // starts two candidates, near neither
		{"xyz", ""},                            // nothing close
		{"bach", "batch"},                      // one deletion
		{"test_fractoin", "test_fraction"},
	} {
		if got := Nearest(c.in, keys); got != c.want {
			t.Errorf("Nearest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
