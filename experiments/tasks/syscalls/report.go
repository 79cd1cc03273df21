package syscalls

import (
	"fmt"
	"path/filepath"
	"sort"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/report"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// writeReport renders the plots and report.html into env.Out: ROC of the
// model against STIDE, score distributions of normal traces and of each
// attack family, loss curves, and the tables.
func (d *data) writeReport(env tasks.Env, m *Metrics, systems []system, results []tasks.Result) error {
	r := results[0]
	out := env.Out
	rep := report.Report{
		Title: "vigil: system-call intrusion detection (" + env.Name + ")", Config: env.Name, Date: time.Now().UTC(),
		Machine: m.Machine, Commit: m.Commit,
		Notes: []string{d.note,
			fmt.Sprintf("Model %s (%d trained, scores averaged when several), %d parameters each, trained on windows of %d calls; a call's score is 1 - p(call) and its negative log-likelihood under the model given the calls before it in its window. A trace scores the largest 1 - p of its calls (the seed's rule) or the mean NLL (Kim et al. 2016). STIDE: sliding windows of n calls from the training traces, locality frame %d; a trace scores its largest locality frame count, or (mismatch rate) the fraction of its windows never seen in training.", env.Kind, len(results), r.Params, d.cfg.Windows.Length, d.cfg.Eval.StideFrame),
			"Detection at a false-alarm rate sets the threshold on the normal test traces; \"validation max\" is the seed's rule, the largest score of a normal validation trace, chosen without test data.",
		},
	}
	if len(m.Systems) == 0 {
		rep.Tables = append(rep.Tables, liddsTable(m))
		return report.WriteReport(out, rep)
	}
	var curves []report.NamedCurve
	for _, s := range systems[:min(len(systems), 4)] {
		ts := d.traceScores(s)
		scores := append(append([]float64(nil), ts.Normal...), ts.Attack...)
		labels := make([]bool, len(scores))
		for i := len(ts.Normal); i < len(labels); i++ {
			labels[i] = true
		}
		roc, err := eval.ROC(scores, labels)
		if err != nil {
			return err
		}
		curves = append(curves, report.NamedCurve{Name: s.Name, Points: roc})
	}
	if err := report.PlotROC(filepath.Join(out, "roc.png"), curves); err != nil {
		return err
	}
	rep.Images = append(rep.Images, report.Image{File: "roc.png", Title: "ROC over the test traces", Caption: "The model's two trace scores against STIDE (the first configured n), by largest locality frame count and by mismatch rate."})
	for k, s := range []system{systems[1], systems[2]} {
		file := fmt.Sprintf("scores_%d.png", k+1)
		if err := report.PlotScoreGroups(filepath.Join(out, file), "Trace scores: "+s.Name, "score", d.groups(s)); err != nil {
			return err
		}
		rep.Images = append(rep.Images, report.Image{File: file, Title: "Score distributions, " + s.Name, Caption: "Normal test traces against each attack family."})
	}
	losses := map[string][]float64{}
	for _, u := range results {
		prefix := ""
		if len(results) > 1 {
			prefix = u.Name + " "
		}
		if len(u.TrainLoss) > 0 && len(u.UpdateLoss) == 0 {
			losses[prefix+"train"] = u.TrainLoss
		}
		for update, l := range u.UpdateLoss {
			losses[prefix+"train, "+update] = l
		}
		if len(u.ValLoss) > 0 {
			losses[prefix+"validation"] = u.ValLoss
		}
	}
	if len(losses) > 0 {
		if err := report.PlotLossCurves(filepath.Join(out, "loss.png"), losses); err != nil {
			return err
		}
		rep.Images = append(rep.Images, report.Image{File: "loss.png", Title: "Training and validation loss", Caption: lossCaption(results)})
	}
	rep.Tables = append(rep.Tables, systemsTable(m), familyTable(m), anchorTable(m))
	if len(m.LIDDS) > 0 {
		rep.Tables = append(rep.Tables, liddsTable(m))
	}
	return report.WriteReport(out, rep)
}

// groups are a system's normal test scores and each family's.
func (d *data) groups(s system) []report.ScoreGroup {
	ts := d.traceScores(s)
	out := []report.ScoreGroup{{Name: "normal", Scores: ts.Normal}}
	byFamily := map[string][]float64{}
	for i, f := range ts.Family {
		byFamily[f] = append(byFamily[f], ts.Attack[i])
	}
	var names []string
	for f := range byFamily {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		out = append(out, report.ScoreGroup{Name: f, Scores: byFamily[f]})
	}
	return out
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

func systemsTable(m *Metrics) report.Table {
	t := report.Table{Title: "Trace-level detection", Header: []string{"system", "AUC"}}
	for _, op := range m.Systems[0].AtFalseAlarm {
		t.Header = append(t.Header, fmt.Sprintf("detection at %s FA", pct(*op.TargetFA)))
	}
	t.Header = append(t.Header, "validation max: detection", "false alarms")
	for _, s := range m.Systems {
		row := []string{s.Name, fmt.Sprintf("%.4f", s.AUC)}
		for _, op := range s.AtFalseAlarm {
			row = append(row, pct(op.DetectionRate))
		}
		row = append(row, pct(s.AtValidationMax.DetectionRate), pct(s.AtValidationMax.FalseAlarmRate))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// familyTable is each system's detection per attack family at the first
// false-alarm target.
func familyTable(m *Metrics) report.Table {
	t := report.Table{Title: "Detection per attack family", Header: []string{"system"}}
	if len(m.Systems) == 0 || len(m.Systems[0].AtFalseAlarm) == 0 {
		return t
	}
	t.Title = fmt.Sprintf("Detection per attack family at %s false alarms", pct(*m.Systems[0].AtFalseAlarm[0].TargetFA))
	for _, f := range m.Systems[0].AtFalseAlarm[0].Families {
		t.Header = append(t.Header, fmt.Sprintf("%s (%d)", f.Family, f.Attacks))
	}
	for _, s := range m.Systems {
		row := []string{s.Name}
		for _, f := range s.AtFalseAlarm[0].Families {
			row = append(row, pct(f.DetectionRate))
		}
		if len(row) == len(t.Header) {
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

func anchorTable(m *Metrics) report.Table {
	t := report.Table{Title: "Published results on ADFA-LD", Header: []string{"system", "source", "AUC", "note"}}
	for _, a := range m.Anchors {
		auc := "-"
		if a.AUC != nil {
			auc = fmt.Sprintf("%.3f", *a.AUC)
		}
		t.Rows = append(t.Rows, []string{a.Name, a.Source, auc, a.Note})
	}
	return t
}

func liddsTable(m *Metrics) report.Table {
	t := report.Table{Title: "LID-DS metrics (threshold: largest validation call score)",
		Header: []string{"system", "threshold", "detected recordings", "false alarms per call", "consecutive false alarms", "precision (CFA)", "F1 (CFA)", "mean latency"}}
	for _, l := range m.LIDDS {
		lat := "-"
		if l.MeanLatencyS != nil {
			lat = fmt.Sprintf("%.4g s", *l.MeanLatencyS)
		}
		t.Rows = append(t.Rows, []string{l.Name, fmt.Sprintf("%.4g", l.Threshold), fmt.Sprintf("%d / %d", l.Detected, l.ExploitCount),
			fmt.Sprintf("%.3g", l.FalseAlarmsPerCall), fmt.Sprint(l.ConsecutiveFalseAlarms), fmt.Sprintf("%.3f", l.PrecisionWithCFA),
			fmt.Sprintf("%.3f", l.F1CFA), lat})
	}
	return t
}

// lossCaption says what the loss curves measure.
func lossCaption(results []tasks.Result) string {
	if len(results) > 0 && len(results[0].UpdateLoss) > 0 {
		return "Per epoch: each update's training loss (the generator's: reconstruction, KL and adversarial terms; the discriminator's: three BCE terms), and the validation reconstruction error. A discriminator loss near 0 while the generator's rises means the discriminator is winning; a generator loss that stays flat while the validation error stalls is worth a look for collapse."
	}
	return "Mean next-call cross-entropy per epoch."
}
