package harness

import (
	"time"

	"albench/experiments"
	"albench/learners"
	"albench/plugin"
	"albench/strategies"
)

// Capabilities tells what the models of a configured model spec offer the
// strategies: the learners registry derives them from the resolved spec.
func Capabilities(m experiments.ModelSpec) learners.Capabilities {
	return learners.Caps(m.Params)
}

// CheckStrategy validates one strategy entry against the model it scores with: its
// query model when it has one, else m, the task model. It is the
// experiments.StrategyCheck that Load uses.
func CheckStrategy(s experiments.StrategySpec, m experiments.ModelSpec) []experiments.Problem {
	if s.QueryModel != nil {
		m = *s.QueryModel
	}
	var out []experiments.Problem
	probs := strategies.Check(s.Name, s.Params, Capabilities(m))
	if s.Plugin != nil && len(probs) == 0 {
		probs = strategies.CheckExternal(pluginOf(s), Capabilities(m))
	}
	for _, p := range probs {
		out = append(out, experiments.Problem{Key: p.Key, Msg: p.Msg, Got: p.Got})
	}
	return out
}

// Load reads and validates a config file, strategies included, and returns it with
// the file's bytes (kept in the result folder as config.yaml). The file must be a
// regular file of at most MaxConfigSize bytes; otherwise the error is a
// *ConfigFileError.
func Load(path string) (*experiments.Config, []byte, error) {
	text, err := readConfig(path)
	if err != nil {
		return nil, nil, &ConfigFileError{Path: path, Err: err}
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

// pluginOf is the plugin.Spec of an external strategy entry.
func pluginOf(s experiments.StrategySpec) plugin.Spec {
	return plugin.Spec{Command: s.Plugin.Command, Dir: s.Plugin.Dir, Params: s.Params, Role: plugin.RoleStrategy,
		Timeout: time.Duration(s.Plugin.Timeout * float64(time.Second))}
}

// newStrategy returns a fresh strategy value for one trial of entry s.
func newStrategy(s experiments.StrategySpec) (strategies.Strategy, error) {
	if s.Plugin != nil {
		return strategies.NewExternal(pluginOf(s)), nil
	}
	return strategies.New(s.Name, s.Params)
}
