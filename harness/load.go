package harness

import (
	"os"

	"albench/experiments"
	"albench/strategies"
)

// Capabilities tells what a configured model offers the strategies: every model
// gives probabilities, embeddings (softmax regression embeds a point as itself),
// last-layer gradient embeddings and per-sample gradient norms; MC-dropout samples
// need an MLP with dropout above zero.
func Capabilities(m experiments.ModelSpec) strategies.Capabilities {
	return strategies.Capabilities{
		Embed:     true,
		GradEmbed: true,
		GradNorms: true,
		MCDropout: m.Kind != "logreg" && m.Dropout > 0,
	}
}

// CheckStrategy validates one strategy entry against the configured model; it is
// the experiments.StrategyCheck that Load uses.
func CheckStrategy(s experiments.StrategySpec, m experiments.ModelSpec) []experiments.Problem {
	var out []experiments.Problem
	for _, p := range strategies.Check(s.Name, s.Params, Capabilities(m)) {
		out = append(out, experiments.Problem{Key: p.Key, Msg: p.Msg, Got: p.Got})
	}
	return out
}

// Load reads and validates a config file, strategies included, and returns it with
// the file's bytes (kept in the result folder as config.yaml).
func Load(path string) (*experiments.Config, []byte, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return loadText(path, text)
}

// loadText validates config text read from path.
func loadText(path string, text []byte) (*experiments.Config, []byte, error) {
	cfg, err := experiments.Parse(text, path, CheckStrategy)
	if err != nil {
		return nil, nil, err
	}
	if Baseline(cfg) == "" {
		// Every benchmark is compared with random sampling (design §1): a config
		// that leaves it out gets it.
		cfg.Strategies = append(cfg.Strategies, experiments.StrategySpec{Name: "random", Label: "random"})
	}
	return cfg, text, nil
}

// Baseline is the label of the config's random-sampling strategy: the first entry
// named random. It is "" when there is none.
func Baseline(cfg *experiments.Config) string {
	for _, s := range cfg.Strategies {
		if s.Name == "random" {
			return s.Label
		}
	}
	return ""
}
