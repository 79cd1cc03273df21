package masquerade

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/baseline"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/models"
)

// Metrics is metrics.json: the model and its baseline side by side.
type Metrics struct {
	Config     string         `json:"config"`
	Date       string         `json:"date"`
	Machine    string         `json:"machine"`
	Commit     string         `json:"commit,omitempty"`
	Users      int            `json:"users"`
	Parameters int            `json:"parameters"`
	Seconds    float64        `json:"seconds"`
	Model      eval.SEAResult `json:"model"`
	// ModelExcess is the model's second score where it has one (the
	// ConvVAE's reconstruction BCE minus the input's own entropy).
	ModelExcess eval.SEAResult `json:"model_excess_bce"`
	Baseline    eval.SEAResult `json:"baseline"`
	Anchors     []eval.Anchor  `json:"published_anchors"`
}

// userScores are one user's scores under one named score.
func userScores(results []tasks.Result, sea []string, labels [][]bool, score int) ([]eval.UserScores, string, error) {
	var out []eval.UserScores
	name := ""
	for i, r := range results {
		test, val := r.Scores["test"], r.Scores["validation"]
		if len(test) <= score || len(val) <= score {
			return nil, "", nil
		}
		if r.Name != sea[i] {
			return nil, "", fmt.Errorf("masquerade: result %d is of %q, want %q", i, r.Name, sea[i])
		}
		name = test[score].Name
		out = append(out, eval.UserScores{User: r.Name, Train: val[score].Values, Test: test[score].Values, Labels: labels[i]})
	}
	return out, name, nil
}

// Evaluate scores the naive Bayes baseline and computes the model's and
// the baseline's SEA metrics, the plots and report.html.
func (d *data) Evaluate(ctx context.Context, results []tasks.Result, env tasks.Env) (tasks.Evaluation, error) {
	var train [][]string
	var tests [][][]string
	var names []string
	var labels [][]bool
	for _, u := range d.sea.Users {
		train = append(train, u.Train)
		tests = append(tests, u.Blocks)
		names = append(names, u.Name)
		labels = append(labels, u.Labels)
	}
	nbTrain, nbTest, err := baseline.NaiveBayes{}.ScoreSEA(train, tests, d.cfg.Data.BlockLen)
	if err != nil {
		return tasks.Evaluation{}, fmt.Errorf("naive Bayes baseline: %w", err)
	}
	model, modelName, err := userScores(results, names, labels, 0)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	if model == nil {
		return tasks.Evaluation{}, fmt.Errorf("masquerade: the model gave no test or validation scores")
	}
	excess, excessName, err := userScores(results, names, labels, 1)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	var base []eval.UserScores
	for i, r := range results {
		base = append(base, eval.UserScores{User: r.Name, Train: nbTrain[i], Test: nbTest[i], Labels: labels[i]})
	}
	rates := d.cfg.Eval.FalseAlarmRates
	mres, err := eval.EvaluateSEA(model, rates)
	if err != nil {
		return tasks.Evaluation{}, fmt.Errorf("evaluate model: %w", err)
	}
	bres, err := eval.EvaluateSEA(base, rates)
	if err != nil {
		return tasks.Evaluation{}, fmt.Errorf("evaluate baseline: %w", err)
	}
	m := &Metrics{
		Config: env.Name, Date: time.Now().UTC().Format(time.RFC3339), Machine: tasks.Machine(), Commit: tasks.Commit(),
		Users: len(results), Model: mres, Baseline: bres, Anchors: eval.PublishedAnchors(),
	}
	if len(results) > 0 {
		m.Parameters = results[0].Params
	}
	systems := []system{{env.Kind + " (" + modelName + ")", model, mres}}
	if excess != nil {
		if m.ModelExcess, err = eval.EvaluateSEA(excess, rates); err != nil {
			return tasks.Evaluation{}, fmt.Errorf("evaluate model (%s): %w", excessName, err)
		}
		systems = append(systems, system{env.Kind + " (" + excessName + ")", excess, m.ModelExcess})
	}
	systems = append(systems, system{"naive Bayes", base, bres})
	nearest, err := d.inspect(ctx, env)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	if err := d.writeReport(env, m, systems, results, nearest); err != nil {
		return tasks.Evaluation{}, err
	}
	m.Seconds = time.Since(env.Start).Seconds()
	return tasks.Evaluation{Metrics: m, Summary: summary(m, systems)}, nil
}

// system is one scored system of the report.
type system struct {
	name   string
	users  []eval.UserScores
	result eval.SEAResult
}

// inspect decodes a test block of the first user with a masquerade block
// to the nearest commands, when the model reconstructs its input.
func (d *data) inspect(ctx context.Context, env tasks.Env) (*nearestTable, error) {
	if d.cfg.Eval.NearestRows == 0 || env.Model == nil {
		return nil, nil
	}
	i := max(0, slices.IndexFunc(d.sea.Users, func(u datasets.SEAUser) bool { return slices.Contains(u.Labels, true) }))
	s, err := env.Model(i)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	rec, ok := s.(models.Reconstructor)
	if !ok {
		return nil, nil
	}
	unit, err := d.Unit(i)
	if err != nil {
		return nil, err
	}
	return buildNearestTable(rec, unit.Sets[0].Examples, d.sea.Users[i], d.table, d.cfg.Eval.NearestRows)
}

// summary is a short plain-text table of the results.
func summary(m *Metrics, systems []system) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d users, %d parameters per model, %.0fs\n", m.Config, m.Users, m.Parameters, m.Seconds)
	fmt.Fprintf(&b, "%-24s %8s", "", "AUC")
	for _, t := range m.Model.Pooled {
		fmt.Fprintf(&b, "  hit@%.1f%%FA", 100*t.TargetFA)
	}
	fmt.Fprintln(&b)
	for _, s := range systems {
		fmt.Fprintf(&b, "%-24s %8.4f", s.name, s.result.AUC)
		for _, t := range s.result.Pooled {
			fmt.Fprintf(&b, "  %10.1f%%", 100*t.HitRate)
		}
		fmt.Fprintln(&b)
	}
	return b.String()
}
