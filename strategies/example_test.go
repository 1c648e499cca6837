package strategies_test

import (
	"albench/learners"
	"fmt"

	"albench/strategies"
)

// Check reports every problem of a strategy entry at once, for config validation.
func ExampleCheck() {
	caps := learners.Capabilities{Probs: true, Embed: true} // an mlp without dropout
	for _, p := range strategies.Check("bald", map[string]any{"samples": 0}, caps) {
		fmt.Println(p)
	}
	for _, p := range strategies.Check("qcb", nil, caps) {
		fmt.Println(p)
	}
	// Output:
	// params.samples: must be at least 1 (got 0)
	// name: bald needs model.dropout > 0 (got bald)
	// name: unknown strategy (did you mean qbc?) (got qcb)
}

// New builds one strategy value per trial, filling in defaults.
func ExampleNew() {
	s, err := strategies.New("qbc", map[string]any{"measure": "kl"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name())
	for _, info := range strategies.Registry() {
		if info.Name == "qbc" {
			for _, p := range info.Params {
				fmt.Printf("%s (default %v)\n", p.Name, p.Default)
			}
		}
	}
	// Output:
	// qbc
	// committee (default 5)
	// measure (default vote_entropy)
	// members (default <nil>)
	// bootstrap (default <nil>)
}
