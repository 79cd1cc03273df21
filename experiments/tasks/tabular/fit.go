package tabular

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/compare"
	"github.com/vigil-ml/vigil/eval/cv"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// Info describes the task for the report and the metrics.
type Info struct {
	Task  string   // e.g. "cert"
	Title string   // the report's title
	Notes []string // paragraphs under the run information (data source, sizes)
	// Published are results from the literature shown beside the table.
	Published []Published
	// Importances names the pipeline whose feature importances are plotted
	// (a random forest), "" for none.
	Importances string
}

// PipelineResult is a pipeline's nested cross-validation.
type PipelineResult struct {
	Name string `json:"-"`
	Summary
	Folds []FoldOutcome `json:"folds"`
	// Seconds is the pipeline's wall time.
	Seconds float64 `json:"seconds"`
	// Versus compares the pipeline with the first of the table on the same
	// pooled outer test scores (first repeat): DeLong's test of the ROC
	// AUCs and a paired stratified bootstrap of the average precision;
	// a positive difference favours this pipeline. Absent for the first.
	Versus *Paired `json:"versus_first,omitempty"`
	curve  []eval.PRPoint
	scores []float64 // first repeat's pooled outer test scores
}

// Paired is a pipeline against the first one, on the same rows.
type Paired struct {
	Against string         `json:"against"`
	DeLong  compare.Result `json:"delong"`
	AP      compare.Result `json:"ap"`
}

// DeployResult is the deployed model's choice and its hold-out scores.
type DeployResult struct {
	Pipeline string    `json:"pipeline"`
	Chosen   Params    `json:"chosen"`
	InnerAP  []float64 `json:"inner_ap,omitempty"`
	// Threshold is the alarm threshold (score > Threshold), the one with
	// the highest recall whose hold-out precision reaches TargetPrecision;
	// Reached is false when no threshold does, and Threshold then is the
	// one of the highest F1.
	Threshold       float64 `json:"threshold"`
	TargetPrecision float64 `json:"target_precision"`
	Reached         bool    `json:"reached"`
	// Holdout scores the hold-out at Threshold; AtCut at the classifier's
	// own threshold.
	Holdout Summary `json:"holdout"`
	AtCut   Summary `json:"at_cut"`
	curve   []eval.PRPoint
}

// Metrics is what Fit writes to metrics.json.
type Metrics struct {
	Task        string                     `json:"task"`
	Rows        int                        `json:"rows"`
	Positives   int                        `json:"positives"`
	Features    int                        `json:"features"`
	DevRows     int                        `json:"dev_rows"`
	HoldoutRows int                        `json:"holdout_rows"`
	Pipelines   map[string]*PipelineResult `json:"pipelines,omitempty"`
	Deployed    *DeployResult              `json:"deployed"`
	Seconds     float64                    `json:"seconds"`
	order       []string
	protocol    *Protocol
}

// Protocol is the protocol the metrics were measured under.
func (m *Metrics) Protocol() *Protocol { return m.protocol }

// Fit runs the protocol on t (see the package comment) and writes
// metrics.json's content, report.html, model.json and holdout.json's to
// env.Out.
func Fit(ctx context.Context, t *Table, cfg Config, env tasks.Env, info Info) (tasks.Evaluation, error) {
	start := time.Now()
	if err := t.Check(); err != nil {
		return tasks.Evaluation{}, err
	}
	progress := env.Progress
	if progress == nil {
		progress = io.Discard
	}
	e := fitEnv{cfg: cfg, factory: env.Factory}
	dev, hold, err := holdoutSplit(t, cfg.Protocol.Holdout, env.Seed)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	m := &Metrics{Task: info.Task, Rows: len(t.X), Positives: minority(t.Y), Features: len(t.Features),
		DevRows: len(dev), HoldoutRows: len(hold), Pipelines: map[string]*PipelineResult{}, protocol: cfg.Protocol}
	devLabels := make([]bool, len(dev))
	for k, i := range dev {
		devLabels[k] = t.Y[i]
	}
	for pi, name := range cfg.Protocol.Pipelines {
		pipe, _ := ParsePipeline(name)
		t0 := time.Now()
		env.Log.Info("pipeline", "name", name, "grid", len(cfg.Candidates(pipe)))
		est, err := nested(ctx, e, t, dev, pipe, env.Seed, progress)
		if err != nil {
			return tasks.Evaluation{}, err
		}
		sum, err := summarise(scored{labels: devLabels, scores: est.scores, cuts: est.cut}, cfg.Protocol.Resamples, cfg.Protocol.Alpha, seedOf(env.Seed, pi, 7))
		if err != nil {
			return tasks.Evaluation{}, fmt.Errorf("%s: %w", name, err)
		}
		r := &PipelineResult{Name: name, Summary: sum, Folds: est.folds, Seconds: time.Since(t0).Seconds(), scores: est.scores[0]}
		r.curve, _ = eval.PRCurve(est.scores[0], devLabels)
		if pi > 0 {
			first := m.Pipelines[m.order[0]]
			if r.Versus, err = paired(first, r, devLabels, cfg.Protocol, seedOf(env.Seed, pi, 8)); err != nil {
				return tasks.Evaluation{}, fmt.Errorf("%s against %s: %w", name, first.Name, err)
			}
		}
		m.Pipelines[name] = r
		m.order = append(m.order, name)
		env.Log.Info("pipeline done", "name", name, "f1", sum.F1.Point, "pr_auc", sum.PRAUC.Point, "seconds", fmt.Sprintf("%.1f", r.Seconds))
	}
	model, dep, hs, err := deploy(ctx, e, t, dev, hold, env.Seed)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	m.Deployed = dep
	m.Seconds = time.Since(start).Seconds()
	if err := SaveModel(env.Out, model, t.Features, dep.Threshold); err != nil {
		return tasks.Evaluation{}, err
	}
	if err := writeHoldout(env.Out, hs); err != nil {
		return tasks.Evaluation{}, err
	}
	if err := writeReport(env, info, m, t, model); err != nil {
		return tasks.Evaluation{}, err
	}
	return tasks.Evaluation{Metrics: m, Summary: m.table()}, nil
}

// holdoutSplit holds out about share of the groups, stratified by class:
// one of round(1/share) stratified group folds, shuffled by seed.
func holdoutSplit(t *Table, share float64, seed uint64) (dev, hold []int, err error) {
	k := int(math.Round(1 / share))
	folds, err := cv.StratifiedGroupKFold(t.Y, t.groups(), k, true, seedOf(seed, 99))
	if err != nil {
		return nil, nil, fmt.Errorf("hold-out split: %w", err)
	}
	split := complementSplits(folds, len(t.Y))[0]
	if minority(pick(t.Y, split.Test)) == 0 || minority(pick(t.Y, split.Train)) < 2 {
		return nil, nil, fmt.Errorf("hold-out split: %d positive rows in too few groups to hold out %.0f%% of them and train on the rest; add positive groups or lower protocol.holdout", minority(t.Y), 100*share)
	}
	return split.Train, split.Test, nil
}

// holdoutScores are the deployed model's hold-out rows and scores, the
// holdout.json that retraining pairs by id.
type holdoutScores = compare.Holdout

// deploy tunes the deployed pipeline on dev, fits it there, and picks its
// threshold on hold.
func deploy(ctx context.Context, e fitEnv, t *Table, dev, hold []int, seed uint64) (*Model, *DeployResult, holdoutScores, error) {
	name := e.cfg.Protocol.DeployName()
	pipe, _ := ParsePipeline(name)
	chosen, aps, err := choose(ctx, e, t, dev, pipe, seedOf(seed, 1000))
	if err != nil {
		return nil, nil, holdoutScores{}, fmt.Errorf("deploy %s: %w", name, err)
	}
	e.probs = true
	x, y := t.subset(dev)
	model, err := fit(ctx, e, pipe, chosen, x, y, seedOf(seed, 1001))
	if err != nil {
		return nil, nil, holdoutScores{}, fmt.Errorf("deploy %s: %w", name, err)
	}
	hs := scoreRows(model, t, hold)
	dep := &DeployResult{Pipeline: name, Chosen: chosen, InnerAP: aps, TargetPrecision: e.cfg.Protocol.TargetPrecision}
	dep.curve, err = eval.PRCurve(hs.Scores, hs.Labels)
	if err != nil {
		return nil, nil, hs, fmt.Errorf("deploy %s: hold-out: %w", name, err)
	}
	pt, ok, err := eval.ThresholdForPrecision(hs.Scores, hs.Labels, dep.TargetPrecision)
	if err != nil {
		return nil, nil, hs, err
	}
	dep.Reached = ok
	if !ok {
		pt = bestF1(dep.curve)
	}
	dep.Threshold = pt.Threshold
	if err := finishHoldout(&hs, dep, model, e.cfg.Protocol, seed); err != nil {
		return nil, nil, hs, err
	}
	return model, dep, hs, nil
}

// finishHoldout sets the alarms and the hold-out summaries.
func finishHoldout(hs *holdoutScores, dep *DeployResult, model *Model, p *Protocol, seed uint64) error {
	hs.Threshold = dep.Threshold
	hs.Alarms = make([]bool, len(hs.Scores))
	for i, s := range hs.Scores {
		hs.Alarms[i] = s > dep.Threshold
	}
	n := len(hs.Scores)
	var err error
	if dep.Holdout, err = summarise(scored{labels: hs.Labels, scores: [][]float64{hs.Scores}, cuts: [][]float64{constant(n, dep.Threshold)}}, p.Resamples, p.Alpha, seedOf(seed, 2000)); err != nil {
		return fmt.Errorf("hold-out: %w", err)
	}
	if dep.AtCut, err = summarise(scored{labels: hs.Labels, scores: [][]float64{hs.Scores}, cuts: [][]float64{constant(n, model.Cut())}}, p.Resamples, p.Alpha, seedOf(seed, 2001)); err != nil {
		return fmt.Errorf("hold-out: %w", err)
	}
	return nil
}

// scoreRows scores rows of t with model.
func scoreRows(model *Model, t *Table, rows []int) holdoutScores {
	hs := holdoutScores{}
	for _, i := range rows {
		hs.IDs = append(hs.IDs, t.IDs[i])
		hs.Labels = append(hs.Labels, t.Y[i])
		hs.Scores = append(hs.Scores, model.Score(t.X[i]))
		if p, ok := model.Probability(t.X[i]); ok {
			hs.Probabilities = append(hs.Probabilities, p)
		}
	}
	return hs
}

// bestF1 is the curve's point of the highest F1.
func bestF1(curve []eval.PRPoint) eval.PRPoint {
	best, bf := curve[0], -1.0
	for _, p := range curve {
		if p.Precision+p.Recall == 0 {
			continue
		}
		if f := 2 * p.Precision * p.Recall / (p.Precision + p.Recall); f > bf {
			best, bf = p, f
		}
	}
	return best
}

// pick is ys at idx.
func pick(ys []bool, idx []int) []bool {
	out := make([]bool, len(idx))
	for k, i := range idx {
		out[k] = ys[i]
	}
	return out
}

// paired compares r with first on the same pooled outer test scores.
func paired(first, r *PipelineResult, labels []bool, p *Protocol, seed uint64) (*Paired, error) {
	d, err := compare.DeLong(first.scores, r.scores, labels)
	if err != nil {
		return nil, err
	}
	if d, err = d.WithAlpha(p.Alpha); err != nil {
		return nil, err
	}
	ap, err := compare.PairedBootstrapAP(first.scores, r.scores, labels, &eval.BootstrapOptions{Resamples: p.Resamples, Alpha: p.Alpha, Seed: seed})
	if err != nil {
		return nil, err
	}
	return &Paired{Against: first.Name, DeLong: d, AP: ap}, nil
}
