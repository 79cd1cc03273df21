package lstm

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	"github.com/vigil-ml/vigil/models"
)

// Net is one compiled graph for a fixed batch. Inputs are time-major: the
// id at position t of example b is at t*Batch+b.
type Net struct {
	Batch   int
	Mode    graph.Mode
	Program graph.Runner
	X, Y    *G.Node // input ids and next-call targets [T*Batch] (int32)
	W       *G.Node // per-position loss weights [T*Batch]: 1/count for counted targets, else 0
	NLL     *G.Node // per-position negative log-likelihood of the target [T*Batch]
	Prob    *G.Node // per-position probability of the target [T*Batch]; eval nets only
	Loss    *G.Node // weighted sum of NLL: the mean over counted targets

	steps int
	x, y  []int32
	w     []float32
}

// build constructs and compiles a net; train nets carry gradients.
func (m *Model) build(mode graph.Mode, batch int, factory graph.RunnerFactory) (*Net, error) {
	if batch <= 0 {
		return nil, fmt.Errorf("lstm: batch %d must be positive", batch)
	}
	T, B := m.Config.Steps, batch
	b := graph.NewBuilder(m.Reg, mode)
	n := &Net{Batch: B, Mode: mode, steps: T, x: make([]int32, T*B), y: make([]int32, T*B), w: make([]float32, T*B)}
	n.X = b.Int32Input("x", T*B)
	n.Y = b.Int32Input("y", T*B)
	n.W = b.Input("w", T*B)
	e, err := m.embed.Forward(b, n.X)
	if err != nil {
		return nil, err
	}
	if e, err = layers.Reshape(e, T, B, m.Config.Embedding); err != nil {
		return nil, err
	}
	h, err := m.lstm.Forward(b, e)
	if err != nil {
		return nil, err
	}
	if h, err = layers.Reshape(h, T*B, m.Config.Hidden); err != nil {
		return nil, err
	}
	if h, err = (layers.Dropout{Rate: m.Config.OutputDropout}).Forward(b, h); err != nil {
		return nil, err
	}
	logits, err := m.out.Forward(b, h)
	if err != nil {
		return nil, err
	}
	if n.NLL, err = layers.SoftmaxCrossEntropy(logits, n.Y); err != nil {
		return nil, err
	}
	weighted, err := G.HadamardProd(n.NLL, n.W)
	if err != nil {
		return nil, fmt.Errorf("lstm: %w", err)
	}
	if n.Loss, err = G.Sum(weighted); err != nil {
		return nil, fmt.Errorf("lstm: %w", err)
	}
	outputs := []*G.Node{n.NLL}
	if mode == graph.Eval {
		if n.Prob, err = layers.TargetProb(n.NLL); err != nil {
			return nil, err
		}
		outputs = append(outputs, n.Prob)
	}
	prog, err := graph.Compile(b, n.Loss, mode == graph.Train)
	if err != nil {
		return nil, err
	}
	n.Program = prog
	if factory != nil {
		if n.Program, err = factory(prog, outputs...); err != nil {
			_ = prog.Close()
			return nil, err
		}
	}
	return n, nil
}

// fill sets the inputs to windows idx (at most Batch); positions past
// len(idx), padded inputs and padded targets count for nothing. It returns
// the number of counted targets.
func (n *Net) fill(ex models.Examples, idx []int) error {
	_, err := n.fillCount(ex, idx)
	return err
}

func (n *Net) fillCount(ex models.Examples, idx []int) (int, error) {
	if len(idx) == 0 || len(idx) > n.Batch {
		return 0, fmt.Errorf("lstm: %d windows for a batch of %d", len(idx), n.Batch)
	}
	if ex.IntSize() != n.steps+1 {
		return 0, fmt.Errorf("lstm: windows of %d ids, the model takes %d", ex.IntSize(), n.steps+1)
	}
	T, B := n.steps, n.Batch
	counted := 0
	for i := 0; i < B; i++ {
		var win []int32
		if i < len(idx) {
			if idx[i] < 0 || idx[i] >= ex.N {
				return 0, fmt.Errorf("lstm: window %d out of range [0, %d)", idx[i], ex.N)
			}
			win = ex.IntAt(idx[i])
		}
		for t := 0; t < T; t++ {
			k := t*B + i
			n.x[k], n.y[k], n.w[k] = 0, layers.IgnoreTarget, 0
			if win == nil {
				continue
			}
			if win[t] != models.Pad {
				n.x[k] = win[t]
			}
			if win[t+1] != models.Pad {
				n.y[k] = win[t+1]
				counted++
			}
		}
	}
	if counted > 0 {
		for k, y := range n.y {
			if y != layers.IgnoreTarget {
				n.w[k] = 1 / float32(counted)
			}
		}
	}
	if err := graph.SetInt32s(n.X, n.x); err != nil {
		return 0, err
	}
	if err := graph.SetInt32s(n.Y, n.y); err != nil {
		return 0, err
	}
	return counted, graph.SetInput(n.W, n.w)
}

// Close releases the net.
func (n *Net) Close() error { return n.Program.Close() }
