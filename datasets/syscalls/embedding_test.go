package syscalls

import (
	"testing"

	"github.com/vigil-ml/vigil/datasets/embed"
)

func TestEmbedding(t *testing.T) {
	traces := Synthetic(SyntheticConfig{Train: 30, Validation: -1, TestNormal: -1, TestAttack: -1, MinCalls: 100, MaxCalls: 200}, newRNG(9, 9))
	sents := Sentences(traces, true)
	if len(sents) <= len(traces) {
		t.Fatalf("%d thread sentences from %d traces", len(sents), len(traces))
	}
	if n := len(Sentences(traces, false)); n != len(traces) {
		t.Fatalf("%d trace sentences", n)
	}
	cfg := embed.DefaultConfig()
	cfg.Dim, cfg.Epochs, cfg.Seed = 8, 2, 1
	m, err := TrainEmbedding(sents, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m.Config().MaxN != 0 || m.Config().Buckets != 0 {
		t.Errorf("subwords on: %+v", m.Config())
	}
	v := BuildVocab(traces)
	v.Add("never_trained")
	table := EmbeddingTable(m, v)
	if len(table) != v.Len() {
		t.Fatalf("table has %d rows for %d ids", len(table), v.Len())
	}
	zero := func(r []float32) bool {
		for _, x := range r {
			if x != 0 {
				return false
			}
		}
		return len(r) == 8
	}
	if !zero(table[0]) || !zero(table[v.ID("never_trained")]) {
		t.Error("unknown rows are not zero")
	}
	if zero(table[v.ID("read")]) {
		t.Error("read has a zero vector")
	}
}
