package experiments

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"albench/experiments/datasets"
	"albench/learners"
	"albench/streams"
)

// This file holds the checks that involve several keys, or a key and the shape
// of the data: budget against pool, test set against classes, the grid's size
// and the memory a trial would need. Every sum and product is computed so that it
// cannot overflow (comparisons are rearranged, products saturate).

// MaxTrialBytes bounds the memory estimate of one trial: its data (the dataset
// and its pool and test copies) plus the task model's or a query model's
// learners.MemoryEstimate on the pool. A config over it is refused when parsed,
// rather than exhausting the machine's memory part way through a run.
const MaxTrialBytes = 16 << 30

// checkGrid bounds the number of trials, datasets × strategies × seeds.
func (p *parser) checkGrid(c *Config, top map[string]field, root *yaml.Node) {
	n := mulSat(mulSat(uint64(len(c.Datasets)), uint64(len(c.Strategies))), uint64(len(c.Seeds)))
	if n <= maxTrials {
		return
	}
	at := root
	if f, ok := top["seeds"]; ok {
		at = f.v
	}
	p.add(at, "seeds", fmt.Sprintf("%d datasets × %d strategies × %d seeds make more than %d trials",
		len(c.Datasets), len(c.Strategies), len(c.Seeds), maxTrials), "")
}

// checkDataset asks the datasets package about dataset i and checks its protocol
// and the models against its shape.
func (p *parser) checkDataset(c *Config, i int, src datasetSrc, top protoSrc, topNode *yaml.Node, dir string, model modelSrc, strats []strategySrc) {
	path := fmt.Sprintf("datasets[%d]", i)
	ds := c.Datasets[i]
	name := ds.Name // for messages
	if name == "" {
		name = path
	}

	// Where each protocol key of this dataset comes from, and whether it is valid.
	at := func(k string) (loc, bool) {
		if l, ok := src.proto.at[k]; ok {
			return l, true
		}
		if l, ok := top.at[k]; ok {
			return l, true
		}
		return loc{topNode, "protocol." + k}, false
	}
	valid := func(k string) bool {
		o := top.o
		if _, ok := src.proto.at[k]; ok {
			o = src.proto.o
		} else if _, ok := top.at[k]; !ok {
			return k != "budget" // defaults are valid; budget has none
		}
		switch k {
		case "test_fraction":
			return o.TestFraction != nil
		case "split":
			return o.Split != nil
		case "initial":
			return o.Initial != nil
		case "batch":
			return o.Batch != nil
		case "budget":
			return o.Budget != nil
		case "initial_sampling":
			return o.InitialSampling != nil
		}
		return true
	}
	if _, ok := at("budget"); !ok {
		p.add(topNode, "protocol.budget", "required key is missing", "")
	}
	pr := c.ProtocolFor(i)
	if valid("batch") && valid("budget") && !pr.BudgetAll && pr.Budget%pr.Batch != 0 {
		l, _ := at("batch")
		p.add(l.n, l.path, fmt.Sprintf("must divide budget %d", pr.Budget), gotNode(l.n))
	}

	if !src.ok {
		return
	}
	if !slices.Contains(sourceNames(), ds.Source) {
		p.add(src.source, path+".source", unknownName("source", ds.Source, sourceNames()), gotNode(src.source))
		return
	}
	shape, probs := datasets.Check(ds.Source, ds.Params, dir)
	for _, q := range fromDatasets(probs) {
		if q.Key == "" && q.File == "" {
			p.add(src.source, path+".source", q.Msg, q.Got)
			continue
		}
		base := src.params
		if base == nil {
			base = src.entry
		}
		p.place(base, path+".params", q, false)
	}
	if len(probs) > 0 || shape.N < 1 || shape.D < 1 || shape.Classes < 1 {
		return
	}

	nTest := testCount(shape.N, pr.TestFraction)
	pool := shape.N - nTest
	sizesOK := valid("test_fraction") && valid("split")
	if sizesOK {
		l, _ := at("test_fraction")
		switch {
		case nTest < 1:
			p.add(l.n, l.path, fmt.Sprintf("leaves the test set of the %d-row dataset %s empty", shape.N, name), gotNode(l.n))
			sizesOK = false
		case pr.Split == "stratified" && nTest < shape.Classes:
			p.add(l.n, l.path, fmt.Sprintf("gives %d test rows to the %d classes of dataset %s; the stratified split needs one of each",
				nTest, shape.Classes, name), gotNode(l.n))
			sizesOK = false
		case pool < 1:
			p.add(l.n, l.path, fmt.Sprintf("leaves no pool: all %d rows of dataset %s go to the test set", shape.N, name), gotNode(l.n))
			sizesOK = false
		}
	}
	if sizesOK && pr.Split == "stratified" {
		sizesOK = p.checkTestClasses(c, i, ds, shape, nTest, dir, at)
	}
	if sizesOK && valid("initial") && valid("budget") {
		switch {
		case !pr.BudgetAll && (pr.Initial > pool || pr.Budget > pool-pr.Initial):
			l, _ := at("budget")
			p.add(l.n, l.path, fmt.Sprintf("initial %d + budget %d exceeds the %d-row pool of dataset %s",
				pr.Initial, pr.Budget, pool, name), gotNode(l.n))
		case pr.BudgetAll && pr.Initial >= pool:
			l, written := at("initial")
			if !written {
				l, _ = at("budget")
			}
			p.add(l.n, l.path, fmt.Sprintf("initial %d leaves nothing to query in the %d-row pool of dataset %s (budget all)",
				pr.Initial, pool, name), gotNode(l.n))
		}
	}
	if valid("initial") && valid("initial_sampling") && pr.Initial < shape.Classes &&
		(pr.InitialSampling == "per_class" || pr.InitialSampling == "uniform_all_classes") {
		l, _ := at("initial")
		p.add(l.n, l.path, fmt.Sprintf("%s sampling needs at least one point of each of the %d classes of dataset %s",
			pr.InitialSampling, shape.Classes, name), gotNode(l.n))
	}
	if sizesOK {
		p.checkMemory(i, name, src, shape, pool, model, strats)
	}
}

// maxParseBuild bounds the size (rows × features) of the data checkTestClasses
// builds while parsing.
const maxParseBuild = 1 << 22

// checkTestClasses builds the data of dataset i (when it is small enough: the
// class sizes are not part of its predicted shape) and reports a stratified
// split that would leave a class without a test row. Data files and embedded sets
// are the same for every seed; a generator's data is that of the first seed (the
// class sizes of a generator rarely depend on the seed; Prepare checks every
// seed again). It reports whether the sizes are fine.
func (p *parser) checkTestClasses(c *Config, i int, ds DatasetSpec, shape datasets.Shape, nTest int, dir string, at func(string) (loc, bool)) bool {
	if mulSat(uint64(shape.N), uint64(shape.D)) > maxParseBuild || len(c.Seeds) == 0 {
		return true
	}
	data, err := datasets.Build(ds.Source, ds.Params, dir, streams.New("data", ds.Name, streams.Seed(c.Seeds[0])))
	if err != nil || checkData(data) != nil {
		return true // reported by Check, or by Prepare
	}
	rows := byClass(data.Y, data.Classes)
	for k, n := range testQuota(rows, nTest) {
		if n == 0 && len(rows[k]) > 0 {
			l, _ := at("test_fraction")
			name := strconv.Itoa(k)
			if k < len(data.ClassNames) {
				name = strconv.Quote(data.ClassNames[k])
			}
			p.add(l.n, l.path, fmt.Sprintf("gives class %s (%d of %d rows) no row of the %d-row test set of dataset %s; the stratified split needs one of each class",
				name, len(rows[k]), data.N, nTest, ds.Name), gotNode(l.n))
			return false
		}
	}
	return true
}

// checkMemory refuses a dataset whose trials would need more than MaxTrialBytes
// with the task model or a query model.
func (p *parser) checkMemory(i int, name string, src datasetSrc, shape datasets.Shape, pool int, model modelSrc, strats []strategySrc) {
	// X as built, and its pool and test copies (Prepare), plus labels and rows.
	data := mulSat(mulSat(16, uint64(shape.N)), uint64(shape.D)+2)
	models := []modelSrc{model}
	for _, s := range strats {
		if s.query != nil {
			models = append(models, *s.query)
		}
	}
	worst := uint64(0)
	for _, m := range models {
		if !m.ok {
			continue
		}
		est := learners.MemoryEstimate(m.spec.Params, pool, shape.D, shape.Classes)
		if est > MaxTrialBytes {
			n, key := m.n, m.path
			if k, _, ok := locate(m.n, "kind"); ok && m.n != nil {
				n, key = k, m.path+".kind"
			}
			what := article(m.spec.Kind) + " " + m.spec.Kind + " model"
			if m.spec.Kind == "mlp" || (m.spec.Kind == "logreg" && m.spec.Params["solver"] == nil) {
				hidden, _ := m.spec.Params["hidden"].([]int)
				what = "a " + shapeString(shape.D, hidden, shape.Classes) + " " + m.spec.Kind
				if j := widest(hidden); j >= 0 {
					n, _, _ = locate(m.n, "hidden["+strconv.Itoa(j)+"]")
					key += ".hidden[" + strconv.Itoa(j) + "]"
				}
			}
			p.add(n, key, fmt.Sprintf("%s needs ~%s to train on the %d-row pool of dataset %s (limit %s per trial)",
				what, bytesString(est), pool, name, bytesString(MaxTrialBytes)), "")
			continue
		}
		worst = max(worst, est)
	}
	if total := addSat(data, worst); total > MaxTrialBytes {
		n, key := src.source, fmt.Sprintf("datasets[%d].source", i)
		if l, _, ok := locate(src.params, "n_samples"); ok && src.params != nil {
			n, key = l, fmt.Sprintf("datasets[%d].params.n_samples", i)
		}
		p.add(n, key, fmt.Sprintf("dataset %s (%d rows × %d features) and its model need ~%s per trial (limit %s)",
			name, shape.N, shape.D, bytesString(total), bytesString(MaxTrialBytes)), "")
	}
}

// article is "an" before a kind that starts with a vowel sound, else "a".
func article(kind string) string {
	if kind != "" && (strings.ContainsRune("aeio", rune(kind[0])) || kind == "svm" || kind == "lda") {
		return "an"
	}
	return "a"
}

// shapeString renders a net's layer widths as "20-32-16-2".
func shapeString(in int, hidden []int, out int) string {
	parts := []string{strconv.Itoa(in)}
	for _, w := range hidden {
		parts = append(parts, strconv.Itoa(w))
	}
	return strings.Join(append(parts, strconv.Itoa(out)), "-")
}

// widest is the index of the first widest layer, or -1 for none.
func widest(ws []int) int {
	j := -1
	for i, w := range ws {
		if j < 0 || w > ws[j] {
			j = i
		}
	}
	return j
}

// bytesString renders a byte count with a binary unit, such as "16 GiB" or
// "8.0 TiB"; the saturated count reads "more than 16 EiB".
func bytesString(b uint64) string {
	if b == math.MaxUint64 {
		return "more than 16 EiB"
	}
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	x, u := float64(b), 0
	for x >= 1024 && u < len(units)-1 {
		x /= 1024
		u++
	}
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f %s", x, units[u])
	}
	return fmt.Sprintf("%.1f %s", x, units[u])
}

// mulSat and addSat saturate at math.MaxUint64.
func mulSat(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return math.MaxUint64
	}
	return lo
}

func addSat(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return math.MaxUint64
	}
	return s
}

// sourceNames lists the dataset sources.
func sourceNames() []string {
	var names []string
	for _, s := range datasets.Sources() {
		names = append(names, s.Name)
	}
	return names
}
