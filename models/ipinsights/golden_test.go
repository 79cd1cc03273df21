package ipinsights

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/trainers"
)

// golden is testdata/golden.json (see make_golden.py).
type golden struct {
	Entities, Dim, Buckets int
	RowsEntity             []uint32 `json:"rows_entity"`
	RowsIP                 []uint32 `json:"rows_ip"`
	Labels                 []float32
	Params, Grads          map[string][]float32
	AfterStep              map[string][]float32 `json:"after_step"`
	Loss                   float64
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// goldenModel is the reference model's parameters in a Model, and a task
// whose net holds the reference rows (5 pairs, their shuffled and their
// random negatives).
func goldenModel(t *testing.T, g golden) (*Model, *task) {
	t.Helper()
	m, err := New(Config{Entities: g.Entities, Dim: g.Dim, Layers: 1, Buckets: g.Buckets, RandomRate: 1, ShuffledRate: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*graph.Param{"entity": m.Entity, "ip_prefix": m.Prefix, "W": m.enc[0].W, "b": m.enc[0].B} {
		if len(g.Params[name]) != p.Size() {
			t.Fatalf("golden %s has %d values, the model %d", name, len(g.Params[name]), p.Size())
		}
		copy(p.Data(), g.Params[name])
	}
	ex := pairs(nil, nil, nil)
	for i := range 5 {
		ex = pairs([]uint32{g.RowsEntity[i]}, []uint32{g.RowsIP[i]}, ex)
	}
	tk, err := newTask(m, *ex, []int{0, 1, 2, 3, 4}, nil, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := tk.net
	for r := range n.Rows {
		n.keys[r], n.ips[r], n.labels[r], n.valid[r] = g.RowsEntity[r], g.RowsIP[r], g.Labels[r], true
	}
	if err := n.gather(m); err != nil {
		t.Fatal(err)
	}
	return m, tk
}

// TestGoldenAgainstPyTorch compares the loss, every gradient and one
// optimizer step (lazy Adam on the tables, Adam on the encoder) with the
// reference PyTorch model on a fixed batch whose addresses include ones
// whose hashing overflows int64 in the reference.
func TestGoldenAgainstPyTorch(t *testing.T) {
	g := loadGolden(t)
	m, tk := goldenModel(t, g)
	defer tk.Close()
	n := tk.net
	if err := n.Runner.Run(nil); err != nil {
		t.Fatal(err)
	}
	loss, err := n.Runner.Loss()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-g.Loss) > 1e-6 {
		t.Fatalf("loss %v, PyTorch %v", loss, g.Loss)
	}
	dense, err := n.Runner.Grads()
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.scatter(); err != nil {
		t.Fatal(err)
	}
	rows := tk.RowGrads()
	got := map[string][]float32{
		"W": dense[0], "b": dense[1],
		"entity":    densify(rows[2], m.Entity.Size(), g.Dim),
		"ip_prefix": densify(rows[3], m.Prefix.Size(), g.Dim),
	}
	for name, want := range g.Grads {
		assertClose(t, "gradient of "+name, got[name], want, 1e-6)
	}
	// One step. PyTorch's Adam adds ε to the bias-corrected sqrt(v): at
	// step 1 that is ε·sqrt(1-β2) on the uncorrected one, where vigil's Adam
	// and PyTorch's SparseAdam add it.
	dense1 := trainers.NewAdam(trainers.AdamConfig{LR: 0.01, Eps: 1e-8 * math.Sqrt(1-0.999)})
	if err := dense1.Step(tk.Params(), [][]float32{dense[0], dense[1], nil, nil}); err != nil {
		t.Fatal(err)
	}
	lazy := trainers.NewAdam(trainers.AdamConfig{LR: 0.01, Eps: 1e-8})
	if err := lazy.StepRows(tk.Params(), make([][]float32, 4), rows); err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*graph.Param{"entity": m.Entity, "ip_prefix": m.Prefix, "W": m.enc[0].W, "b": m.enc[0].B} {
		assertClose(t, name+" after a step", p.Data(), g.AfterStep[name], 2e-6)
	}
}

func densify(r *trainers.RowGrad, size, width int) []float32 {
	out := make([]float32, size)
	for i, row := range r.Rows {
		copy(out[int(row)*width:][:width], r.Values[i*width:(i+1)*width])
	}
	return out
}

func assertClose(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		worst = math.Max(worst, math.Abs(float64(got[i])-float64(want[i])))
	}
	if worst > tol {
		t.Fatalf("%s: worst difference %.3g > %.3g", what, worst, tol)
	}
}
