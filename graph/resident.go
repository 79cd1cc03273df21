package graph

import "math/rand/v2"

// Rule is an optimizer update rule a device can apply in place.
type Rule uint8

const (
	// RuleAdam is Keras' Adam: m = β1·m + (1-β1)·g, v = β2·v + (1-β2)·g²,
	// p -= LR·m/(sqrt(v)+Eps), with LR already bias-corrected for the step.
	RuleAdam Rule = iota + 1
	// RuleSGD is p -= LR·g.
	RuleSGD
	// RuleMomentum is u = Momentum·u - LR·g, then p += u, or with Nesterov
	// p += Momentum·u - LR·g.
	RuleMomentum
)

// Moments is the number of moment tensors per parameter the rule keeps.
func (r Rule) Moments() int {
	switch r {
	case RuleAdam:
		return 2
	case RuleMomentum:
		return 1
	}
	return 0
}

// Update is one optimizer step in a form a device can apply where the
// gradients are: the rule, its coefficients for this step, and the
// optimizer's host moment buffers, Moments[i][k] for parameter i (aligned
// with the runner's Params) and moment kind k (Adam: m, v; momentum:
// velocity). The device reads them when it takes the parameters over and
// writes them back on Sync. Arithmetic is float64 per value, as on the
// host.
type Update struct {
	Rule              Rule
	LR                float64 // for Adam, lr·sqrt(1-β2^t)/(1-β1^t) of this step
	Beta1, Beta2, Eps float64
	Momentum          float64
	Nesterov          bool
	Moments           [][][]float32
}

// ResidentRunner is a Runner that can keep the parameters and the optimizer
// moments on its device between runs and update them there, so that no
// parameter or gradient crosses to the host during training. While it
// holds them, the host copies (Param data, Update.Moments) are stale until
// Sync, and host changes are not seen until Release.
type ResidentRunner interface {
	Runner
	// Step runs the graph once as Run does and, when the loss and every
	// gradient are finite, applies u to the device copies; applied is
	// false when something is not finite, in which case nothing was
	// updated and Loss and Grads return that run's values. Of the outputs
	// only the loss is read back (ReadOutputs reads the others). The first
	// Step, and the first after Release, uploads the parameters and
	// u.Moments. Run, while the runner holds the parameters, uses the
	// device copies.
	Step(rng *rand.Rand, u Update) (applied bool, err error)
	// ReadOutputs reads the outputs of the last Step back into their
	// nodes' values (Run does that itself).
	ReadOutputs() error
	// Sync copies the device's parameters and moments into the host's (the
	// Param data and the Moments of the last Step's Update).
	Sync() error
	// Release makes the runner forget its device copies: the next Step
	// uploads the host's values again. Changes not synced are lost.
	Release()
}
