package tabular

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/report"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// RescoreMetrics is what Rescore writes to metrics.json: the saved model
// on the hold-out rows of other data, in the layout of Fit's deployed
// section so that the same metric keys compare both.
type RescoreMetrics struct {
	Task        string        `json:"task"`
	From        string        `json:"from"`
	Rows        int           `json:"rows"`
	HoldoutRows int           `json:"holdout_rows"`
	Deployed    *DeployResult `json:"deployed"`
}

// Rescore scores the hold-out rows of t (the split Fit would make of t
// with the same seed) with the model saved in env.From at its saved
// threshold, and writes metrics.json's content, holdout.json and
// report.html to env.Out: the traffic a challenger fitted on t is judged
// on, scored by the champion.
func Rescore(ctx context.Context, t *Table, cfg Config, env tasks.Env, info Info) (tasks.Evaluation, error) {
	if err := t.Check(); err != nil {
		return tasks.Evaluation{}, err
	}
	model, threshold, err := LoadModel(env.From, t.Features)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	_, hold, err := holdoutSplit(t, cfg.Protocol.Holdout, env.Seed)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	if err := ctx.Err(); err != nil {
		return tasks.Evaluation{}, err
	}
	hs := scoreRows(model, t, hold)
	dep := &DeployResult{Pipeline: model.Pipeline.Name, Chosen: model.Params, Threshold: threshold, TargetPrecision: cfg.Protocol.TargetPrecision}
	if dep.curve, err = eval.PRCurve(hs.Scores, hs.Labels); err != nil {
		return tasks.Evaluation{}, fmt.Errorf("hold-out: %w", err)
	}
	if err := finishHoldout(&hs, dep, model, cfg.Protocol, env.Seed); err != nil {
		return tasks.Evaluation{}, err
	}
	dep.Reached = dep.Holdout.Precision.Point >= dep.TargetPrecision
	if err := writeHoldout(env.Out, hs); err != nil {
		return tasks.Evaluation{}, err
	}
	m := &RescoreMetrics{Task: info.Task, From: env.From, Rows: len(t.X), HoldoutRows: len(hold), Deployed: dep}
	rep := report.Report{Title: info.Title + " (saved model rescored)", Config: env.Name, Date: time.Now().UTC(), Machine: tasks.Machine(), Commit: tasks.Commit(),
		Notes: append(append([]string{}, info.Notes...), fmt.Sprintf("The model saved in %s (%s, %s) scores the %d hold-out rows of this data at its saved threshold %.4g.",
			env.From, dep.Pipeline, dep.Chosen.Describe(model.Pipeline), len(hold), threshold))}
	if err := report.PlotPR(filepath.Join(env.Out, "pr_deployed.png"), []report.NamedPRCurve{{
		Name: fmt.Sprintf("%s, hold-out (AP %.3f)", dep.Pipeline, dep.Holdout.PRAUC.Point), Points: dep.curve}},
		float64(minority(hs.Labels))/float64(len(hs.Labels))); err != nil {
		return tasks.Evaluation{}, err
	}
	rep.Images = append(rep.Images, report.Image{File: "pr_deployed.png", Title: "Saved model on the hold-out", Caption: "Precision against recall of the saved model on this data's hold-out rows."})
	rep.Tables = append(rep.Tables, report.Table{Title: "Saved model on the hold-out", Header: []string{"threshold", "precision", "recall", "F1", "PR-AUC", "ROC AUC"},
		Rows: [][]string{{fmt.Sprintf("%.4g", threshold), ci(dep.Holdout.Precision), ci(dep.Holdout.Recall), ci(dep.Holdout.F1), ci(dep.Holdout.PRAUC), ci(dep.Holdout.ROCAUC)}}})
	if err := report.WriteReport(env.Out, rep); err != nil {
		return tasks.Evaluation{}, err
	}
	summary := fmt.Sprintf("saved %s at threshold %.4g on %d hold-out rows: precision %s, recall %s, PR-AUC %s\n",
		dep.Pipeline, threshold, len(hold), ci(dep.Holdout.Precision), ci(dep.Holdout.Recall), ci(dep.Holdout.PRAUC))
	return tasks.Evaluation{Metrics: m, Summary: summary}, nil
}
