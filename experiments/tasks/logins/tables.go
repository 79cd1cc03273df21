package logins

import (
	"fmt"

	"github.com/vigil-ml/vigil/eval/report"
)

func pct(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }

// detectionTable is every system's AUC and false-positive rates per set.
func detectionTable(m *Metrics) report.Table {
	t := report.Table{Title: "Detection", Header: []string{"test set", "system", "AUC"}}
	var tprs []float64
	for _, a := range m.Attacks {
		if len(a.Systems) > 0 {
			for _, op := range a.Systems[0].AtDetection {
				tprs = append(tprs, op.TPR)
			}
			break
		}
	}
	for _, tpr := range tprs {
		t.Header = append(t.Header, fmt.Sprintf("FPR at %g%% TPR", 100*tpr))
	}
	for _, a := range m.Attacks {
		for _, s := range a.Systems {
			row := []string{a.Set, s.Name, fmt.Sprintf("%.4f", s.AUC)}
			for _, op := range s.AtDetection {
				row = append(row, pct(op.FPR))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// attackTable is each test set's composition.
func attackTable(m *Metrics) report.Table {
	t := report.Table{Title: "Test sets", Header: []string{"test set", "attack rate", "events", "attacks", "normal", "attacks redrawn off a training network", "note"}}
	for _, a := range m.Attacks {
		t.Rows = append(t.Rows, []string{a.Set, fmt.Sprintf("%g", a.Rate), fmt.Sprint(a.Events), fmt.Sprint(a.Attack),
			fmt.Sprint(a.Normal), fmt.Sprint(a.Redrawn), a.Note})
	}
	return t
}

// dataTable is the counts of the data.
func dataTable(d DataSummary) report.Table {
	t := report.Table{Title: "Data", Header: []string{"", "count"}}
	add := func(k string, v any) { t.Rows = append(t.Rows, []string{k, fmt.Sprint(v)}) }
	add("kind", d.Kind)
	add("records read", d.Records)
	add("login events", d.Events)
	add("records that are no logins", d.Ignored)
	for _, r := range sortedKeys(d.Skipped) {
		add("bad records skipped: "+r, d.Skipped[r])
	}
	if d.NotAccepted > 0 {
		add("failed logins left out", d.NotAccepted)
	}
	if d.Sampled > 0 {
		add("events sampled (data.max_events)", d.Sampled)
	}
	add("entities", d.Entities)
	split := "file order"
	if d.Split == "time" {
		split = "time, boundary " + d.Boundary
	}
	add("split", split)
	add("training events", d.Train)
	add("validation events", d.Validation)
	add("entities trained on", d.TrainEntities)
	add("test events", d.Test)
	add("test entities", d.TestEntities)
	add("test events of unknown entities dropped", d.UnknownDropped)
	nets := fmt.Sprint(d.Networks)
	if d.ObservedNetworks < d.Networks {
		nets = fmt.Sprintf("%d (%d observed /16s, %d random public /16s)", d.Networks, d.ObservedNetworks, d.Networks-d.ObservedNetworks)
	}
	add("attack networks", nets)
	return t
}
