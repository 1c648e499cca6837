package experiments

import (
	"reflect"
	"testing"
)

// TestReportSection: the report section's defaults, values and errors, each
// error at its line and key.
func TestReportSection(t *testing.T) {
	c, err := Parse([]byte(base), "c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Report, DefaultReport) {
		t.Errorf("default report %+v, want %+v", c.Report, DefaultReport)
	}
	two := edit(t, "strategies: [random]", "strategies: [random, {name: margin, label: m}]")
	c, err = Parse([]byte(two+"report: {metric: macro_f1, band: sem, width_in: 3.5, strategies: [m], delta: true, skyline: false}\n"), "c.yaml", committeeCheck)
	if err != nil {
		t.Fatal(err)
	}
	want := Report{Metric: "macro_f1", Band: "sem", WidthIn: 3.5, Strategies: []string{"m"}, Delta: true, Skyline: false}
	if !reflect.DeepEqual(c.Report, want) {
		t.Errorf("report %+v, want %+v", c.Report, want)
	}
	for _, tt := range []struct{ report, want string }{
		{"{metric: auc}", "c.yaml:9:18: report.metric: must be accuracy, macro_f1 or log_loss (got auc)"},
		{"{band: iqr}", "c.yaml:9:16: report.band: must be ci95, sem or std (got iqr)"},
		{"{width_in: 40}", "c.yaml:9:20: report.width_in: must be between 2 and 20 (inches) (got 40)"},
		{"{strategies: [margin]}", "c.yaml:9:23: report.strategies[0]: is not a strategy label of this config (labels: random or m) (got margin)"},
		{"{strategies: [m, m]}", "c.yaml:9:26: report.strategies[1]: is listed twice (got m)"},
		{"{strategies: []}", "c.yaml:9:22: report.strategies: must be a non-empty list of strategy labels (got [])"},
		{"{colour: red}", "c.yaml:9:10: report.colour: unknown key (known: metric, band, width_in, strategies, delta, skyline)"},
		{"{delta: yes please}", "c.yaml:9:17: report.delta: must be true or false (got yes please)"},
	} {
		_, err := Parse([]byte(two+"report: "+tt.report+"\n"), "c.yaml", committeeCheck)
		if err == nil || err.Error() != tt.want {
			t.Errorf("report %s: got\n%v\nwant\n%s", tt.report, err, tt.want)
		}
	}
}
