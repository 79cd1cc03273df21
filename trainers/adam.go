package trainers

import (
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/graph"
)

// AdamConfig holds Adam's hyperparameters; a zero field takes its default.
type AdamConfig struct {
	LR    float64 // learning rate; default 1e-3
	Beta1 float64 // decay of the first moment, in [0, 1); default 0.9
	Beta2 float64 // decay of the second moment, in [0, 1); default 0.999
	Eps   float64 // added to sqrt(v); default 1e-7 (Keras; PyTorch uses 1e-8)
	// WeightDecay is the coupled L2 weight decay of torch.optim.Adam's
	// weight_decay, >= 0; default 0 (off).
	WeightDecay float64
}

// withDefaults fills zero fields.
func (c AdamConfig) withDefaults() AdamConfig {
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Eps == 0 {
		c.Eps = 1e-7
	}
	return c
}

// validate reports hyperparameters outside their domain.
func (c AdamConfig) validate() error {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !ok(c.LR) || c.LR <= 0:
		return fmt.Errorf("trainers: adam: learning rate %v must be positive", c.LR)
	case !ok(c.Beta1) || c.Beta1 < 0 || c.Beta1 >= 1:
		return fmt.Errorf("trainers: adam: beta1 %v must be in [0, 1)", c.Beta1)
	case !ok(c.Beta2) || c.Beta2 < 0 || c.Beta2 >= 1:
		return fmt.Errorf("trainers: adam: beta2 %v must be in [0, 1)", c.Beta2)
	case !ok(c.Eps) || c.Eps <= 0:
		return fmt.Errorf("trainers: adam: epsilon %v must be positive", c.Eps)
	case !ok(c.WeightDecay) || c.WeightDecay < 0:
		return fmt.Errorf("trainers: adam: weight decay %v must be finite and non-negative", c.WeightDecay)
	}
	return nil
}

// Adam is the Adam optimizer in the form Keras implements it. At step t
// (counting from 1), for every value with gradient g:
//
//	g = g + wd·p                    (when WeightDecay wd > 0)
//	m = β1·m + (1-β1)·g
//	v = β2·v + (1-β2)·g²
//	p = p - lr·sqrt(1-β2^t)/(1-β1^t) · m / (sqrt(v) + ε)
//
// This is the bias correction of Kingma & Ba with ε added to the
// uncorrected sqrt(v) (Keras' ε̂); PyTorch adds ε to sqrt(v/(1-β2^t))
// instead, which differs only while sqrt(v) is comparable to ε.
// Arithmetic is float64 per value; moments are stored as float32.
// StepRows updates only the listed rows and their moments, with the
// global step t in the bias correction (as TensorFlow Addons' LazyAdam).
type Adam struct {
	cfg   AdamConfig
	step  int
	slots slots
}

// NewAdam returns an Adam optimizer; zero fields of cfg take their defaults.
// Out-of-domain values are reported by Step.
func NewAdam(cfg AdamConfig) *Adam {
	return &Adam{cfg: cfg.withDefaults(), slots: newSlots("m", "v")}
}

// Config returns the hyperparameters in use (defaults filled in).
func (a *Adam) Config() AdamConfig { return a.cfg }

// Step applies one Adam update in place; see Optimizer.
func (a *Adam) Step(params []*graph.Param, grads [][]float32) error {
	return a.StepRows(params, grads, nil)
}

// StepRows applies one Adam update in place, lazily for row gradients; see
// RowOptimizer.
func (a *Adam) StepRows(params []*graph.Param, grads [][]float32, rows []*RowGrad) error {
	if err := a.cfg.validate(); err != nil {
		return err
	}
	if err := a.slots.check(params, grads, rows); err != nil {
		return fmt.Errorf("%w (adam step %d)", err, a.step+1)
	}
	lrT := a.stepLR()
	for i, p := range params {
		g, r := grads[i], rowAt(rows, i)
		if g == nil && r == nil {
			continue
		}
		sl := a.slots.get(p)
		m, v, w := sl.bufs[0], sl.bufs[1], p.Data()
		if g != nil {
			a.update(w, m, v, g, lrT)
			continue
		}
		r.eachRow(p, func(lo, hi int, g []float32) {
			a.update(w[lo:hi], m[lo:hi], v[lo:hi], g, lrT)
		})
	}
	a.step++
	return nil
}

// stepLR is lr·sqrt(1-β2^t)/(1-β1^t) of the next step t.
func (a *Adam) stepLR() float64 {
	t := float64(a.step + 1)
	return a.cfg.LR * math.Sqrt(1-math.Pow(a.cfg.Beta2, t)) / (1 - math.Pow(a.cfg.Beta1, t))
}

// update applies the step to the values w with moments m, v and gradient g,
// all of one length.
func (a *Adam) update(w, m, v, g []float32, lrT float64) {
	b1, b2, eps, wd := a.cfg.Beta1, a.cfg.Beta2, a.cfg.Eps, a.cfg.WeightDecay
	for j, gj := range g {
		gd := float64(gj)
		if wd != 0 {
			gd += wd * float64(w[j])
		}
		mj := b1*float64(m[j]) + (1-b1)*gd
		vj := b2*float64(v[j]) + (1-b2)*gd*gd
		m[j], v[j] = float32(mj), float32(vj)
		w[j] = float32(float64(w[j]) - lrT*mj/(math.Sqrt(vj)+eps))
	}
}

// decays reports whether weight decay is on; see decayer.
func (a *Adam) decays() bool { return a.cfg.WeightDecay != 0 }

// State returns Adam's step, hyperparameters (lr, beta1, beta2, epsilon,
// weight_decay) and copies of its m and v tensors.
func (a *Adam) State() OptimizerState {
	return OptimizerState{
		Name: "adam",
		Step: a.step,
		Hyper: map[string]float64{
			"lr": a.cfg.LR, "beta1": a.cfg.Beta1, "beta2": a.cfg.Beta2, "epsilon": a.cfg.Eps,
			"weight_decay": a.cfg.WeightDecay,
		},
		Tensors: a.slots.tensors(),
	}
}

// Restore replaces Adam's state, hyperparameters included (as PyTorch's
// load_state_dict does); see Optimizer. A state without weight_decay (an
// older checkpoint) restores it as 0.
func (a *Adam) Restore(s OptimizerState) error {
	if s.Name != "adam" {
		return fmt.Errorf("trainers: restore adam from %q state", s.Name)
	}
	if s.Step < 0 {
		return fmt.Errorf("trainers: restore adam: negative step %d", s.Step)
	}
	if err := checkHyper("adam", s.Hyper, []string{"lr", "beta1", "beta2", "epsilon"}, "weight_decay"); err != nil {
		return err
	}
	cfg := AdamConfig{LR: s.Hyper["lr"], Beta1: s.Hyper["beta1"], Beta2: s.Hyper["beta2"], Eps: s.Hyper["epsilon"],
		WeightDecay: s.Hyper["weight_decay"]}
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("trainers: restore: %w", err)
	}
	sl, err := a.slots.parse(s.Tensors)
	if err != nil {
		return fmt.Errorf("trainers: restore adam: %w", err)
	}
	a.cfg, a.step, a.slots = cfg, s.Step, sl
	return nil
}
