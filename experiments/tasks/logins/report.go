package logins

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/report"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// histogramBins is the number of bins of the score histograms.
const histogramBins = 50

// writeReport renders the figures and report.html into env.Out: per attack
// rate the ROC of the model against both tables and the model's scores of
// normal and attack events; the discriminator's scores; the loss; the
// entity embeddings; and the tables.
func (d *data) writeReport(ctx context.Context, env tasks.Env, m *Metrics, sets []setEval, r tasks.Result, val, random []float64) error {
	out := env.Out
	rep := report.Report{
		Title: "vigil: IP Insights on logins (" + env.Name + ")", Config: env.Name, Date: time.Now().UTC(),
		Machine: m.Machine, Commit: m.Commit,
		Notes: []string{d.src.note, d.protocolNote(), fmt.Sprintf(
			"Model %s, %d parameters; its score is the anomaly score (higher is more anomalous). Baselines as in the example: 1 when the entity never used the address (IP table) or its /24 (subnet table) in training, else 0. The false-positive rate at a detection rate takes as threshold the score of the attack at that rank; events scoring at least it alarm. Discriminator AUC: %.4f.",
			modelName(env.Kind), r.Params, m.DiscriminatorAUC)},
	}
	for _, se := range sets {
		if len(se.result.Systems) == 0 {
			continue
		}
		var curves []report.NamedCurve
		for _, s := range se.systems {
			roc, err := eval.ROC(s.scores, se.labels)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", se.result.Set, s.name, err)
			}
			curves = append(curves, report.NamedCurve{Name: s.name, Points: roc})
		}
		file := "roc_" + se.result.Set + ".png"
		if err := report.PlotROC(filepath.Join(out, file), curves); err != nil {
			return err
		}
		rep.Images = append(rep.Images, report.Image{File: file, Title: "ROC, " + se.result.Set,
			Caption: fmt.Sprintf("%d attacks among %d test events: the model against the IP and subnet tables.", se.result.Attack, se.result.Events)})
		var normal, attack []float64
		for i, v := range se.systems[0].scores {
			if se.labels[i] {
				attack = append(attack, v)
			} else {
				normal = append(normal, v)
			}
		}
		file = "scores_" + se.result.Set + ".png"
		if err := report.PlotHistograms(filepath.Join(out, file), "Model scores, "+se.result.Set, "anomaly score",
			[]report.ScoreGroup{{Name: "normal", Scores: normal}, {Name: "attack", Scores: attack}}, histogramBins); err != nil {
			return err
		}
		rep.Images = append(rep.Images, report.Image{File: file, Title: "Score histograms, " + se.result.Set,
			Caption: "Share of the normal and of the attack test events in each score bin."})
	}
	if err := report.PlotHistograms(filepath.Join(out, "scores_discriminator.png"), "Model scores, discriminator", "anomaly score",
		[]report.ScoreGroup{{Name: "validation pairs", Scores: val}, {Name: "random addresses", Scores: random}}, histogramBins); err != nil {
		return err
	}
	rep.Images = append(rep.Images, report.Image{File: "scores_discriminator.png", Title: "Discriminator scores",
		Caption: fmt.Sprintf("Held-out validation pairs against their entities with uniformly random addresses (AUC %.4f).", m.DiscriminatorAUC)})
	if img, err := lossPlot(out, r); err != nil {
		return err
	} else if img != nil {
		rep.Images = append(rep.Images, *img)
	}
	groups, p, err := d.entityScatter(env)
	if err != nil {
		return err
	}
	if groups != nil {
		if err := report.PlotScatter(filepath.Join(out, "embedding.png"), "Entity embeddings", "PC 1", "PC 2", groups); err != nil {
			return err
		}
		rep.Images = append(rep.Images, report.Image{File: "embedding.png", Title: "Entity embeddings",
			Caption: fmt.Sprintf("The model's vectors of %d trained entities on their two principal axes (variance %.3g and %.3g), coloured by each entity's most frequent /16 in training when it is among the %d most common, grey otherwise.",
				count(groups), p.variance[0], p.variance[1], scatterNetworks)})
	}
	rep.Tables = append(rep.Tables, detectionTable(m), attackTable(m), dataTable(m.Data))
	if err := ctx.Err(); err != nil {
		return err
	}
	return report.WriteReport(out, rep)
}

// lossPlot draws the training and validation loss, if recorded.
func lossPlot(out string, r tasks.Result) (*report.Image, error) {
	losses := map[string][]float64{}
	if len(r.TrainLoss) > 0 {
		losses["train"] = r.TrainLoss
	}
	if len(r.ValLoss) > 0 {
		losses["validation"] = r.ValLoss
	}
	if len(losses) == 0 {
		return nil, nil
	}
	if err := report.PlotLossCurves(filepath.Join(out, "loss.png"), losses); err != nil {
		return nil, err
	}
	return &report.Image{File: "loss.png", Title: "Training and validation loss", Caption: "Per epoch."}, nil
}

// protocolNote describes the split and the attacks.
func (d *data) protocolNote() string {
	split := fmt.Sprintf("Events before %s (the first event's day plus data.train_days) are the training period, the rest the test.", d.sp.boundary.Format(time.RFC3339))
	if !d.sp.byTime {
		split = fmt.Sprintf("The events carry no times: the first %.0f%% in file order are the training period, the rest the test.", 100*d.cfg.Data.TrainFraction)
	}
	known := "Test events of entities not trained on are kept."
	if d.cfg.Eval.KnownEntitiesOnly {
		known = "Only test events of entities trained on are kept, as in the example."
	}
	nets := "the synthetic network table"
	if d.src.nets == nil {
		nets = fmt.Sprintf("a table of the %d /16 networks the log's events come from, padded with random public /16s to %d", d.observed, len(d.nets))
	}
	return fmt.Sprintf("%s %.0f%% of the training period, drawn by the seed, is held out for validation. %s At each attack rate that share of the test events, drawn by the seed, is replaced by a login of the same entity from a uniformly random address of a network of %s that the entity never used, in training or test.",
		split, 100*d.cfg.Data.ValidationFraction, known, nets)
}

func count(groups []report.PointGroup) int {
	n := 0
	for _, g := range groups {
		n += len(g.X)
	}
	return n
}
