package tabular

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/datasets/oversample"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/forest"
	"github.com/vigil-ml/vigil/models/linear"
	"github.com/vigil-ml/vigil/models/ocsvm"
	"github.com/vigil-ml/vigil/models/svm"
)

// classifier is a fitted classifier: a score that grows with the belief
// that a row is positive, and the classifier's own decision threshold on it.
type classifier interface {
	score(x []float64) float64
	// cut is the classifier's own threshold: it alarms when score > cut.
	cut() float64
	// prob is the class probability of the positive class, when the
	// classifier has one.
	prob(x []float64) (float64, bool)
}

// Model is a fitted pipeline: its scaler and classifier.
type Model struct {
	Pipeline Pipeline
	Params   Params
	scaler   *Scaler
	clf      classifier
}

// Score is the model's anomaly score of the unscaled row x.
func (m *Model) Score(x []float64) float64 { return m.clf.score(m.scaler.apply(x)) }

// Cut is the classifier's own decision threshold on Score.
func (m *Model) Cut() float64 { return m.clf.cut() }

// Probability is the positive class's probability of x, when known.
func (m *Model) Probability(x []float64) (float64, bool) { return m.clf.prob(m.scaler.apply(x)) }

// fitEnv is what a fit needs besides its rows.
type fitEnv struct {
	cfg     Config
	factory graph.RunnerFactory // how the linear model's graphs run
	probs   bool                // fit the probability outputs (the deployed model)
	// observe, when set, sees the table rows of every fit's training part
	// with the outer fold it serves (-1: the deployed model's tuning), for
	// tests of leakage.
	observe func(repeat, fold int, train []int)
}

func (e fitEnv) seen(repeat, fold int, train []int) {
	if e.observe != nil {
		e.observe(repeat, fold, train)
	}
}

// fit fits pipe with params on the rows x, y (unscaled), seeded by seed.
func fit(ctx context.Context, e fitEnv, pipe Pipeline, params Params, x [][]float64, y []bool, seed uint64) (*Model, error) {
	m := &Model{Pipeline: pipe, Params: params}
	if e.cfg.Protocol.Scale == "standard" {
		m.scaler = fitScaler(x)
	}
	x = m.scaler.applyAll(x)
	if pipe.OneClass() {
		var normal [][]float64
		for i, v := range x {
			if !y[i] {
				normal = append(normal, v)
			}
		}
		x, y = normal, make([]bool, len(normal))
	}
	if pipe.Sampler != "" {
		var err error
		if x, y, err = oversampleRows(pipe, params, x, y, seed); err != nil {
			return nil, fmt.Errorf("%s: %w", pipe.Sampler, err)
		}
	}
	var err error
	m.clf, err = fitClassifier(ctx, e, pipe, params, x, y, seed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pipe.Classifier, err)
	}
	return m, nil
}

// oversampleRows adds synthetic positive rows until they are the
// sampler's ratio of the negative rows.
func oversampleRows(pipe Pipeline, params Params, x [][]float64, y []bool, seed uint64) ([][]float64, []bool, error) {
	pos := minority(y)
	n := int(math.Round(params.Ratio*float64(len(y)-pos))) - pos
	if n <= 0 {
		return x, y, nil
	}
	k := min(params.K, pos-1)
	var extra [][]float64
	var err error
	switch pipe.Sampler {
	case "smote":
		extra, err = oversample.SMOTE{K: k, Seed: seed}.Resample(x, y, n)
	case "gsmote":
		extra, err = oversample.GeometricSMOTE{K: k, Truncation: params.Truncation,
			Deformation: params.Deformation, Strategy: params.Selection, Seed: seed}.Resample(x, y, n)
	}
	if err != nil {
		return nil, nil, err
	}
	xs := append(append(make([][]float64, 0, len(x)+n), x...), extra...)
	ys := append(append(make([]bool, 0, len(y)+n), y...), make([]bool, n)...)
	for i := len(y); i < len(ys); i++ {
		ys[i] = true
	}
	return xs, ys, nil
}

// minority counts the positive rows.
func minority(y []bool) int {
	n := 0
	for _, v := range y {
		if v {
			n++
		}
	}
	return n
}

func fitClassifier(ctx context.Context, e fitEnv, pipe Pipeline, p Params, x [][]float64, y []bool, seed uint64) (classifier, error) {
	cfg := e.cfg
	switch pipe.Classifier {
	case "svm", "biased-svm":
		c := svm.Config{C: p.C, Tol: cfg.SVM.Tol, Shrinking: true, Probability: e.probs, Seed: seed,
			Kernel: svm.Kernel{Type: svm.RBF, Gamma: p.Gamma}}
		if cfg.SVM.Kernel == "linear" {
			c.Kernel = svm.Kernel{Type: svm.Linear}
		}
		if pipe.Classifier == "biased-svm" {
			var err error
			if cfg.SVM.Penalty == "ad" {
				c.CPos, c.CNeg, err = svm.ClassWeightsAD(x, y, p.C, svm.DefaultDensityK)
			} else {
				c.CPos, c.CNeg, err = svm.ClassWeightsIR(y, p.C)
			}
			if err != nil {
				return nil, err
			}
		}
		m, err := svm.Train(x, y, c)
		if err != nil {
			return nil, err
		}
		return svmClf{m}, nil
	case "rf":
		c := forest.ForestConfig{NEstimators: cfg.RF.Trees, MaxDepth: p.MaxDepth, MaxFeatures: min(p.MaxFeatures, len(x[0])),
			MinSamplesLeaf: cfg.RF.MinLeaf, Seed: uint32(seed), Workers: 1}
		if cfg.RF.ClassWeight == "balanced" {
			c.ClassWeight = forest.Balanced
		}
		f, err := forest.TrainForest(x, y, c)
		if err != nil {
			return nil, err
		}
		return rfClf{f}, nil
	case "linear":
		l, err := linear.Fit(ctx, x, y, linear.FitConfig{Epochs: cfg.Linear.Epochs, BatchSize: cfg.Linear.BatchSize,
			LR: cfg.Linear.LR, Penalty: cfg.Linear.Penalty, L2: p.L2, Seed: seed}, e.factory)
		if err != nil {
			return nil, err
		}
		return linearClf{l}, nil
	case "iforest":
		f, err := forest.TrainIsolation(x, forest.IsolationConfig{NEstimators: cfg.IForest.Trees, MaxSamples: p.MaxSamples,
			Seed: uint32(seed), Workers: 1})
		if err != nil {
			return nil, err
		}
		return iforestClf{f}, nil
	case "ocsvm":
		m, err := ocsvm.Train(x, ocsvm.Config{Nu: p.Nu, Kernel: svm.Kernel{Type: svm.RBF, Gamma: p.Gamma}})
		if err != nil {
			return nil, err
		}
		return ocsvmClf{m}, nil
	}
	return nil, fmt.Errorf("no classifier %q", pipe.Classifier)
}

type svmClf struct{ m *svm.Model }

func (c svmClf) score(x []float64) float64 { return c.m.Decision(x) }
func (c svmClf) cut() float64              { return 0 }
func (c svmClf) prob(x []float64) (float64, bool) {
	if !c.m.HasProbability() {
		return 0, false
	}
	return c.m.Probability(x), true
}

type rfClf struct{ f *forest.Forest }

func (c rfClf) score(x []float64) float64        { return c.f.Proba(x) }
func (c rfClf) cut() float64                     { return 0.5 }
func (c rfClf) prob(x []float64) (float64, bool) { return c.f.Proba(x), true }

type linearClf struct{ l *linear.Classifier }

func (c linearClf) score(x []float64) float64      { return c.l.Decision(x) }
func (c linearClf) cut() float64                   { return 0 }
func (c linearClf) prob([]float64) (float64, bool) { return 0, false }

// The one-class models' decision functions are negative outside; their
// scores are the negated decisions, so that they grow with anomaly.
type iforestClf struct{ f *forest.Isolation }

func (c iforestClf) score(x []float64) float64      { return -c.f.Decision(x) }
func (c iforestClf) cut() float64                   { return 0 }
func (c iforestClf) prob([]float64) (float64, bool) { return 0, false }

type ocsvmClf struct{ m *ocsvm.Model }

func (c ocsvmClf) score(x []float64) float64      { return -c.m.Decision(x) }
func (c ocsvmClf) cut() float64                   { return 0 }
func (c ocsvmClf) prob([]float64) (float64, bool) { return 0, false }

// marshalClassifier encodes a fitted classifier.
func marshalClassifier(c classifier) (json.RawMessage, error) {
	switch c := c.(type) {
	case svmClf:
		return json.Marshal(c.m)
	case rfClf:
		return json.Marshal(c.f)
	case linearClf:
		return json.Marshal(c.l)
	case iforestClf:
		return json.Marshal(c.f)
	case ocsvmClf:
		return json.Marshal(c.m)
	}
	return nil, fmt.Errorf("tabular: cannot save a %T", c)
}

// unmarshalClassifier decodes the classifier of pipe.
func unmarshalClassifier(pipe Pipeline, raw json.RawMessage) (classifier, error) {
	switch pipe.Classifier {
	case "svm", "biased-svm":
		m := new(svm.Model)
		return svmClf{m}, json.Unmarshal(raw, m)
	case "rf":
		f := new(forest.Forest)
		return rfClf{f}, json.Unmarshal(raw, f)
	case "linear":
		l := new(linear.Classifier)
		return linearClf{l}, json.Unmarshal(raw, l)
	case "iforest":
		f := new(forest.Isolation)
		return iforestClf{f}, json.Unmarshal(raw, f)
	case "ocsvm":
		m := new(ocsvm.Model)
		return ocsvmClf{m}, json.Unmarshal(raw, m)
	}
	return nil, fmt.Errorf("tabular: no classifier %q", pipe.Classifier)
}
