package experiments

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/report"
)

// maxPlotUsers bounds the per-user block-score figures in a report.
const maxPlotUsers = 4

// writeReport renders the plots and report.html into out.
func writeReport(cfg Config, res *Result, model, excess, base []eval.UserScores, results []userResult, nearest *nearestTable, out string) error {
	var modelScores, excessScores, baseScores []float64
	var labels []bool
	for i := range model {
		modelScores = append(modelScores, model[i].Test...)
		excessScores = append(excessScores, excess[i].Test...)
		baseScores = append(baseScores, base[i].Test...)
		labels = append(labels, model[i].Labels...)
	}
	r := report.Report{
		Title: "vigil: SEA masquerade detection (" + cfg.Name + ")", Config: cfg.Name, Date: time.Now().UTC(),
		Machine: res.Metrics.Machine, Commit: res.Metrics.Commit,
		Systems: []report.System{{Name: "ConvVAE", Result: res.Metrics.Model}, {Name: "ConvVAE, excess BCE", Result: res.Metrics.ModelExcess}, {Name: "naive Bayes", Result: res.Metrics.Baseline}},
		Anchors: eval.PublishedAnchors(),
		Notes: []string{
			fmt.Sprintf("%d users, %d parameters per model; scores are per-block reconstruction BCE (model) and log-likelihood ratio (naive Bayes).", len(results), res.Metrics.Parameters),
			"ConvVAE scores a block by its reconstruction BCE (the seed's score); \"excess BCE\" subtracts the block's own input entropy, leaving the KL part that measures reconstruction error. Per-user thresholds: ConvVAE on the user's held-out clean validation windows; naive Bayes on leave-one-block-out training blocks. No test data is used to set any per-user threshold.",
		},
	}
	mROC, errM := eval.ROC(modelScores, labels)
	xROC, errX := eval.ROC(excessScores, labels)
	bROC, errB := eval.ROC(baseScores, labels)
	if errM == nil && errX == nil && errB == nil {
		curves := []report.NamedCurve{{Name: "ConvVAE", Points: mROC}, {Name: "ConvVAE, excess BCE", Points: xROC}, {Name: "naive Bayes", Points: bROC}}
		if err := report.PlotROC(filepath.Join(out, "roc.png"), curves); err != nil {
			return err
		}
		r.Images = append(r.Images, report.Image{File: "roc.png", Title: "ROC, pooled over all test blocks", Caption: "ConvVAE against the naive Bayes baseline."})
	}
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
	for _, i := range plotUsers(cfg, model) {
		u := model[i]
		th := math.NaN()
		if len(res.Metrics.Model.PerUser) > 0 {
			if t, ok := res.Metrics.Model.PerUser[0].UserThresholds[u.User]; ok {
				th = t
			}
		}
		file := "blocks_" + u.User + ".png"
		if err := report.PlotBlockScores(filepath.Join(out, file), u.User, u.Test, u.Labels, th); err != nil {
			return err
		}
		r.Images = append(r.Images, report.Image{File: file, Title: "Block scores of " + u.User,
			Caption: fmt.Sprintf("ConvVAE score per test block; masquerade blocks shaded; line: per-user threshold at %.1f%% false alarms.", 100*cfg.Eval.FalseAlarmRates[0])})
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
func plotUsers(cfg Config, users []eval.UserScores) []int {
	var idx []int
	for i, u := range users {
		if len(cfg.Eval.PlotUsers) > 0 {
			if slices.Contains(cfg.Eval.PlotUsers, u.User) {
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
