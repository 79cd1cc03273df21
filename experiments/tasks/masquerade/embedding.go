package masquerade

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/datasets/embed"
)

// commandTable maps every command of the data to its scaled embedding.
type commandTable struct {
	words  []string
	vecs   [][]float32 // scaled to [0, 1]
	index  map[string]int
	search *embed.Vectors // built on first nearest-command query
}

func (t *commandTable) lookup(c string) []float32 { return t.vecs[t.index[c]] }

// trainEmbeddings trains the command embeddings on every selected user's clean
// commands, builds vectors for every command in the data (unseen ones by the
// OOV policy), fits the [0, 1] scaler on the training commands and writes the
// raw vectors to out/embeddings.vec.
func trainEmbeddings(cfg Config, seed uint64, sea *datasets.SEA, out string, log *slog.Logger) (*commandTable, error) {
	start := time.Now()
	ec := *cfg.Embedding
	m, err := embed.Train(sea.TrainCorpus(), embed.Config{
		Dim: ec.Dim, Window: ec.Window, Negatives: ec.Negatives, MinN: ec.MinN, MaxN: ec.MaxN,
		Epochs: ec.Epochs, LR: ec.LR, Threads: ec.Threads, Seed: seed, OOV: ec.OOV,
	})
	if err != nil {
		return nil, fmt.Errorf("embeddings: %w", err)
	}
	all := datasets.BuildVocab(sea.Corpus())
	t := &commandTable{words: all.Words(), index: map[string]int{}}
	var trainVecs [][]float32
	for i, w := range t.words {
		v := append([]float32(nil), m.Vector(w)...)
		t.vecs = append(t.vecs, v)
		t.index[w] = i
		if m.Count(w) > 0 {
			trainVecs = append(trainVecs, v)
		}
	}
	if err := writeVec(filepath.Join(out, "embeddings.vec"), t.words, t.vecs); err != nil {
		return nil, err
	}
	scaler, err := datasets.FitScaler(trainVecs)
	if err != nil {
		return nil, fmt.Errorf("embeddings: %w", err)
	}
	scaler.ApplyAll(t.vecs)
	if err := writeVec(filepath.Join(out, scaledVecFile), t.words, t.vecs); err != nil {
		return nil, err
	}
	log.Info("embeddings trained", "commands", len(t.words), "known", len(trainVecs), "dim", ec.Dim,
		"seconds", fmt.Sprintf("%.1f", time.Since(start).Seconds()))
	return t, nil
}

// writeVec writes vectors in fastText's .vec text format.
func writeVec(path string, words []string, vecs [][]float32) error {
	v, err := embed.NewVectors(words, vecs)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := v.WriteVec(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// reservedLookup maps the commands of train to their vectors and every
// other command to one reserved vector: the corner of [0, 1]^dim farthest
// from the mean of train's command vectors (1 where the mean is below 0.5,
// else 0), so that commands the user never typed stay distinct from the
// user's own, whatever their subwords.
func reservedLookup(t *commandTable, train []string) func(string) []float32 {
	seen := make(map[string]bool, len(train))
	var mean []float64
	for _, c := range train {
		v := t.lookup(c)
		if mean == nil {
			mean = make([]float64, len(v))
		}
		for j, x := range v {
			mean[j] += float64(x)
		}
		seen[c] = true
	}
	reserved := make([]float32, len(mean))
	for j, s := range mean {
		if s/float64(len(train)) < 0.5 {
			reserved[j] = 1
		}
	}
	return func(c string) []float32 {
		if seen[c] {
			return t.lookup(c)
		}
		return reserved
	}
}
