package layers

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

// The shapes of the next-system-call language model: 341 call ids embedded
// in 32 dimensions, an LSTM of 200 units, windows of 64 calls, batch 64.
const (
	lmVocab, lmEmb, lmHidden = 341, 32, 200
	lmSteps, lmBatch         = 64, 64
)

// reportTokens adds the tokens (time steps × sequences) per second of
// b.N passes.
func reportTokens(b *testing.B, steps, batch int) {
	b.ReportMetric(float64(steps*batch)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// benchLM times one training step (forward and backward, mean
// cross-entropy) of the language model on the tape machine.
func benchLM(b *testing.B, layers int) {
	rng := rand.New(rand.NewPCG(1, 1))
	reg := graph.NewRegistry()
	emb, err := NewEmbedding(reg, "emb", lmVocab, lmEmb, rng)
	if err != nil {
		b.Fatal(err)
	}
	lstm, err := NewLSTM(reg, "lstm", lmEmb, lmHidden, layers, 0.2, rng)
	if err != nil {
		b.Fatal(err)
	}
	out, err := NewDense(reg, "out", lmHidden, lmVocab, Linear, rng)
	if err != nil {
		b.Fatal(err)
	}
	bld := graph.NewBuilder(reg, graph.Train)
	ids := bld.Int32Input("ids", lmSteps, lmBatch)
	targets := bld.Int32Input("targets", lmSteps*lmBatch)
	seq := make([]int32, lmSteps*lmBatch+1)
	for i := range seq {
		seq[i] = int32(rng.IntN(lmVocab))
	}
	if err := graph.SetInt32s(ids, seq[:len(seq)-1]); err != nil {
		b.Fatal(err)
	}
	if err := graph.SetInt32s(targets, seq[1:]); err != nil {
		b.Fatal(err)
	}
	x, err := emb.Forward(bld, ids)
	if err != nil {
		b.Fatal(err)
	}
	h, err := lstm.Forward(bld, x)
	if err != nil {
		b.Fatal(err)
	}
	if h, err = Reshape(h, lmSteps*lmBatch, lmHidden); err != nil {
		b.Fatal(err)
	}
	logits, err := out.Forward(bld, h)
	if err != nil {
		b.Fatal(err)
	}
	rows, err := SoftmaxCrossEntropy(logits, targets)
	if err != nil {
		b.Fatal(err)
	}
	loss, err := G.Mean(rows)
	if err != nil {
		b.Fatal(err)
	}
	prog, err := graph.Compile(bld, loss, true)
	if err != nil {
		b.Fatal(err)
	}
	defer prog.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := prog.Run(rng); err != nil {
			b.Fatal(err)
		}
	}
	reportTokens(b, lmSteps, lmBatch)
}

// BenchmarkLSTMLMStep is one training step of the 1-layer language model.
func BenchmarkLSTMLMStep(b *testing.B) { benchLM(b, 1) }

// BenchmarkLSTMLMStep2Layers is the same with two stacked LSTM layers.
func BenchmarkLSTMLMStep2Layers(b *testing.B) { benchLM(b, 2) }

// BenchmarkLSTMOp times the LSTM layer alone, forward and backward
// (loss Σ h ⊙ r), with its input's gradient.
func BenchmarkLSTMOp(b *testing.B) {
	benchLayer(b, []int{lmSteps, lmBatch, lmEmb}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewLSTM(reg, "lstm", lmEmb, lmHidden, 1, 0, rng)
	})
	reportTokens(b, lmSteps, lmBatch)
}
