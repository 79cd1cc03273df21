package masquerade

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/report"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// maxPlotUsers bounds the per-user block-score figures in a report.
const maxPlotUsers = 4

// writeReport renders the plots and report.html into env.Out.
func (d *data) writeReport(env tasks.Env, m *Metrics, systems []system, results []tasks.Result, nearest *nearestTable) error {
	out := env.Out
	cfg := d.cfg
	r := report.Report{
		Title: "vigil: SEA masquerade detection (" + env.Name + ")", Config: env.Name, Date: time.Now().UTC(),
		Machine: m.Machine, Commit: m.Commit,
		Anchors: eval.PublishedAnchors(),
		Notes: []string{
			fmt.Sprintf("%d users, %d parameters per model; scores are per-block model scores (%s) and log-likelihood ratio (naive Bayes).", len(results), m.Parameters, systems[0].name),
			"The ConvVAE scores a block by its reconstruction BCE (the seed's score); \"excess BCE\" subtracts the block's own input entropy, leaving the KL part that measures reconstruction error. Per-user thresholds: the model's on the user's held-out clean validation windows; naive Bayes on leave-one-block-out training blocks. No test data is used to set any per-user threshold.",
		},
	}
	var curves []report.NamedCurve
	for _, s := range systems {
		r.Systems = append(r.Systems, report.System{Name: s.name, Result: s.result})
		var scores []float64
		var labels []bool
		for _, u := range s.users {
			scores = append(scores, u.Test...)
			labels = append(labels, u.Labels...)
		}
		roc, err := eval.ROC(scores, labels)
		if err != nil {
			curves = nil
			break
		}
		curves = append(curves, report.NamedCurve{Name: s.name, Points: roc})
	}
	if len(curves) > 0 {
		if err := report.PlotROC(filepath.Join(out, "roc.png"), curves); err != nil {
			return err
		}
		r.Images = append(r.Images, report.Image{File: "roc.png", Title: "ROC, pooled over all test blocks", Caption: "The model against the naive Bayes baseline."})
	}
	model := systems[0].users
	losses := map[string][]float64{}
	for _, u := range results {
		if len(u.TrainLoss) > 0 {
			losses[u.Name+" train"] = u.TrainLoss
		}
		if len(u.ValLoss) > 0 {
			losses[u.Name+" val"] = u.ValLoss
		}
		if len(losses) >= 2*maxPlotUsers {
			break
		}
	}
	if len(losses) > 0 {
		if err := report.PlotLossCurves(filepath.Join(out, "loss.png"), losses); err != nil {
			return err
		}
		r.Images = append(r.Images, report.Image{File: "loss.png", Title: "Training and validation loss", Caption: "Per epoch, for the first users."})
	}
	for _, i := range plotUsers(*cfg.Eval, model) {
		u := model[i]
		th := math.NaN()
		if len(m.Model.PerUser) > 0 {
			if t, ok := m.Model.PerUser[0].UserThresholds[u.User]; ok {
				th = t
			}
		}
		file := "blocks_" + u.User + ".png"
		if err := report.PlotBlockScores(filepath.Join(out, file), u.User, u.Test, u.Labels, th); err != nil {
			return err
		}
		r.Images = append(r.Images, report.Image{File: file, Title: "Block scores of " + u.User,
			Caption: fmt.Sprintf("Model score per test block; masquerade blocks shaded; line: per-user threshold at %.1f%% false alarms.", 100*cfg.Eval.FalseAlarmRates[0])})
	}
	if nearest != nil {
		kind := "normal"
		if nearest.Masq {
			kind = "masquerade"
		}
		r.Tables = append(r.Tables, report.Table{
			Title:  fmt.Sprintf("Reconstruction of %s test block %d (%s), decoded to the nearest command", nearest.User, nearest.Block, kind),
			Header: []string{"position", "typed", "nearest to reconstruction", "cosine"},
			Rows:   nearest.Rows,
		})
	}
	return report.WriteReport(out, r)
}

// plotUsers picks the users whose block scores are plotted: the configured
// ones, else the first users with masquerade blocks.
func plotUsers(cfg EvalConfig, users []eval.UserScores) []int {
	var idx []int
	for i, u := range users {
		if len(cfg.PlotUsers) > 0 {
			if slices.Contains(cfg.PlotUsers, u.User) {
				idx = append(idx, i)
			}
			continue
		}
		if slices.Contains(u.Labels, true) && len(idx) < maxPlotUsers {
			idx = append(idx, i)
		}
	}
	return idx
}
