package linear

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	"github.com/vigil-ml/vigil/models"
)

// classWeights are c+ and c−, the loss weights of a positive and a
// negative example before normalisation.
type classWeights struct{ pos, neg float64 }

// Net is one compiled graph for a fixed batch.
type Net struct {
	Batch   int
	Mode    graph.Mode
	Program graph.Runner
	X       *G.Node // features [Batch, Features]
	S       *G.Node // signs [Batch, 1]: +1 positive, −1 negative, 0 unlabelled or padding
	C       *G.Node // loss weights [Batch, 1]: c_{y_i} / norm, 0 for unlabelled and padding rows
	// Decision is w·x + b [Batch, 1].
	Decision *G.Node
	// Hinge is max(0, 1 − s·decision) [Batch, 1].
	Hinge *G.Node
	// Loss is Σ C ⊙ Hinge, plus (λ/2)·|W|² in train nets: with C
	// normalised by the batch's total weight, the batch's loss.
	Loss *G.Node

	features int
	x        []float32
	s, c     []float32
}

// build constructs and compiles a net; train nets carry gradients and the
// L2 term, eval nets output Decision.
func (m *Model) build(mode graph.Mode, batch int, factory graph.RunnerFactory) (*Net, error) {
	if batch < 1 {
		return nil, fmt.Errorf("linear: batch %d must be positive", batch)
	}
	d, B := m.Config.Features, batch
	b := graph.NewBuilder(m.Reg, mode)
	n := &Net{Batch: B, Mode: mode, features: d, x: make([]float32, B*d), s: make([]float32, B), c: make([]float32, B)}
	n.X = b.Input("x", B, d)
	n.S = b.Input("signs", B, 1)
	n.C = b.Input("class_weights", B, 1)
	var err error
	if n.Decision, err = m.Dense.Forward(b, n.X); err != nil {
		return nil, err
	}
	if n.Hinge, err = hinge(n.Decision, n.S); err != nil {
		return nil, err
	}
	weighted, err := G.HadamardProd(n.Hinge, n.C)
	if err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	if n.Loss, err = G.Sum(weighted); err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	if mode == graph.Train && m.Config.L2 > 0 {
		if n.Loss, err = addL2(n.Loss, b.Param(m.Dense.W), m.Config.L2); err != nil {
			return nil, err
		}
	}
	var outputs []*G.Node
	if mode == graph.Eval {
		outputs = append(outputs, n.Decision)
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

// hinge is max(0, 1 − s ⊙ f), the maximum a ReLU.
func hinge(f, s *G.Node) (*G.Node, error) {
	margin, err := G.HadamardProd(s, f)
	if err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	slack, err := G.Sub(G.NewConstant(float32(1), G.WithName("one")), margin)
	if err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	return layers.Activate(slack, layers.ReLU)
}

// addL2 is loss + (λ/2)·Σ w².
func addL2(loss, w *G.Node, lambda float64) (*G.Node, error) {
	sq, err := G.Square(w)
	if err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	sum, err := G.Sum(sq)
	if err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	reg, err := G.Mul(sum, G.NewConstant(float32(lambda/2), G.WithName("half_l2")))
	if err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	if loss, err = G.Add(loss, reg); err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	return loss, nil
}

// fill sets the inputs to examples idx (at most Batch). With labels, a
// positive example weighs cw.pos and a negative one cw.neg, divided by
// norm (by the batch's total weight when norm is 0); rows past len(idx),
// and examples labelled models.Pad, weigh 0, as every row does without
// labels (scoring). It returns the batch's total weight before division.
func (n *Net) fill(ex models.Examples, idx []int, cw classWeights, norm float64, labels bool) (float64, error) {
	if len(idx) == 0 || len(idx) > n.Batch {
		return 0, fmt.Errorf("linear: %d examples for a batch of %d", len(idx), n.Batch)
	}
	if ex.FloatSize() != n.features || ex.IntSize() != 1 {
		return 0, fmt.Errorf("linear: examples of %v floats and %v ints, the model takes [%d] floats and [1] int (the label)", ex.FloatShape, ex.IntShape, n.features)
	}
	d := n.features
	var total float64
	for i := range n.Batch {
		row := n.x[i*d : (i+1)*d]
		n.s[i], n.c[i] = 0, 0
		if i >= len(idx) {
			clear(row)
			continue
		}
		j := idx[i]
		if j < 0 || j >= ex.N {
			return 0, fmt.Errorf("linear: example %d out of range [0, %d)", j, ex.N)
		}
		copy(row, ex.FloatAt(j))
		if !labels {
			continue
		}
		switch y := ex.IntAt(j)[0]; y {
		case 1:
			n.s[i] = 1
			total += cw.pos
		case 0:
			n.s[i] = -1
			total += cw.neg
		case models.Pad:
		default:
			return 0, fmt.Errorf("linear: example %d: label %d is not 0, 1 or %d (none)", j, y, models.Pad)
		}
	}
	div := norm
	if div == 0 {
		div = total
	}
	if div > 0 {
		for i, v := range n.s {
			switch v {
			case 1:
				n.c[i] = float32(cw.pos / div)
			case -1:
				n.c[i] = float32(cw.neg / div)
			}
		}
	}
	if err := graph.SetInput(n.X, n.x); err != nil {
		return 0, err
	}
	if err := graph.SetInput(n.S, n.s); err != nil {
		return 0, err
	}
	return total, graph.SetInput(n.C, n.c)
}

// Close releases the net.
func (n *Net) Close() error { return n.Program.Close() }
