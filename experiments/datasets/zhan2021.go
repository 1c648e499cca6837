package datasets

import (
	"compress/bzip2"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
)

// zhanSet is one dataset of the pool-based active-learning survey of Zhan et al.
// (2021), as its repository ships it in LIBSVM format; Lu et al. (2023) benchmark
// on the same files. n, d, k are the shape data/zhan2021/SOURCES.md documents; a
// test checks them against the files, so Check can predict the shape without
// decompressing anything.
type zhanSet struct {
	name, about string
	n, d, k     int
}

// zhanSets lists the embedded survey sets: the survey's 34 but iris and wine, which
// albench already has from scikit-learn (the same data, labelled 1..3).
var zhanSets = []zhanSet{
	{"appendicitis", "KEEL appendicitis (medical measurements)", 106, 7, 2},
	{"australian", "Statlog Australian credit approval (UCI)", 690, 14, 2},
	{"banana", "banana-shaped 2-D classes (KEEL, Rätsch's benchmarks)", 5300, 2, 2},
	{"breast", "breast cancer Wisconsin as in LIBSVM's breast-cancer, 239 samples a class", 478, 10, 2},
	{"checkerboard", "2-D checkerboard (synthetic)", 1600, 2, 2},
	{"clean1", "UCI Musk, version 1 (clean1)", 476, 166, 2},
	{"diabetes", "Pima Indians diabetes (UCI)", 768, 8, 2},
	{"ex8a", "2-D non-linear toy set ex8a", 766, 2, 2},
	{"ex8b", "2-D non-linear toy set ex8b", 210, 2, 2},
	{"gcloudb", "2-D Gaussian clouds, balanced (synthetic)", 1000, 2, 2},
	{"gcloudub", "2-D Gaussian clouds, unbalanced (synthetic)", 1000, 2, 2},
	{"german", "Statlog German credit, numeric version (UCI)", 1000, 24, 2},
	{"haberman", "Haberman's breast-cancer surgery survival (UCI)", 306, 3, 2},
	{"heart", "Statlog heart disease (UCI)", 270, 13, 2},
	{"ionosphere", "radar returns from the ionosphere (UCI)", 351, 34, 2},
	{"mammographic", "mammographic mass severity (UCI), complete rows", 830, 5, 2},
	{"parkinsons", "Parkinson's disease from voice measurements (UCI)", 195, 22, 2},
	{"phishing", "phishing websites (UCI)", 11055, 30, 2},
	{"phoneme", "nasal vs oral phonemes (ELENA, KEEL)", 5404, 5, 2},
	{"ringnorm", "Breiman's ringnorm (synthetic)", 7400, 20, 2},
	{"sonar", "sonar returns, mines vs rocks (UCI)", 208, 60, 2},
	{"spambase", "spam e-mail (UCI)", 4601, 57, 2},
	{"splice", "DNA splice junctions (LIBSVM's splice)", 1000, 60, 2},
	{"tictactoe", "tic-tac-toe endgame (UCI), 9 squares as 18 binary features", 958, 18, 2},
	{"twonorm", "Breiman's twonorm (synthetic)", 7400, 20, 2},
	{"wdbc", "breast cancer Wisconsin diagnostic (UCI): breast_cancer standardised, malignant = 1", 569, 30, 2},
	{"d31", "31 2-D Gaussian clusters (Veenman et al. 2002)", 3100, 2, 31},
	{"glass", "glass identification (UCI)", 214, 9, 6},
	{"r15", "15 2-D Gaussian clusters (Veenman et al. 2002)", 600, 2, 15},
	{"seeds", "wheat kernels of three varieties (UCI)", 210, 7, 3},
	{"thyroid", "new-thyroid (UCI)", 215, 5, 3},
	{"vehicle", "Statlog vehicle silhouettes (UCI)", 846, 18, 4},
}

// zhanFile is the embedded, bzip2-compressed file of a survey set.
func zhanFile(name string) string { return "data/zhan2021/" + name + "-svmstyle.txt.bz2" }

// zhanLoaded caches each survey set, decompressed and parsed on first use; Build
// hands out copies.
var zhanLoaded = func() map[string]func() *Dataset {
	m := make(map[string]func() *Dataset, len(zhanSets))
	for _, s := range zhanSets {
		m[s.name] = sync.OnceValue(func() *Dataset { return loadZhan(s) })
	}
	return m
}()

// zhanRaw returns the decompressed bytes of a survey set's file.
func zhanRaw(name string) ([]byte, error) {
	f, err := dataFS.Open(zhanFile(name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(bzip2.NewReader(f))
}

// loadZhan parses a survey set. The files are fixed and tested, so a problem here
// is a broken build, not bad input. The feature count is the largest index of the
// file; for every set it is the documented one (checked here and by the tests).
func loadZhan(s zhanSet) *Dataset {
	data, err := zhanRaw(s.name)
	if err != nil {
		panic("datasets: embedded " + zhanFile(s.name) + ": " + err.Error())
	}
	d, probs := parseLIBSVM(data, s.name+"-svmstyle.txt", LIBSVMOptions{})
	if len(probs) > 0 {
		panic(fmt.Sprintf("datasets: embedded %s: %v", zhanFile(s.name), Problems(probs)))
	}
	if d.N != s.n || d.D != s.d || d.Classes != s.k {
		panic(fmt.Sprintf("datasets: embedded %s is %d×%d with %d classes, want %d×%d with %d",
			zhanFile(s.name), d.N, d.D, d.Classes, s.n, s.d, s.k))
	}
	return d
}

func zhanSource(s zhanSet) source {
	return source{
		Source: Source{
			Name: s.name,
			Doc: fmt.Sprintf("Survey set (Zhan et al. 2021), %s: %d × %d × %d (rows × features × classes). "+
				"Embedded; takes no parameters; see data/zhan2021/SOURCES.md for origin and citation.", s.about, s.n, s.d, s.k),
		},
		parse: func(*params, string) (Shape, func(*rand.Rand) *Dataset) {
			return Shape{s.n, s.d, s.k}, func(*rand.Rand) *Dataset { return clone(zhanLoaded[s.name]()) }
		},
	}
}

// zhanSources returns the registry entries of the survey sets, in zhanSets order.
func zhanSources() []source {
	out := make([]source, len(zhanSets))
	for i, s := range zhanSets {
		out[i] = zhanSource(s)
	}
	return out
}
