package tabular

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

// blobs is a table of two Gaussian classes in d dimensions, the
// positives shifted by sep along every axis, in groups of size rows.
func blobs(n, d int, posRate, sep float64, groupSize int, seed uint64) *Table {
	rng := rand.New(rand.NewPCG(seed, 1))
	t := &Table{}
	for j := 0; j < d; j++ {
		t.Features = append(t.Features, fmt.Sprintf("f%d", j))
	}
	groups := n / groupSize
	for g := 0; g < groups; g++ {
		pos := rng.Float64() < posRate || g%int(1/posRate) == 0
		for k := 0; k < groupSize; k++ {
			row := make([]float64, d)
			for j := range row {
				row[j] = rng.NormFloat64()
				if pos {
					row[j] += sep
				}
			}
			t.X = append(t.X, row)
			t.Y = append(t.Y, pos)
			t.Groups = append(t.Groups, fmt.Sprintf("g%03d", g))
			t.IDs = append(t.IDs, fmt.Sprintf("g%03d-%d", g, k))
		}
	}
	return t
}

// quickConfig is the defaults with small folds, grids and bootstraps.
func quickConfig(pipelines ...string) Config {
	c, err := FromSections(Sections())
	if err != nil {
		panic(err)
	}
	c.Protocol.Pipelines = pipelines
	c.Protocol.OuterFolds, c.Protocol.InnerFolds, c.Protocol.Resamples = 3, 2, 200
	c.SVM.C = []float64{1, 10}
	c.RF.Trees = 20
	c.IForest.Trees = 20
	c.Linear.Epochs = 20
	return c
}

func testEnv(dir string) tasks.Env {
	return tasks.Env{Name: "test", Seed: 3, Out: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}
