package trainers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	_ "go4.org/unsafe/assume-no-moving-gc"
	G "gorgonia.org/gorgonia"

	"github.com/vigil-ml/vigil/graph"
)

// regressionTask fits y = 0.8·x0 - 0.5·x1 + 0.3·x2 with
// pred = tanh((x + noise)·w1)·w2, where noise ~ N(0, 0.05²) in train mode.
type regressionTask struct {
	reg    *graph.Registry
	x, y   []float32 // training set, [n,3] and [n,1]
	vx, vy []float32 // validation set
	progs  map[int]*batchProgram
	val    *batchProgram
}

// batchProgram is a compiled graph over a fixed number of rows.
type batchProgram struct {
	prog *graph.Program
	x, y *G.Node
}

const (
	taskTrain = 22
	taskVal   = 8
	taskIn    = 3
	taskHid   = 6
)

// newRegressionTask builds the task; initSeed drives the weight init only,
// the data are fixed.
func newRegressionTask(t *testing.T, initSeed uint64) *regressionTask {
	t.Helper()
	data := rand.New(rand.NewPCG(99, 1))
	gen := func(n int) ([]float32, []float32) {
		x, y := make([]float32, n*taskIn), make([]float32, n)
		for i := 0; i < n; i++ {
			for j := 0; j < taskIn; j++ {
				x[i*taskIn+j] = float32(2*data.Float64() - 1)
			}
			y[i] = 0.8*x[i*taskIn] - 0.5*x[i*taskIn+1] + 0.3*x[i*taskIn+2]
		}
		return x, y
	}
	task := &regressionTask{reg: graph.NewRegistry(), progs: map[int]*batchProgram{}}
	task.x, task.y = gen(taskTrain)
	task.vx, task.vy = gen(taskVal)
	init := rand.New(rand.NewPCG(initSeed, 2))
	if _, err := task.reg.Add("w1", []int{taskIn, taskHid}, graph.GlorotUniform(taskIn, taskHid), init); err != nil {
		t.Fatal(err)
	}
	if _, err := task.reg.Add("w2", []int{taskHid, 1}, graph.GlorotUniform(taskHid, 1), init); err != nil {
		t.Fatal(err)
	}
	val, err := task.build(taskVal, graph.Eval)
	if err != nil {
		t.Fatal(err)
	}
	if err := graph.SetInput(val.x, task.vx); err != nil {
		t.Fatal(err)
	}
	if err := graph.SetInput(val.y, task.vy); err != nil {
		t.Fatal(err)
	}
	task.val = val
	t.Cleanup(task.close)
	return task
}

// build compiles the model for rows examples.
func (r *regressionTask) build(rows int, mode graph.Mode) (*batchProgram, error) {
	b := graph.NewBuilder(r.reg, mode)
	x := b.Input("x", rows, taskIn)
	y := b.Input("y", rows, 1)
	in := x
	if mode == graph.Train {
		noise := b.NoiseInput("noise", []int{rows, taskIn}, func(rng *rand.Rand, dst []float32) {
			for i := range dst {
				dst[i] = float32(0.05 * rng.NormFloat64())
			}
		})
		var err error
		if in, err = G.Add(x, noise); err != nil {
			return nil, err
		}
	}
	h, err := G.Mul(in, b.Param(r.reg.Get("w1")))
	if err != nil {
		return nil, err
	}
	if h, err = G.Tanh(h); err != nil {
		return nil, err
	}
	pred, err := G.Mul(h, b.Param(r.reg.Get("w2")))
	if err != nil {
		return nil, err
	}
	diff, err := G.Sub(pred, y)
	if err != nil {
		return nil, err
	}
	sq, err := G.Square(diff)
	if err != nil {
		return nil, err
	}
	loss, err := G.Mean(sq)
	if err != nil {
		return nil, err
	}
	prog, err := graph.Compile(b, loss, mode == graph.Train)
	if err != nil {
		return nil, err
	}
	return &batchProgram{prog: prog, x: x, y: y}, nil
}

func (r *regressionTask) close() {
	for _, p := range r.progs {
		p.prog.Close()
	}
	r.val.prog.Close()
}

func (r *regressionTask) TrainLen() int { return taskTrain }

func (r *regressionTask) Params() []*graph.Param { return r.reg.Params() }

func (r *regressionTask) TrainStep(idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	bp, ok := r.progs[len(idx)]
	if !ok {
		var err error
		if bp, err = r.build(len(idx), graph.Train); err != nil {
			return 0, nil, err
		}
		r.progs[len(idx)] = bp
	}
	x, y := make([]float32, 0, len(idx)*taskIn), make([]float32, 0, len(idx))
	for _, i := range idx {
		x = append(x, r.x[i*taskIn:(i+1)*taskIn]...)
		y = append(y, r.y[i])
	}
	if err := graph.SetInput(bp.x, x); err != nil {
		return 0, nil, err
	}
	if err := graph.SetInput(bp.y, y); err != nil {
		return 0, nil, err
	}
	if err := bp.prog.Run(rng); err != nil {
		return 0, nil, err
	}
	loss, err := bp.prog.Loss()
	if err != nil {
		return 0, nil, err
	}
	grads, err := bp.prog.Grads()
	if err != nil {
		return 0, nil, err
	}
	// gorgonia accumulates into the gradient buffers across runs (its own
	// solvers zero them after use), so take a copy and zero them.
	byParam := map[*graph.Param][]float32{}
	for i, p := range bp.prog.Params() {
		byParam[p] = append([]float32(nil), grads[i]...)
		clear(grads[i])
	}
	out := make([][]float32, 0, len(r.reg.Params()))
	for _, p := range r.reg.Params() {
		out = append(out, byParam[p])
	}
	return loss, out, nil
}

func (r *regressionTask) ValidationLoss() (float64, bool, error) {
	if err := r.val.prog.Run(nil); err != nil {
		return 0, false, err
	}
	l, err := r.val.prog.Loss()
	return l, err == nil, err
}

// weights copies every parameter's values.
func weights(task Task) [][]float32 {
	var out [][]float32
	for _, p := range task.Params() {
		out = append(out, append([]float32(nil), p.Data()...))
	}
	return out
}

// diffWeights describes the first bitwise difference, or returns "".
func diffWeights(a, b [][]float32) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d vs %d parameters", len(a), len(b))
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return fmt.Sprintf("parameter %d: %d vs %d values", i, len(a[i]), len(b[i]))
		}
		for j := range a[i] {
			if math.Float32bits(a[i][j]) != math.Float32bits(b[i][j]) {
				return fmt.Sprintf("parameter %d value %d: %v vs %v", i, j, a[i][j], b[i][j])
			}
		}
	}
	return ""
}
