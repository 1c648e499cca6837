package strategies

import (
	"albench/learners"
	"slices"
	"strings"
	"testing"
)

func TestRegistryOrderAndDocs(t *testing.T) {
	// The design's table, then the survey, low-budget, kernel and oracle groups.
	want := []string{"random", "least_confidence", "margin", "entropy", "qbc", "egl", "bald", "coreset", "badge", "density",
		"graph_density", "hierarchical", "info_diversity", "mcm", "cluster_margin",
		"eer", "dwus", "typiclust", "probcover", "albl",
		"quire", "hintsvm", "batchbald",
		"oracle_greedy", "oracle_bso", "external"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want the registry's order %v", got, want)
	}
	for _, info := range Registry() {
		if want := strings.HasPrefix(info.Name, "oracle_"); info.Oracle != want || IsOracle(info.Name) != want {
			t.Errorf("%s: Oracle %v, IsOracle %v; want %v", info.Name, info.Oracle, IsOracle(info.Name), want)
		}
	}
	for _, info := range Registry() {
		if info.Summary == "" || info.Formula == "" || info.Paper == "" {
			t.Errorf("%s: summary, formula and paper must all be set: %+v", info.Name, info)
		}
		for _, p := range info.Params {
			switch p.Default.(type) {
			case int, float64, string, nil: // nil: no default value (qbc's members)
			default:
				t.Errorf("%s.%s: default %v (%T) is not int, float64 or string", info.Name, p.Name, p.Default, p.Default)
			}
			if p.Doc == "" {
				t.Errorf("%s.%s has no doc", info.Name, p.Name)
			}
			// Every default passes its own check.
			if p.Default == nil {
				continue
			}
			if probs := Check(info.Name, map[string]any{p.Name: p.Default}, allCaps); len(probs) > 0 {
				t.Errorf("%s.%s: default rejected: %v", info.Name, p.Name, probs)
			}
		}
	}
	// Registry returns a copy: changing it changes nothing.
	r := Registry()
	r[4].Params[0].Default = 99
	r[6].Needs[0] = "nonsense"
	if Registry()[4].Params[0].Default != 5 || Registry()[6].Needs[0] != CapProbs {
		t.Error("Registry() exposes its internal tables")
	}
}

var probsOnlyCaps = learners.Capabilities{Probs: true}

var allCaps = learners.Capabilities{Probs: true, Decision: true, Embed: true, GradEmbed: true, GradNorms: true, MCDropout: true}

func TestCheckProblems(t *testing.T) {
	for _, c := range []struct {
		name   string
		params map[string]any
		caps   learners.Capabilities
		want   []string // Problem.String() of each problem, in order
	}{
		{"margin", nil, probsOnlyCaps, nil},
		{"qbc", map[string]any{"committee": 3, "measure": "kl"}, probsOnlyCaps, nil},
		{"qbc", map[string]any{"committee": 4.0}, probsOnlyCaps, nil}, // an integral float is an integer
		{"density", map[string]any{"beta": 2}, probsOnlyCaps, nil},    // an int is a number
		{"bald", nil, allCaps, nil},

		{"margn", nil, allCaps, []string{`name: unknown strategy (did you mean margin?) (got margn)`}},
		{"Entropy", nil, allCaps, []string{`name: unknown strategy (did you mean entropy?) (got Entropy)`}},
		{"uncertainty_sampling_v2", nil, allCaps, []string{
			"name: unknown strategy (known: random, least_confidence, margin, entropy, qbc, egl, bald, coreset, badge, density, " +
				"graph_density, hierarchical, info_diversity, mcm, cluster_margin, eer, dwus, typiclust, probcover, albl, " +
				"quire, hintsvm, batchbald, oracle_greedy, oracle_bso, external) (got uncertainty_sampling_v2)"}},

		{"qbc", map[string]any{"comittee": 5}, allCaps, []string{`params.comittee: unknown parameter of qbc (did you mean committee?) (got 5)`}},
		{"qbc", map[string]any{"size": 5}, allCaps, []string{"params.size: unknown parameter of qbc (known: committee, measure, members, bootstrap) (got 5)"}},
		{"entropy", map[string]any{"beta": 1}, allCaps, []string{"params.beta: entropy takes no parameters (got 1)"}},

		{"qbc", map[string]any{"committee": "five"}, allCaps, []string{"params.committee: must be an integer (got five)"}},
		{"qbc", map[string]any{"committee": 2.5}, allCaps, []string{"params.committee: must be an integer (got 2.5)"}},
		{"qbc", map[string]any{"committee": nil}, allCaps, []string{"params.committee: must be an integer (got nothing)"}},
		{"qbc", map[string]any{"measure": 3}, allCaps, []string{"params.measure: must be a string (got 3)"}},
		{"density", map[string]any{"beta": "high"}, allCaps, []string{"params.beta: must be a number (got high)"}},

		{"qbc", map[string]any{"committee": 1}, allCaps, []string{"params.committee: a committee needs at least 2 members (got 1)"}},
		{"qbc", map[string]any{"measure": "jsd"}, allCaps, []string{"params.measure: must be one of vote_entropy, kl (got jsd)"}},
		{"bald", map[string]any{"samples": 0}, allCaps, []string{"params.samples: must be at least 1 (got 0)"}},
		{"density", map[string]any{"beta": -0.5}, allCaps, []string{"params.beta: must be finite and at least 0 (got -0.5)"}},
		{"density", map[string]any{"base": "bald"}, allCaps, []string{"params.base: must be one of entropy, least_confidence, margin (got bald)"}},

		{"bald", nil, probsOnlyCaps, []string{"name: bald needs model.dropout > 0 (got bald)"}},
		{"coreset", nil, probsOnlyCaps, nil}, // on the input features without embeddings
		{"badge", nil, probsOnlyCaps, []string{"name: badge needs last-layer gradient embeddings, which the configured model lacks (got badge)"}},
		{"egl", nil, probsOnlyCaps, []string{"name: egl needs per-sample gradient norms, which the configured model lacks (got egl)"}},

		// Everything at once, in a stable order: params by key, then capabilities.
		{"bald", map[string]any{"samples": -1, "sample": 3, "dropout": 0.1}, probsOnlyCaps, []string{
			"params.dropout: unknown parameter of bald (known: samples) (got 0.1)",
			`params.sample: unknown parameter of bald (did you mean samples?) (got 3)`,
			"params.samples: must be at least 1 (got -1)",
			"name: bald needs model.dropout > 0 (got bald)",
		}},
	} {
		probs := Check(c.name, c.params, c.caps)
		got := make([]string, len(probs))
		for i, p := range probs {
			got[i] = p.String()
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Check(%q, %v):\n got %q\nwant %q", c.name, c.params, got, c.want)
		}
	}
}

func TestCheckProblemFields(t *testing.T) {
	probs := Check("qbc", map[string]any{"committee": 1}, allCaps)
	want := Problem{Key: "params.committee", Msg: "a committee needs at least 2 members", Got: "1"}
	if len(probs) != 1 || probs[0] != want {
		t.Errorf("Check = %#v, want [%#v]", probs, want)
	}
}

func TestNewFillsDefaults(t *testing.T) {
	q := mustNew("qbc", nil).(*qbc)
	if q.committee != 5 || q.measure != VoteEntropy {
		t.Errorf("qbc defaults: committee %d measure %q, want 5 vote_entropy", q.committee, q.measure)
	}
	q = mustNew("qbc", map[string]any{"measure": "kl"}).(*qbc)
	if q.committee != 5 || q.measure != KL {
		t.Errorf("qbc with measure kl: committee %d measure %q", q.committee, q.measure)
	}
	q = mustNew("qbc", map[string]any{"committee": 7.0}).(*qbc)
	if q.committee != 7 {
		t.Errorf("qbc committee 7.0 gave %d", q.committee)
	}
	if b := mustNew("bald", nil).(*bald); b.samples != 20 {
		t.Errorf("bald default samples %d, want 20", b.samples)
	}
	d := mustNew("density", nil).(*density)
	if d.beta != 1 || d.measure([]float64{0.5, 0.5}) != entropy([]float64{0.5, 0.5}) {
		t.Errorf("density defaults: beta %v, base not entropy", d.beta)
	}
	d = mustNew("density", map[string]any{"base": "margin", "beta": 3}).(*density)
	if d.beta != 3 || d.measure([]float64{0.7, 0.3}) != smallMargin([]float64{0.7, 0.3}) {
		t.Errorf("density base margin beta 3: got beta %v", d.beta)
	}
	for _, name := range Names() {
		if s := mustNew(name, nil); s.Name() != name {
			t.Errorf("New(%q).Name() = %q", name, s.Name())
		}
	}
	// Two values are independent: one per trial.
	if mustNew("entropy", nil) == mustNew("entropy", nil) {
		t.Error("New returned a shared value")
	}
}

func TestNewRejects(t *testing.T) {
	for _, c := range []struct {
		name   string
		params map[string]any
		want   string
	}{
		{"nope", nil, "strategies: nope: name: unknown strategy"},
		{"qbc", map[string]any{"committee": 1, "measure": "x"}, "strategies: qbc: params.measure: must be one of"},
	} {
		_, err := New(c.name, c.params)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%q, %v) error %v, want one containing %q", c.name, c.params, err, c.want)
		}
	}
	// Missing capabilities are for Check; New builds the strategy regardless.
	if _, err := New("bald", nil); err != nil {
		t.Errorf("New(bald) = %v", err)
	}
}
