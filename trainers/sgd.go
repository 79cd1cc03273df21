package trainers

import (
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/graph"
)

// SGDConfig holds SGD's hyperparameters; a zero field takes its default.
type SGDConfig struct {
	LR       float64 // learning rate; default 0.01
	Momentum float64 // in [0, 1); default 0 (plain gradient descent)
	Nesterov bool    // Nesterov momentum; needs Momentum > 0; default false
	// WeightDecay is the coupled L2 weight decay of torch.optim.SGD's
	// weight_decay, >= 0; default 0 (off).
	WeightDecay float64
}

// validate reports hyperparameters outside their domain.
func (c SGDConfig) validate() error {
	switch {
	case math.IsNaN(c.LR) || math.IsInf(c.LR, 0) || c.LR <= 0:
		return fmt.Errorf("trainers: sgd: learning rate %v must be positive", c.LR)
	case math.IsNaN(c.Momentum) || c.Momentum < 0 || c.Momentum >= 1:
		return fmt.Errorf("trainers: sgd: momentum %v must be in [0, 1)", c.Momentum)
	case c.Nesterov && c.Momentum == 0:
		return fmt.Errorf("trainers: sgd: Nesterov momentum needs a positive momentum")
	case math.IsNaN(c.WeightDecay) || math.IsInf(c.WeightDecay, 0) || c.WeightDecay < 0:
		return fmt.Errorf("trainers: sgd: weight decay %v must be finite and non-negative", c.WeightDecay)
	}
	return nil
}

// SGD is stochastic gradient descent with optional (Nesterov) momentum, in
// the Keras form: with velocity u (initially 0) and gradient g,
//
//	g = g + wd·p                    (when WeightDecay wd > 0)
//	u = momentum·u - lr·g
//	p = p + u                       (plain momentum)
//	p = p + momentum·u - lr·g       (Nesterov)
//
// which with a constant learning rate equals PyTorch's form. Without
// momentum it keeps no tensors. StepRows updates only the listed rows and
// their velocities.
type SGD struct {
	cfg   SGDConfig
	step  int
	slots slots
}

// NewSGD returns an SGD optimizer; a zero LR takes its default. Out-of-domain
// values are reported by Step.
func NewSGD(cfg SGDConfig) *SGD {
	if cfg.LR == 0 {
		cfg.LR = 0.01
	}
	return &SGD{cfg: cfg, slots: newSlots("velocity")}
}

// Config returns the hyperparameters in use (defaults filled in).
func (s *SGD) Config() SGDConfig { return s.cfg }

// Step applies one update in place; see Optimizer.
func (s *SGD) Step(params []*graph.Param, grads [][]float32) error {
	return s.StepRows(params, grads, nil)
}

// StepRows applies one update in place, lazily for row gradients; see
// RowOptimizer.
func (s *SGD) StepRows(params []*graph.Param, grads [][]float32, rows []*RowGrad) error {
	if err := s.cfg.validate(); err != nil {
		return err
	}
	if err := s.slots.check(params, grads, rows); err != nil {
		return fmt.Errorf("%w (sgd step %d)", err, s.step+1)
	}
	for i, p := range params {
		g, r := grads[i], rowAt(rows, i)
		if g == nil && r == nil {
			continue
		}
		var u []float32
		if s.cfg.Momentum != 0 {
			u = s.slots.get(p).bufs[0]
		}
		w := p.Data()
		if g != nil {
			s.update(w, u, g)
			continue
		}
		r.eachRow(p, func(lo, hi int, g []float32) {
			if u == nil {
				s.update(w[lo:hi], nil, g)
			} else {
				s.update(w[lo:hi], u[lo:hi], g)
			}
		})
	}
	s.step++
	return nil
}

// update applies the step to the values w with velocity u (nil without
// momentum) and gradient g, all of one length.
func (s *SGD) update(w, u, g []float32) {
	lr, mu, wd := s.cfg.LR, s.cfg.Momentum, s.cfg.WeightDecay
	for j, gj := range g {
		gd := float64(gj)
		if wd != 0 {
			gd += wd * float64(w[j])
		}
		if u == nil {
			w[j] = float32(float64(w[j]) - lr*gd)
			continue
		}
		uj := mu*float64(u[j]) - lr*gd
		u[j] = float32(uj)
		if s.cfg.Nesterov {
			w[j] = float32(float64(w[j]) + mu*uj - lr*gd)
		} else {
			w[j] = float32(float64(w[j]) + uj)
		}
	}
}

// decays reports whether weight decay is on; see decayer.
func (s *SGD) decays() bool { return s.cfg.WeightDecay != 0 }

// State returns SGD's step, hyperparameters (lr, momentum, nesterov as 0/1,
// weight_decay) and copies of its velocity tensors.
func (s *SGD) State() OptimizerState {
	nesterov := 0.0
	if s.cfg.Nesterov {
		nesterov = 1
	}
	return OptimizerState{
		Name: "sgd",
		Step: s.step,
		Hyper: map[string]float64{
			"lr": s.cfg.LR, "momentum": s.cfg.Momentum, "nesterov": nesterov, "weight_decay": s.cfg.WeightDecay,
		},
		Tensors: s.slots.tensors(),
	}
}

// Restore replaces SGD's state, hyperparameters included; see Optimizer. A
// state without weight_decay (an older checkpoint) restores it as 0.
func (s *SGD) Restore(st OptimizerState) error {
	if st.Name != "sgd" {
		return fmt.Errorf("trainers: restore sgd from %q state", st.Name)
	}
	if st.Step < 0 {
		return fmt.Errorf("trainers: restore sgd: negative step %d", st.Step)
	}
	if err := checkHyper("sgd", st.Hyper, []string{"lr", "momentum", "nesterov"}, "weight_decay"); err != nil {
		return err
	}
	n := st.Hyper["nesterov"]
	if n != 0 && n != 1 {
		return fmt.Errorf("trainers: restore sgd: nesterov %v must be 0 or 1", n)
	}
	cfg := SGDConfig{LR: st.Hyper["lr"], Momentum: st.Hyper["momentum"], Nesterov: n == 1, WeightDecay: st.Hyper["weight_decay"]}
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("trainers: restore: %w", err)
	}
	sl, err := s.slots.parse(st.Tensors)
	if err != nil {
		return fmt.Errorf("trainers: restore sgd: %w", err)
	}
	s.cfg, s.step, s.slots = cfg, st.Step, sl
	return nil
}
