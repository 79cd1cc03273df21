package masquerade

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/datasets/embed"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/models"
)

// Task is the SEA masquerade task ("masquerade").
type Task struct{}

// Name is "masquerade".
func (Task) Name() string { return "masquerade" }

// DefaultKind is the seed's ConvVAE.
func (Task) DefaultKind() string { return "convvae" }

// Input validates the sections: windows of length commands x embedding dimensions.
func (Task) Input(m map[string]any) (models.Input, error) {
	c, err := sections(m)
	if err != nil {
		return models.Input{}, err
	}
	if err := c.Validate(); err != nil {
		return models.Input{}, err
	}
	return models.Input{FloatShape: []int{c.Windows.Length, c.Embedding.Dim}}, nil
}

// scaledVecFile holds every command's [0, 1]-scaled model input vector, so a
// run can be re-scored exactly without retraining the embeddings.
const scaledVecFile = "commands_scaled.vec"

// Load reads or generates the SEA data and trains the command embeddings
// (or, re-evaluating, reads the run's scaled vectors).
func (Task) Load(ctx context.Context, m map[string]any, env tasks.Env) (tasks.Data, error) {
	c, err := sections(m)
	if err != nil {
		return nil, err
	}
	sea, err := loadData(*c.Data, env.Seed)
	if err != nil {
		return nil, err
	}
	blocks, users := sea.MasqueradeCount()
	env.Log.Info("data loaded", "users", len(sea.Users), "masquerade_blocks", blocks, "users_with_masquerades", users)
	var table *commandTable
	if env.From != "" {
		table, err = readScaledTable(filepath.Join(env.From, scaledVecFile))
	} else {
		table, err = trainEmbeddings(c, env.Seed, sea, env.Out, env.Log)
	}
	if err != nil {
		return nil, err
	}
	return &data{cfg: c, sea: sea, table: table}, ctx.Err()
}

// data is the loaded SEA data and its command vectors.
type data struct {
	cfg   Config
	sea   *datasets.SEA
	table *commandTable
}

// Input is windows of length commands x embedding dimensions.
func (d *data) Input() models.Input {
	return models.Input{FloatShape: []int{d.cfg.Windows.Length, d.cfg.Embedding.Dim}}
}

// Units are the users.
func (d *data) Units() []string {
	out := make([]string, len(d.sea.Users))
	for i, u := range d.sea.Users {
		out[i] = u.Name
	}
	return out
}

// Unit is user i's clean windows (the first train_windows train, the rest
// validate) and one test window per block.
func (d *data) Unit(i int) (tasks.Unit, error) {
	u := d.sea.Users[i]
	L, dim := d.cfg.Windows.Length, d.cfg.Embedding.Dim
	in := models.Input{FloatShape: []int{L, dim}}
	lookup := d.table.lookup
	if d.cfg.Windows.Unseen == "reserved" {
		lookup = reservedLookup(d.table, u.Train)
	}
	flat, n, err := datasets.Windows(datasets.Embed(u.Train, lookup), L, d.cfg.Windows.Stride)
	if err != nil {
		return tasks.Unit{}, fmt.Errorf("%s: %w", u.Name, err)
	}
	tr, va, err := datasets.SplitTrainVal(n, d.cfg.Windows.trainWindows(n))
	if err != nil {
		return tasks.Unit{}, fmt.Errorf("%s: %w", u.Name, err)
	}
	pool := models.Examples{Input: in, N: n, Float: flat}
	test := models.Examples{Input: in}
	for _, block := range u.Blocks {
		w, err := datasets.Window(datasets.Embed(block, lookup), L)
		if err != nil {
			return tasks.Unit{}, fmt.Errorf("%s: %w", u.Name, err)
		}
		test.Float = append(test.Float, w...)
		test.N++
	}
	val := rangeIdx(va)
	return tasks.Unit{Pool: pool, Train: rangeIdx(tr), Val: val, Sets: []tasks.Set{
		{Name: "test", Examples: test},
		{Name: "validation", Examples: pool, Idx: val},
	}}, nil
}

func rangeIdx(r datasets.Range) []int {
	out := make([]int, 0, r.Len())
	for i := r.Lo; i < r.Hi; i++ {
		out = append(out, i)
	}
	return out
}

// readScaledTable reads the scaled command vectors written by a run.
func readScaledTable(path string) (*commandTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	v, err := embed.ReadVec(f)
	if err != nil {
		return nil, fmt.Errorf("eval: %s: %w", path, err)
	}
	t := &commandTable{index: map[string]int{}}
	for i, w := range v.Words() {
		vec, _ := v.Vector(w)
		t.words = append(t.words, w)
		t.vecs = append(t.vecs, vec)
		t.index[w] = i
	}
	return t, nil
}
