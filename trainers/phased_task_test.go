package trainers

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
)

// ganTask is a 1-D adversarial problem with gradients derived by hand. For
// example j of the batch the generator's sample is f_j = g + sigma·z_j, z_j ~
// N(0, 1) from the noise generator, and the discriminator is D(x) =
// σ(w·x + b); with softplus(u) = log(1 + e^u) and softplus' = σ:
//
//	generator:     L_G = mean_j softplus(-(w·f_j + b))
//	               ∂L_G/∂g = mean_j -σ(-(w·f_j + b))·w
//	discriminator: L_D = mean_i softplus(-(w·x_i + b)) + mean_j softplus(w·f_j + b)
//	               ∂L_D/∂w = mean_i -σ(-(w·x_i + b))·x_i + mean_j σ(w·f_j + b)·f_j
//	               ∂L_D/∂b = mean_i -σ(-(w·x_i + b)) + mean_j σ(w·f_j + b)
//
// where x_i are the batch's real samples. Each call draws one z per example,
// also when sigma is 0.
type ganTask struct {
	g, w, b  *graph.Param
	real     []float64 // training samples
	valReal  []float64 // validation samples
	sigma    float64
	names    [2]string // phase names; default generator, discriminator
	rounds   [2]int
	lr       [2]float64
	genAlso  []*graph.Param // extra parameters of the generator phase
	poisonD  int            // 1-based discriminator call whose gradient is NaN; 0 = none
	calls    []ganCall
	discSeen int
}

// ganCall records one PhaseStep call.
type ganCall struct {
	phase   int
	g, w, b float32 // the parameters as the call saw them
	loss    float64
	norm    float64 // of the returned gradients, before clipping
}

// newGANTask builds the task with n real samples from N(2, 0.5²) (fixed
// data) and parameters g, w, b drawn from initSeed.
func newGANTask(t *testing.T, initSeed uint64, n int) *ganTask {
	t.Helper()
	data := rand.New(rand.NewPCG(97, 1))
	sample := func(k int) []float64 {
		out := make([]float64, k)
		for i := range out {
			out[i] = 2 + 0.5*data.NormFloat64()
		}
		return out
	}
	init := rand.New(rand.NewPCG(initSeed, 4))
	task := &ganTask{real: sample(n), valReal: sample(4), names: [2]string{"generator", "discriminator"}}
	task.g = newTable(t, "g", []int{1}, float32(init.Float64()))
	task.w = newTable(t, "w", []int{1}, float32(0.5+init.Float64()))
	task.b = newTable(t, "b", []int{1}, float32(init.Float64()-0.5))
	return task
}

func (k *ganTask) TrainLen() int { return len(k.real) }

func (k *ganTask) Phases() []Phase {
	return []Phase{
		{Name: k.names[0], Params: append([]*graph.Param{k.g}, k.genAlso...), Rounds: k.rounds[0], LR: k.lr[0]},
		{Name: k.names[1], Params: []*graph.Param{k.w, k.b}, Rounds: k.rounds[1], LR: k.lr[1]},
	}
}

func sigmoid(u float64) float64  { return 1 / (1 + math.Exp(-u)) }
func softplus(u float64) float64 { return math.Log1p(math.Exp(u)) }

func (k *ganTask) PhaseStep(p int, idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	g, w, b := float64(k.g.Data()[0]), float64(k.w.Data()[0]), float64(k.b.Data()[0])
	fakes := make([]float64, len(idx))
	for j := range fakes {
		fakes[j] = g + k.sigma*rng.NormFloat64()
	}
	n := float64(len(idx))
	var loss float64
	var grads [][]float32
	if p == 0 {
		var dg float64
		for _, f := range fakes {
			loss += softplus(-(w*f + b)) / n
			dg += -sigmoid(-(w*f + b)) * w / n
		}
		grads = [][]float32{{float32(dg)}}
		for range k.genAlso {
			grads = append(grads, []float32{0})
		}
	} else {
		var dw, db float64
		for _, i := range idx {
			x := k.real[i]
			loss += softplus(-(w*x + b)) / n
			dw += -sigmoid(-(w*x + b)) * x / n
			db += -sigmoid(-(w*x + b)) / n
		}
		for _, f := range fakes {
			loss += softplus(w*f+b) / n
			dw += sigmoid(w*f+b) * f / n
			db += sigmoid(w*f+b) / n
		}
		grads = [][]float32{{float32(dw)}, {float32(db)}}
		if k.discSeen++; k.discSeen == k.poisonD {
			grads[1][0] = float32(math.NaN())
		}
	}
	k.calls = append(k.calls, ganCall{phase: p, g: k.g.Data()[0], w: k.w.Data()[0], b: k.b.Data()[0], loss: loss,
		norm: ClipGradNorm(grads, 0)})
	return loss, grads, nil
}

// ValidationLoss is L_D on the validation samples with fakes f = g.
func (k *ganTask) ValidationLoss() (float64, bool, error) {
	g, w, b := float64(k.g.Data()[0]), float64(k.w.Data()[0]), float64(k.b.Data()[0])
	var loss float64
	for _, x := range k.valReal {
		loss += softplus(-(w*x + b)) / float64(len(k.valReal))
	}
	return loss + softplus(w*g+b), true, nil
}

// params returns the parameters of both phases.
func (k *ganTask) params() []*graph.Param {
	return append(append([]*graph.Param{k.g}, k.genAlso...), k.w, k.b)
}

// ganWeights copies every parameter's values.
func ganWeights(k *ganTask) [][]float32 {
	var out [][]float32
	for _, p := range k.params() {
		out = append(out, append([]float32(nil), p.Data()...))
	}
	return out
}
