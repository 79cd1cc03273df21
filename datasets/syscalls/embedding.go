package syscalls

import (
	"github.com/vigil-ml/vigil/datasets/embed"
)

// Sentences returns the call tokens (see Call.Key) of traces as sentences
// for word embeddings: one per trace or, when threadAware, one per thread
// of each trace.
func Sentences(traces []Trace, threadAware bool) [][]string {
	var out [][]string
	for _, t := range traces {
		if !threadAware || t.Calls == nil {
			out = append(out, t.Keys())
			continue
		}
		for _, s := range ThreadStreams(t.Calls) {
			out = append(out, Trace{Calls: s}.Keys())
		}
	}
	return out
}

// TrainEmbedding trains word2vec-style skip-gram embeddings of syscalls
// on sentences with datasets/embed, without subwords (MaxN is forced to
// 0: syscall tokens have no meaningful character n-grams, and unknown
// tokens get the zero vector).
func TrainEmbedding(sentences [][]string, cfg embed.Config) (*embed.Model, error) {
	cfg.MaxN = 0
	cfg.OOV = embed.OOVSubword
	return embed.Train(sentences, cfg)
}

// EmbeddingTable returns the vector of every id of v, row 0 (Unknown) and
// tokens the model lacks being zero: the weights of an embedding layer.
func EmbeddingTable(m *embed.Model, v *Vocab) [][]float32 {
	out := make([][]float32, v.Len())
	out[0] = make([]float32, m.Dim())
	for id := 1; id < v.Len(); id++ {
		out[id] = m.Vector(v.Key(int32(id)))
	}
	return out
}
