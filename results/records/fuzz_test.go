package records_test

import (
	"bytes"
	"math"
	"os"
	"testing"

	"albench/results/analysis"
	"albench/results/records"
	"albench/results/report"
)

// FuzzReadTrials checks that ReadTrials never panics, and that what it
// accepts survives a write and a second read unchanged.
func FuzzReadTrials(f *testing.F) {
	fixture, err := os.ReadFile("../testdata/trials.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture[:2000])
	f.Add([]byte("dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss\n"))
	f.Add([]byte("dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss\nd,s,1,0,10,NaN,0,0\n"))
	f.Add([]byte("dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss\n\"d\n\",s,1,0,10,0.5,0,1e308\n"))
	f.Add([]byte("a,b\n1,2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := records.ReadTrials(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := records.WriteTrials(&buf, recs); err != nil {
			t.Fatal(err)
		}
		again, err := records.ReadTrials(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("rereading written trials: %v", err)
		}
		// WriteTrials sorts and prints metrics with 6 decimals: the round trip
		// gives the sorted records as trials.csv stores them, field for field.
		want := make([]records.Record, len(recs))
		for i, r := range recs {
			want[i] = records.AsStored(r)
		}
		records.Sort(want)
		if len(again) != len(want) {
			t.Fatalf("%d records, %d after a round trip", len(want), len(again))
		}
		for i := range want {
			a, w := again[i], want[i]
			if math.IsNaN(a.LogLoss) && math.IsNaN(w.LogLoss) {
				a.LogLoss, w.LogLoss = 0, 0 // an empty log_loss cell, both sides
			}
			if a != w {
				t.Fatalf("record %d: %+v after a round trip, want %+v", i, again[i], want[i])
			}
		}
		// A second round trip changes nothing at all.
		var buf2 bytes.Buffer
		if err := records.WriteTrials(&buf2, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
			t.Fatalf("second write differs:\n%s\nvs\n%s", buf.Bytes(), buf2.Bytes())
		}
		// Analysis of any accepted input either works or returns an error.
		if a, err := analysis.Analyze(recs, analysis.Meta{}); err == nil {
			var out bytes.Buffer
			if err := report.WriteReport(&out, a, analysis.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
