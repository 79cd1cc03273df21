package tabular

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/report"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// Published is a result from the literature shown beside the table.
type Published struct {
	Name, Source          string
	Precision, Recall, F1 float64
}

// ci formats an interval as "0.812 [0.741, 0.873]".
func ci(c eval.CI) string {
	return fmt.Sprintf("%.3f [%.3f, %.3f]", c.Point, c.Lo, c.Hi)
}

// table is the plain-text summary.
func (m *Metrics) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rows (%d positive), %d features; %d development rows, %d held out\n", m.Rows, m.Positives, m.Features, m.DevRows, m.HoldoutRows)
	fmt.Fprintf(&b, "%-22s %-24s %-24s %-24s %-24s\n", "pipeline", "precision", "recall", "F1", "PR-AUC")
	for _, name := range m.order {
		r := m.Pipelines[name]
		fmt.Fprintf(&b, "%-22s %-24s %-24s %-24s %-24s\n", name, ci(r.Precision), ci(r.Recall), ci(r.F1), ci(r.PRAUC))
	}
	d := m.Deployed
	fmt.Fprintf(&b, "deployed %s (%s): threshold %.4g for precision %.2f (reached: %v); hold-out precision %s, recall %s, PR-AUC %s\n",
		d.Pipeline, d.Chosen.Describe(mustPipe(d.Pipeline)), d.Threshold, d.TargetPrecision, d.Reached, ci(d.Holdout.Precision), ci(d.Holdout.Recall), ci(d.Holdout.PRAUC))
	return b.String()
}

func mustPipe(name string) Pipeline {
	p, _ := ParsePipeline(name)
	return p
}

// writeReport renders report.html and its figures into env.Out: the
// ablation table with intervals, the PR curves of every pipeline (pooled
// out-of-fold scores of the first repeat) and of the deployed model on the
// hold-out with its operating point, the intervals as a forest plot, the
// choices of the inner folds, and feature importances.
func writeReport(env tasks.Env, info Info, m *Metrics, t *Table, model *Model) error {
	out := env.Out
	prevalence := float64(m.Positives) / float64(m.Rows)
	rep := report.Report{Title: info.Title, Config: env.Name, Date: time.Now().UTC(), Machine: tasks.Machine(), Commit: tasks.Commit(),
		Notes: append(append([]string{}, info.Notes...), fmt.Sprintf(
			"Protocol: %d of %d rows (whole groups, stratified) are held out for the alarm threshold. On the other %d, every pipeline is estimated by %d×%d-fold nested stratified group cross-validation (%d repeat(s)): the inner folds choose the sampler's and the classifier's settings from their grids by average precision; each outer test fold is scored once by the settings chosen without it, and no group is split between training and test. Precision, recall and F1 are at each classifier's own threshold (decision 0, or probability 0.5), over the pooled outer test folds; intervals are %g%% stratified bootstrap intervals over rows (%d resamples). Oversampling is fitted on training parts only.",
			m.HoldoutRows, m.Rows, m.DevRows, m.Protocol().OuterFolds, m.Protocol().InnerFolds, m.Protocol().Repeats, 100*(1-m.Protocol().Alpha), m.Protocol().Resamples))}
	header := []string{"pipeline", "precision", "recall", "F1", "PR-AUC", "ROC AUC", "seconds"}
	var rows [][]string
	var curves []report.NamedPRCurve
	var intervals []report.Interval
	for _, name := range m.order {
		r := m.Pipelines[name]
		rows = append(rows, []string{name, ci(r.Precision), ci(r.Recall), ci(r.F1), ci(r.PRAUC), ci(r.ROCAUC), fmt.Sprintf("%.1f", r.Seconds)})
		if len(r.curve) > 0 {
			curves = append(curves, report.NamedPRCurve{Name: fmt.Sprintf("%s (AP %.3f)", name, r.PRAUC.Point), Points: r.curve})
		}
		intervals = append(intervals, interval(name+" F1", r.F1), interval(name+" precision", r.Precision), interval(name+" recall", r.Recall))
	}
	rep.Tables = append(rep.Tables, report.Table{Title: "Pipelines, nested cross-validation (point [interval])", Header: header, Rows: rows})
	if len(m.order) > 1 {
		rep.Tables = append(rep.Tables, versusTable(m))
	}
	if len(info.Published) > 0 {
		var pub [][]string
		for _, p := range info.Published {
			pub = append(pub, []string{p.Name, p.Source, fmt.Sprintf("%.3f", p.Precision), fmt.Sprintf("%.3f", p.Recall), fmt.Sprintf("%.3f", p.F1)})
		}
		rep.Tables = append(rep.Tables, report.Table{Title: "Published results (other data or protocol; for orientation)",
			Header: []string{"system", "source", "precision", "recall", "F1"}, Rows: pub})
	}
	if len(curves) > 0 {
		if err := report.PlotPR(filepath.Join(out, "pr_pipelines.png"), curves, prevalence); err != nil {
			return err
		}
		rep.Images = append(rep.Images, report.Image{File: "pr_pipelines.png", Title: "PR curves, cross-validation",
			Caption: "Precision against recall of each pipeline over the pooled outer test folds (first repeat). The dashed line is the positive rate, a detector without skill."})
	}
	if err := report.PlotIntervals(filepath.Join(out, "intervals.png"), "Nested cross-validation", "value (with interval)", intervals); err != nil {
		return err
	}
	rep.Images = append(rep.Images, report.Image{File: "intervals.png", Title: "Intervals", Caption: "Each pipeline's F1, precision and recall with its bootstrap interval."})
	d := m.Deployed
	var op *eval.PRPoint
	for i := range d.curve {
		if d.curve[i].Threshold == d.Threshold {
			op = &d.curve[i]
			break
		}
	}
	if err := report.PlotPR(filepath.Join(out, "pr_deployed.png"), []report.NamedPRCurve{{
		Name: fmt.Sprintf("%s, hold-out (AP %.3f)", d.Pipeline, d.Holdout.PRAUC.Point), Points: d.curve, Operating: op}}, prevalence); err != nil {
		return err
	}
	reached := "reaches it"
	if !d.Reached {
		reached = "cannot reach it on the hold-out, so the threshold of the highest F1 is used"
	}
	rep.Images = append(rep.Images, report.Image{File: "pr_deployed.png", Title: "Deployed model: threshold from the hold-out PR curve",
		Caption: fmt.Sprintf("The deployed %s (%s, fitted on all development rows) on the %d hold-out rows. The marked point is the alarm threshold %.4g, the one with the highest recall whose precision is at least %.2f; the model %s.",
			d.Pipeline, d.Chosen.Describe(mustPipe(d.Pipeline)), m.HoldoutRows, d.Threshold, d.TargetPrecision, reached)})
	rep.Tables = append(rep.Tables, report.Table{Title: "Deployed model on the hold-out", Header: []string{"threshold", "precision", "recall", "F1", "PR-AUC", "ROC AUC"},
		Rows: [][]string{
			{fmt.Sprintf("hold-out threshold %.4g", d.Threshold), ci(d.Holdout.Precision), ci(d.Holdout.Recall), ci(d.Holdout.F1), ci(d.Holdout.PRAUC), ci(d.Holdout.ROCAUC)},
			{fmt.Sprintf("classifier's own %.4g", model.Cut()), ci(d.AtCut.Precision), ci(d.AtCut.Recall), ci(d.AtCut.F1), "", ""},
		}})
	rep.Tables = append(rep.Tables, choiceTable(m))
	if imp, ok := model.clf.(rfClf); ok {
		rep.Tables = append(rep.Tables, importanceTable(imp.f.Importances(), t.Features))
	}
	return report.WriteReport(out, rep)
}

// interval is c as a forest-plot row (NaN-free: a missing point is 0).
func interval(label string, c eval.CI) report.Interval {
	iv := report.Interval{Label: label, Point: c.Point, Lo: c.Lo, Hi: c.Hi}
	if iv.Point != iv.Point {
		iv.Point = 0
	}
	iv.Lo, iv.Hi = min(iv.Lo, iv.Point), max(iv.Hi, iv.Point)
	if iv.Lo != iv.Lo {
		iv.Lo = iv.Point
	}
	if iv.Hi != iv.Hi {
		iv.Hi = iv.Point
	}
	return iv
}

// choiceTable counts the settings the inner folds chose, per pipeline.
func choiceTable(m *Metrics) report.Table {
	t := report.Table{Title: "Settings chosen by the inner folds (outer folds choosing each)", Header: []string{"pipeline", "settings", "folds"}}
	for _, name := range m.order {
		counts := map[string]int{}
		for _, f := range m.Pipelines[name].Folds {
			counts[f.Chosen.Describe(mustPipe(name))]++
		}
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(a, b int) bool {
			return counts[keys[a]] > counts[keys[b]] || counts[keys[a]] == counts[keys[b]] && keys[a] < keys[b]
		})
		for _, k := range keys {
			t.Rows = append(t.Rows, []string{name, k, fmt.Sprint(counts[k])})
		}
	}
	return t
}

// importanceTable lists the 20 most important features.
func importanceTable(imp []float64, names []string) report.Table {
	idx := make([]int, len(imp))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return imp[idx[a]] > imp[idx[b]] })
	t := report.Table{Title: "Deployed random forest: the 20 most important features (mean decrease in impurity)", Header: []string{"feature", "importance"}}
	for _, i := range idx[:min(20, len(idx))] {
		t.Rows = append(t.Rows, []string{names[i], fmt.Sprintf("%.4f", imp[i])})
	}
	return t
}

// versusTable compares each pipeline with the first on the same rows.
func versusTable(m *Metrics) report.Table {
	first := m.order[0]
	t := report.Table{Title: fmt.Sprintf("Paired against %s, on the same pooled outer test scores (first repeat); positive differences favour the row's pipeline, p is one-sided for it being better, p2 two-sided", first),
		Header: []string{"pipeline", "ROC AUC difference [interval]", "DeLong p / p2", "PR-AUC difference [interval]", "bootstrap p / p2"}}
	for _, name := range m.order[1:] {
		v := m.Pipelines[name].Versus
		if v == nil {
			continue
		}
		t.Rows = append(t.Rows, []string{name,
			fmt.Sprintf("%+.3f [%+.3f, %+.3f]", v.DeLong.Difference, v.DeLong.CILo, v.DeLong.CIHi), fmt.Sprintf("%.3g / %.3g", v.DeLong.P, v.DeLong.PTwoSided),
			fmt.Sprintf("%+.3f [%+.3f, %+.3f]", v.AP.Difference, v.AP.CILo, v.AP.CIHi), fmt.Sprintf("%.3g / %.3g", v.AP.P, v.AP.PTwoSided)})
	}
	return t
}
