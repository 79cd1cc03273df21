package vaegan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/vigil-ml/vigil/datasets/embed"
	"github.com/vigil-ml/vigil/datasets/syscalls"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// word2vecSeed seeds the call embeddings: they depend on the training
// windows only, so a resumed run fits the same ones.
const word2vecSeed = 0x5eed2fec

// task trains the two updates of a step in turn; it is a
// trainers.PhasedTask.
type task struct {
	m                *Model
	gen              *genNet
	disc             *discNet
	eval             *evalNet
	ex               models.Examples
	trainIdx, valIdx []int
	pos              []int
	calls            []int32 // the calls of the training windows
}

var _ trainers.PhasedTask = (*task)(nil)

// The updates of a step, in order.
const (
	phaseGen  = 0 // encoder and decoder
	phaseDisc = 1 // discriminator
)

func newTask(m *Model, ex models.Examples, trainIdx, valIdx []int, batch, evalBatch int, factory graph.RunnerFactory) (*task, error) {
	if len(trainIdx) == 0 {
		return nil, fmt.Errorf("vaegan: no training windows")
	}
	if ex.IntSize() != m.Config.Steps+1 {
		return nil, fmt.Errorf("vaegan: windows of %d ids, the model takes %d", ex.IntSize(), m.Config.Steps+1)
	}
	if err := m.FitEmbeddings(ex, trainIdx); err != nil {
		return nil, err
	}
	t := &task{m: m, ex: ex, trainIdx: trainIdx, valIdx: valIdx, calls: trainingCalls(ex, trainIdx)}
	var err error
	if t.gen, err = m.buildGen(batch, factory); err != nil {
		return nil, err
	}
	if t.disc, err = m.buildDisc(batch, factory); err != nil {
		_ = t.gen.Runner.Close()
		return nil, err
	}
	if t.eval, err = m.buildEval(evalBatch, factory); err != nil {
		_ = t.gen.Runner.Close()
		_ = t.disc.Runner.Close()
		return nil, err
	}
	return t, nil
}

// FitEmbeddings trains word2vec (skip-gram, window 5, no subwords) on the
// calls of windows idx of ex and stores a vector per call id in Embed,
// scaled so that their values have a root mean square of 1; ids it never
// saw get random vectors of that scale.
func (m *Model) FitEmbeddings(ex models.Examples, idx []int) error {
	var sentences [][]string
	for _, i := range idx {
		var s []string
		for _, id := range ex.IntAt(i) {
			if id != models.Pad {
				s = append(s, strconv.Itoa(int(id)))
			}
		}
		sentences = append(sentences, s)
	}
	cfg := embed.DefaultConfig()
	cfg.Dim, cfg.Epochs, cfg.Seed, cfg.Threads = m.Config.Embedding, m.Config.W2VEpochs, word2vecSeed, 1
	w2v, err := syscalls.TrainEmbedding(sentences, cfg)
	if err != nil {
		return fmt.Errorf("vaegan: call embeddings: %w", err)
	}
	E, data := m.Config.Embedding, m.Embed.Data()
	clear(data)
	seen := make([]bool, m.Config.Vocab)
	for _, w := range w2v.Words() {
		id, err := strconv.Atoi(w)
		if err != nil || id < 0 || id >= m.Config.Vocab {
			continue
		}
		copy(data[id*E:(id+1)*E], w2v.Vector(w))
		seen[id] = true
	}
	// Unit scale: word2vec's vectors are small, and the reconstruction
	// error (and its gradients) scale with them.
	var ss float64
	n := 0
	for _, v := range data {
		if v != 0 {
			ss += float64(v) * float64(v)
			n++
		}
	}
	if n > 0 {
		k := float32(1 / math.Sqrt(ss/float64(n)))
		for i := range data {
			data[i] *= k
		}
	}
	// A call never seen in training (the task's unknown id included) gets
	// a random vector of the same scale, far from everything the decoder
	// learned to produce: zero would be the easiest target to reconstruct.
	rng := rand.New(rand.NewPCG(word2vecSeed, 1))
	for id := 0; id < m.Config.Vocab; id++ {
		row := data[id*E : (id+1)*E]
		if seen[id] {
			continue
		}
		for j := range row {
			row[j] = float32(rng.NormFloat64())
		}
	}
	return nil
}

// TrainLen is the number of training windows.
func (t *task) TrainLen() int { return len(t.trainIdx) }

// Phases are the encoder/decoder update, then the discriminator's.
func (t *task) Phases() []trainers.Phase {
	c := t.m.Config
	return []trainers.Phase{
		{Name: "generator", Params: t.m.GenParams(), Rounds: c.GRounds},
		{Name: "discriminator", Params: t.m.DiscParams(), Rounds: c.DRounds},
	}
}

// PhaseStep runs update p on training windows idx: the generator's loss
// and gradients, or the discriminator's on the windows, their
// reconstruction by the generator as it was before this step's generator
// update (PyTorch's x̂.detach()), windows generated from the prior and,
// with Config.Corruption, corrupted windows drawn from rng.
func (t *task) PhaseStep(p int, idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	t.pos = t.pos[:0]
	for _, i := range idx {
		t.pos = append(t.pos, t.trainIdx[i])
	}
	var r graph.Runner
	switch p {
	case phaseGen:
		if err := t.gen.in.fill(t.m, t.ex, t.pos); err != nil {
			return 0, nil, err
		}
		r = t.gen.Runner
	case phaseDisc:
		if err := t.disc.in.fill(t.m, t.ex, t.pos); err != nil {
			return 0, nil, err
		}
		recon, err := graph.Float32s(t.gen.recon)
		if err != nil {
			return 0, nil, err
		}
		if err := graph.SetInput(t.disc.recon, recon); err != nil {
			return 0, nil, err
		}
		if t.disc.corrupt != nil {
			if err := t.disc.fillCorrupted(t.m, t.ex, t.pos, t.calls, t.m.Config.Corruption, rng); err != nil {
				return 0, nil, err
			}
		}
		r = t.disc.Runner
	default:
		return 0, nil, fmt.Errorf("vaegan: no phase %d", p)
	}
	if err := r.Run(rng); err != nil {
		return 0, nil, err
	}
	loss, err := r.Loss()
	if err != nil {
		return 0, nil, err
	}
	grads, err := r.Grads()
	return loss, grads, err
}

// ValidationLoss is the mean squared reconstruction error of the
// validation windows' calls, decoding z = μ.
func (t *task) ValidationLoss() (float64, bool, error) {
	if len(t.valIdx) == 0 {
		return 0, false, nil
	}
	var sum float64
	calls := 0
	err := t.eval.each(t.m, t.ex, t.valIdx, func(k int) error {
		_, recon, _, err := t.eval.windowScores(k)
		for i, r := range recon {
			n := t.eval.in.real[i]
			sum += r * float64(n)
			calls += n
		}
		return err
	})
	if err != nil || calls == 0 {
		return 0, false, err
	}
	return sum / float64(calls), true, nil
}

// Close releases the graphs.
func (t *task) Close() error {
	err := t.gen.Runner.Close()
	for _, r := range []graph.Runner{t.disc.Runner, t.eval.Runner} {
		if e := r.Close(); err == nil {
			err = e
		}
	}
	return err
}
