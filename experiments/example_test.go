package experiments_test

import (
	"fmt"

	"albench/experiments"
)

// Parse reports every problem of a config at once, positioned in the file.
func ExampleParse() {
	config := `name: demo
datasets:
  - name: iris
    source: iris
protocol:
  budjet: 30
  batch: 4
model:
  train: {lr: 0}
strategies: [random, random]
`
	_, err := experiments.Parse([]byte(config), "demo.yaml", nil)
	fmt.Println(err)
	// Output:
	// demo.yaml:6:3: protocol.budjet: unknown key (did you mean budget?)
	// demo.yaml:6:3: protocol.budget: required key is missing
	// demo.yaml:9:15: model.train.lr: must be positive (got 0)
	// demo.yaml:10:22: strategies[1]: duplicate strategy label (first at strategies[0]); give one a label (got random)
}

// Grid lists the trials dataset-major, then strategy, then seed.
func ExampleConfig_Grid() {
	c := &experiments.Config{
		Seeds:      []int{0, 1},
		Datasets:   []experiments.DatasetSpec{{Name: "iris"}},
		Strategies: []experiments.StrategySpec{{Name: "random"}, {Name: "margin"}},
	}
	for _, t := range c.Grid() {
		fmt.Println(c.Datasets[t.Dataset].Name, c.Strategies[t.Strategy].Name, t.Seed)
	}
	// Output:
	// iris random 0
	// iris random 1
	// iris margin 0
	// iris margin 1
}
