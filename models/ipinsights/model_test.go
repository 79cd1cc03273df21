package ipinsights

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// TestPrefixRows checks the hashing by hand for 203.0.113.9 and 64
// buckets: prefix p of table k goes to (p·2654435761 + k) mod 2^64 mod 64.
func TestPrefixRows(t *testing.T) {
	m, err := New(Config{Entities: 5, Dim: 4, Buckets: 64, RandomRate: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	ip := uint32(203)<<24 | 113<<8 | 9
	var want [4]int32
	for k, p := range []uint64{203, 203 << 8, 203<<16 | 113, uint64(ip)} {
		want[k] = int32(k*64) + int32((p*2654435761+uint64(k))&63)
	}
	if got := m.prefixRows(ip); got != want {
		t.Fatalf("prefixRows = %v, want %v", got, want)
	}
	if m.entityRow(12) != 2 {
		t.Fatalf("entity 12 of 5 rows goes to %d", m.entityRow(12))
	}
}

// TestGradientsMatchFiniteDifferences perturbs every touched table row and
// every encoder parameter of a tiny model and compares the loss change
// with the dense and row gradients of one step (negatives from a fixed seed).
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	m, err := New(Tiny(), rand.New(rand.NewPCG(2, 3)))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Reg.Params() { // larger weights: a less linear problem
		for i := range p.Data() {
			p.Data()[i] *= 3
		}
	}
	ex := pairs([]uint32{1, 2, 3, 9}, []uint32{0x0a000001, 0x0a000002, 0xc0a80101, 0x0a000001}, nil)
	tk, err := newTask(m, *ex, []int{0, 1, 2, 3}, nil, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tk.Close()
	step := func() (float64, [][]float32) {
		loss, grads, err := tk.TrainStep([]int{0, 1, 2, 3}, rand.New(rand.NewPCG(5, 5)))
		if err != nil {
			t.Fatal(err)
		}
		return loss, grads
	}
	_, dense := step()
	dense = cloneAll(dense)
	rows := tk.RowGrads()
	width := m.Config.Dim
	analytic := map[*graph.Param][]float32{}
	for i, p := range tk.Params() {
		switch {
		case dense[i] != nil:
			analytic[p] = dense[i]
		case rows[i] != nil:
			analytic[p] = densify(rows[i], p.Size(), width)
		}
	}
	const h = 1e-2
	checked := 0
	for _, p := range tk.Params() {
		g := analytic[p]
		for j := range p.Data() {
			if g[j] == 0 && (p == m.Entity || p == m.Prefix) {
				continue // an untouched row
			}
			old := p.Data()[j]
			p.Data()[j] = old + h
			up, _ := step()
			p.Data()[j] = old - h
			down, _ := step()
			p.Data()[j] = old
			fd := (up - down) / (2 * h)
			if math.Abs(fd-float64(g[j])) > 2e-3+0.03*math.Abs(fd) {
				t.Fatalf("%s[%d]: gradient %v, finite difference %v", p.Name, j, g[j], fd)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Fatalf("only %d values checked", checked)
	}
}

func cloneAll(gs [][]float32) [][]float32 {
	out := make([][]float32, len(gs))
	for i, g := range gs {
		out[i] = slices.Clone(g)
	}
	return out
}

// TestHostLossMatchesGraph: the host path (validation, scoring) computes
// the graph's loss for the same rows.
func TestHostLossMatchesGraph(t *testing.T) {
	m, err := New(Config{Entities: 13, Dim: 8, Layers: 2, Buckets: 32, RandomRate: 2, ShuffledRate: 1}, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	var keys, ips []uint32
	for range 6 {
		keys, ips = append(keys, rng.Uint32()), append(ips, rng.Uint32())
	}
	ex := pairs(keys, ips, nil)
	idx := []int{0, 1, 2, 3, 4, 5}
	tk, err := newTask(m, *ex, idx, nil, 8, nil) // two padded pairs
	if err != nil {
		t.Fatal(err)
	}
	defer tk.Close()
	graphLoss, _, err := tk.TrainStep(idx, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	sum, rows, err := m.batchLoss(*ex, idx, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if rows != 24 || math.Abs(sum/float64(rows)-graphLoss) > 1e-5 {
		t.Fatalf("host loss %v over %d rows, graph %v", sum/float64(rows), rows, graphLoss)
	}
}

// TestTrainingLearnsHomeNetworks: entities that each log in from two /24
// networks are told apart from random addresses after training: the loss
// falls and the discriminator AUC (true pairs vs random addresses) is high.
func TestTrainingLearnsHomeNetworks(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	home := func(e int, k int) uint32 { return uint32(10+e%7)<<24 | uint32(e*2+k)<<8 }
	var keys, ips []uint32
	for range 3000 {
		e := rng.IntN(40)
		keys = append(keys, uint32(e)*2654435761)
		ips = append(ips, home(e, rng.IntN(2))|uint32(rng.IntN(256)))
	}
	ex := pairs(keys, ips, nil)
	all := make([]int, ex.N)
	for i := range all {
		all[i] = i
	}
	train, val := all[:2500], all[2500:]
	m, err := New(Config{Entities: 80, Dim: 16, Layers: 1, Buckets: 512, RandomRate: 1, ShuffledRate: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := m.TrainTask(*ex, train, val, 100, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tk.Close()
	tr, err := models.NewTrainer(trainers.Config{Epochs: 8, BatchSize: 100, LR: 0.01, Seed: 1}, tk)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if first, last := res.ValLoss[0], res.ValLoss[len(res.ValLoss)-1]; !(last < 0.7*first) {
		t.Fatalf("validation loss %v -> %v", first, last)
	}
	s, _ := m.Scorer(64, nil)
	neg := pairs(nil, nil, nil)
	for _, i := range val {
		neg = pairs([]uint32{keys[i]}, []uint32{rng.Uint32()}, neg)
	}
	pos, err := s.Score(*ex, val)
	if err != nil {
		t.Fatal(err)
	}
	rnd, err := s.Score(*neg, nil2all(neg.N))
	if err != nil {
		t.Fatal(err)
	}
	if pos[0].Name != "anomaly" || pos[1].Name != "dot_product" || pos[0].Values[0] != -pos[1].Values[0] {
		t.Fatalf("scores %s, %s", pos[0].Name, pos[1].Name)
	}
	labels := make([]bool, len(val)+neg.N)
	for i := len(val); i < len(labels); i++ {
		labels[i] = true // attacks: random addresses
	}
	auc, err := eval.ROCAUC(append(slices.Clone(pos[0].Values), rnd[0].Values...), labels)
	if err != nil {
		t.Fatal(err)
	}
	if auc < 0.95 {
		t.Fatalf("discriminator AUC %.3f", auc)
	}
	ent, ipv, err := s.(models.Embedder).Embed(*ex, val[:3])
	if err != nil || len(ent) != 3 || len(ipv[2]) != 16 {
		t.Fatalf("Embed: %d vectors, err %v", len(ent), err)
	}
}

func nil2all(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestValidateNamesEveryBadKey checks SageMaker's ranges.
func TestValidateNamesEveryBadKey(t *testing.T) {
	in := models.Input{IntShape: []int{2}}
	if err := (Family{}).Validate(Family{}.Defaults(), in); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	s := &Section{NumEntityVectors: 0, VectorDim: 2, NumIPEncoderLayers: 101, RandomNegativeSamplingRate: 0, ShuffledNegativeSamplingRate: 0, IPHashBuckets: 0}
	err := Family{}.Validate(s, models.Input{IntShape: []int{3}})
	for _, want := range []string{"num_entity_vectors", "vector_dim", "num_ip_encoder_layers", "ip_hash_buckets", "= 0, want 1..500", "(entity key, IPv4)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v does not mention %q", err, want)
		}
	}
	s = Family{}.Defaults().(*Section)
	s.RandomNegativeSamplingRate, s.ShuffledNegativeSamplingRate = 300, 201
	if err := (Family{}).Validate(s, in); err == nil || !strings.Contains(err.Error(), "501") {
		t.Fatalf("R+S = 501 accepted: %v", err)
	}
}

// TestParallelScoringMatchesSerial: large batches split over goroutines
// give the serial path's scores and vectors bit for bit.
func TestParallelScoringMatchesSerial(t *testing.T) {
	m, err := New(Config{Entities: 50, Dim: 16, Layers: 2, Buckets: 64, RandomRate: 1}, rand.New(rand.NewPCG(8, 8)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 9))
	n := 3*parallelRows + 5
	keys, ips := make([]uint32, n), make([]uint32, n)
	for i := range keys {
		keys[i], ips[i] = rng.Uint32(), rng.Uint32()
	}
	run := func(parallel bool) ([]float64, []float32) {
		dot, ent, ip := make([]float64, n), make([]float32, n*16), make([]float32, n*16)
		var err error
		if parallel {
			err = m.pairsParallel(3, keys, ips, dot, ent, ip)
		} else {
			err = m.pairs(keys, ips, dot, ent, ip)
		}
		if err != nil {
			t.Fatal(err)
		}
		return dot, append(ent, ip...)
	}
	d1, v1 := run(false)
	d2, v2 := run(true)
	if !slices.Equal(d1, d2) || !slices.Equal(v1, v2) {
		t.Fatal("parallel scoring differs from serial")
	}
}
