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
	}
	return nil
}

// SGD is stochastic gradient descent with optional (Nesterov) momentum, in
// the Keras form: with velocity u (initially 0) and gradient g,
//
//	u = momentum·u - lr·g
//	p = p + u                       (plain momentum)
//	p = p + momentum·u - lr·g       (Nesterov)
//
// which with a constant learning rate equals PyTorch's form. Without
// momentum it keeps no tensors.
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
	if err := s.cfg.validate(); err != nil {
		return err
	}
	if err := s.slots.check(params, grads); err != nil {
		return fmt.Errorf("%w (sgd step %d)", err, s.step+1)
	}
	lr, mu := s.cfg.LR, s.cfg.Momentum
	for i, p := range params {
		g, w := grads[i], p.Data()
		if g == nil {
			continue
		}
		if mu == 0 {
			for j, gj := range g {
				w[j] = float32(float64(w[j]) - lr*float64(gj))
			}
			continue
		}
		u := s.slots.get(p).bufs[0]
		for j, gj := range g {
			uj := mu*float64(u[j]) - lr*float64(gj)
			u[j] = float32(uj)
			if s.cfg.Nesterov {
				w[j] = float32(float64(w[j]) + mu*uj - lr*float64(gj))
			} else {
				w[j] = float32(float64(w[j]) + uj)
			}
		}
	}
	s.step++
	return nil
}

// State returns SGD's step, hyperparameters (lr, momentum, nesterov as 0/1)
// and copies of its velocity tensors.
func (s *SGD) State() OptimizerState {
	nesterov := 0.0
	if s.cfg.Nesterov {
		nesterov = 1
	}
	return OptimizerState{
		Name:    "sgd",
		Step:    s.step,
		Hyper:   map[string]float64{"lr": s.cfg.LR, "momentum": s.cfg.Momentum, "nesterov": nesterov},
		Tensors: s.slots.tensors(),
	}
}

// Restore replaces SGD's state, hyperparameters included; see Optimizer.
func (s *SGD) Restore(st OptimizerState) error {
	if st.Name != "sgd" {
		return fmt.Errorf("trainers: restore sgd from %q state", st.Name)
	}
	if st.Step < 0 {
		return fmt.Errorf("trainers: restore sgd: negative step %d", st.Step)
	}
	if err := checkHyper("sgd", st.Hyper, "lr", "momentum", "nesterov"); err != nil {
		return err
	}
	n := st.Hyper["nesterov"]
	if n != 0 && n != 1 {
		return fmt.Errorf("trainers: restore sgd: nesterov %v must be 0 or 1", n)
	}
	cfg := SGDConfig{LR: st.Hyper["lr"], Momentum: st.Hyper["momentum"], Nesterov: n == 1}
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
