package linear

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// hostLoss is the loss of the package comment in float64 for examples idx
// of ex (labels 1, 0 or Pad) and the model's current parameters, and the
// number of examples inside the hinge (margin below 1) and the distance of
// the margin nearest to the kink.
func hostLoss(m *Model, ex models.Examples, idx []int, cw classWeights) (loss float64, active int, nearest float64) {
	w, b := m.Dense.W.Data(), float64(m.Dense.B.Data()[0])
	var sum, total float64
	nearest = math.Inf(1)
	for _, j := range idx {
		c, s := 0.0, 0.0
		switch ex.IntAt(j)[0] {
		case 1:
			c, s = cw.pos, 1
		case 0:
			c, s = cw.neg, -1
		default:
			continue
		}
		f := b
		for k, v := range ex.FloatAt(j) {
			f += float64(w[k]) * float64(v)
		}
		slack := 1 - s*f
		nearest = math.Min(nearest, math.Abs(slack))
		if slack > 0 {
			active++
			sum += c * slack
		}
		total += c
	}
	return sum/total + m.l2Term(), active, nearest
}

// TestLossAndGradientsMatchTheDefinition: the train graph's loss is the
// class-weighted mean hinge plus (λ/2)|w|² computed on the host (padding
// rows and an unlabelled example counting for nothing), and its gradient
// of every parameter value matches central finite differences of it.
func TestLossAndGradientsMatchTheDefinition(t *testing.T) {
	cfg := Config{Features: 4, Penalty: PenaltyExplicit, PosWeight: 3, NegWeight: 0.5, L2: 0.2}
	m, err := New(cfg, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	m.Dense.B.Data()[0] = 0.2
	rng := rand.New(rand.NewPCG(3, 1))
	ex := models.Examples{Input: m.input(), N: 7, Int: []int32{1, 0, 0, 1, models.Pad, 0, 1}}
	for range ex.N * cfg.Features {
		ex.Float = append(ex.Float, float32(2*rng.NormFloat64()))
	}
	idx := seq(0, ex.N)
	cw := classWeights{pos: cfg.PosWeight, neg: cfg.NegWeight}
	n, err := m.build(graph.Train, 8, nil) // one padding row
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	step := func() (float64, [][]float32) {
		total, err := n.fill(ex, idx, cw, 0, true)
		if err != nil {
			t.Fatal(err)
		}
		if total != 3*3+3*0.5 {
			t.Fatalf("total weight %v, want 10.5", total)
		}
		if err := n.Program.Run(nil); err != nil {
			t.Fatal(err)
		}
		loss, err := n.Program.Loss()
		if err != nil {
			t.Fatal(err)
		}
		grads, err := n.Program.Grads()
		if err != nil {
			t.Fatal(err)
		}
		out := make([][]float32, len(grads))
		for i, g := range grads {
			out[i] = slices.Clone(g)
		}
		return loss, out
	}
	loss, grads := step()
	want, active, nearest := hostLoss(m, ex, idx, cw)
	if math.Abs(loss-want) > 1e-5*math.Max(1, want) {
		t.Fatalf("graph loss %v, host %v", loss, want)
	}
	if active == 0 || active == 6 || nearest < 0.1 {
		t.Fatalf("%d of 6 labelled examples inside the hinge, nearest %.3g from the kink: the check needs both kinds, away from it", active, nearest)
	}
	const h = 1e-2
	checked := 0
	for i, p := range n.Program.Params() {
		for j := range p.Data() {
			old := p.Data()[j]
			p.Data()[j] = old + h
			up, _ := step()
			p.Data()[j] = old - h
			down, _ := step()
			p.Data()[j] = old
			fd := (up - down) / (2 * h)
			if g := float64(grads[i][j]); math.Abs(fd-g) > 1e-4+1e-3*math.Abs(fd) {
				t.Fatalf("%s[%d]: gradient %v, finite difference %v", p.Name, j, g, fd)
			}
			checked++
		}
	}
	if checked != cfg.Features+1 {
		t.Fatalf("%d values checked, want %d", checked, cfg.Features+1)
	}
}

// accuracy is the fraction of examples idx on the side of the decision
// value their label says (Pad counts as negative).
func accuracy(dec []float64, ex models.Examples, idx []int) float64 {
	right := 0
	for i, j := range idx {
		if (dec[i] >= 0) == (ex.IntAt(j)[0] == 1) {
			right++
		}
	}
	return float64(right) / float64(len(idx))
}

// TestTrainingSeparatesSeparableData: on linearly separable data the
// training and validation losses fall, the validation examples are
// classified at >= 95%, and the validation loss is the host's.
func TestTrainingSeparatesSeparableData(t *testing.T) {
	ex := separable(400, 6, rand.New(rand.NewPCG(5, 5)))
	m, err := New(Config{Features: 6, Penalty: PenaltyNone, PosWeight: 1, NegWeight: 1, L2: 1e-3}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	train, val := seq(0, 320), seq(320, 400)
	tk, err := m.TrainTask(ex, train, val, 32, 48, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tk.Close()
	tr, err := models.NewTrainer(trainers.Config{Epochs: 20, BatchSize: 32, LR: 0.02, Seed: 2}, tk)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	first, last := res.ValLoss[0], res.ValLoss[len(res.ValLoss)-1]
	if !(last < 0.5*first) || !(res.TrainLoss[len(res.TrainLoss)-1] < 0.5*res.TrainLoss[0]) {
		t.Fatalf("losses did not halve: validation %v -> %v, training %v", first, last, res.TrainLoss)
	}
	host, _, _ := hostLoss(m, ex, val, classWeights{1, 1})
	if math.Abs(host-last) > 1e-5 {
		t.Fatalf("validation loss %v, host %v", last, host)
	}
	s, err := m.Scorer(64, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scores, err := s.Score(ex, val)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 1 || scores[0].Name != "decision" || scores[0].Width != 1 || len(scores[0].Values) != len(val) {
		t.Fatalf("scores %+v", scores)
	}
	if acc := accuracy(scores[0].Values, ex, val); acc < 0.95 {
		t.Fatalf("validation accuracy %.3f", acc)
	}
	c := m.Classifier()
	for i, j := range val {
		x, _ := rows(models.Examples{Input: ex.Input, N: 1, Float: ex.FloatAt(j), Int: ex.IntAt(j)})
		if d := math.Abs(c.Decision(x[0]) - scores[0].Values[i]); d > 1e-5*math.Max(1, math.Abs(scores[0].Values[i])) {
			t.Fatalf("example %d: classifier %v, scorer %v", j, c.Decision(x[0]), scores[0].Values[i])
		}
	}
	t.Logf("validation loss %.4f -> %.4f", first, last)
}

// recall is the fraction of positives with a non-negative decision value.
func recall(c *Classifier, x [][]float64, y []bool) float64 {
	hit, pos := 0, 0
	for i, row := range x {
		if y[i] {
			pos++
			if c.Predict(row) {
				hit++
			}
		}
	}
	return float64(hit) / float64(pos)
}

// TestIRPenaltyRaisesMinorityRecall: on overlapping classes of 1:20, the
// unweighted hinge gives up most positives; the imbalance-ratio penalty
// recovers them, on the training set and on a fresh sample.
func TestIRPenaltyRaisesMinorityRecall(t *testing.T) {
	x, y := rows(imbalanced(40, 800, 3, 1.2, rand.New(rand.NewPCG(8, 8))))
	tx, ty := rows(imbalanced(200, 200, 3, 1.2, rand.New(rand.NewPCG(9, 9))))
	fit := func(penalty string) *Classifier {
		c, err := Fit(t.Context(), x, y, FitConfig{Epochs: 30, Penalty: penalty, L2: DefaultL2, Seed: 3}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	none, ir := fit(PenaltyNone), fit(PenaltyIR)
	rn, ri := recall(none, x, y), recall(ir, x, y)
	tn, ti := recall(none, tx, ty), recall(ir, tx, ty)
	t.Logf("minority recall: none %.3f (fresh %.3f), ir %.3f (fresh %.3f)", rn, tn, ri, ti)
	if !(ri >= rn+0.3) || !(ti >= tn+0.3) || ri < 0.6 {
		t.Fatalf("ir does not raise the minority recall: none %.3f (fresh %.3f), ir %.3f (fresh %.3f)", rn, tn, ri, ti)
	}
}

func TestClassWeights(t *testing.T) {
	c := Config{Penalty: PenaltyIR}
	pos, neg, err := c.ClassWeights(1, 20)
	if err != nil || pos != 10.5 || neg != 21.0/40 {
		t.Fatalf("ir weights of 1:20 = %v, %v, %v; want 10.5, 0.525", pos, neg, err)
	}
	if math.Abs((1*pos+20*neg)/21-1) > 1e-12 {
		t.Fatalf("ir weights' mean over the examples is %v, want 1", (pos+20*neg)/21)
	}
	if _, _, err := c.ClassWeights(0, 5); err == nil {
		t.Fatal("ir weights of one class")
	}
	c = Config{Penalty: PenaltyExplicit, PosWeight: 4, NegWeight: 0.5}
	if pos, neg, _ := c.ClassWeights(0, 5); pos != 4 || neg != 0.5 {
		t.Fatalf("explicit weights %v, %v", pos, neg)
	}
	if pos, neg, _ := (Config{Penalty: PenaltyNone}).ClassWeights(1, 99); pos != 1 || neg != 1 {
		t.Fatalf("weights of penalty none %v, %v", pos, neg)
	}
}

// TestTaskRejectsWhatItCannotTrain: ir on one class, bad labels, another
// layout.
func TestTaskRejectsWhatItCannotTrain(t *testing.T) {
	ex := separable(20, 3, rand.New(rand.NewPCG(1, 2)))
	m, err := New(Config{Features: 3, Penalty: PenaltyIR}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var negatives []int
	for i := range ex.N {
		if ex.IntAt(i)[0] == 0 {
			negatives = append(negatives, i)
		}
	}
	if _, err := m.TrainTask(ex, negatives, nil, 4, 4, nil); err == nil || !strings.Contains(err.Error(), "both classes") {
		t.Fatalf("ir on negatives only: %v", err)
	}
	bad := ex
	bad.Int = slices.Clone(ex.Int)
	bad.Int[3] = 2
	if _, err := m.TrainTask(bad, seq(0, 20), nil, 4, 4, nil); err == nil || !strings.Contains(err.Error(), "label 2") {
		t.Fatalf("label 2: %v", err)
	}
	other := models.Examples{Input: models.Input{FloatShape: []int{4}, IntShape: []int{1}, Vocab: 2}, N: 1, Float: make([]float32, 4), Int: []int32{1}}
	if _, err := m.TrainTask(other, []int{0}, nil, 4, 4, nil); err == nil {
		t.Fatal("examples of 4 features trained a model of 3")
	}
}

// TestValidateNamesEveryBadKey checks the section and the input layout.
func TestValidateNamesEveryBadKey(t *testing.T) {
	f := Family{}
	in := models.Input{FloatShape: []int{12}, IntShape: []int{1}, Vocab: 2}
	if err := f.Validate(f.Defaults(), in); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if err := f.Validate(f.Defaults(), models.Input{FloatShape: []int{12}, IntShape: []int{1}}); err != nil {
		t.Fatalf("a vocabulary not yet known: %v", err)
	}
	err := f.Validate(&Section{Penalty: "balanced", PosWeight: 1, NegWeight: 1, L2: -1}, models.Input{FloatShape: []int{3, 4}, IntShape: []int{1}, Vocab: 5})
	for _, want := range []string{"model.penalty", `"balanced"`, "model.l2", "model: linear takes", "[3 4] floats", "vocabulary is 5"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v does not mention %q", err, want)
		}
	}
	err = f.Validate(&Section{Penalty: PenaltyExplicit, PosWeight: 0, NegWeight: math.Inf(1), L2: 0}, in)
	for _, want := range []string{"model.pos_weight: 0", "model.neg_weight: +Inf"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v does not mention %q", err, want)
		}
	}
	if err := f.Validate(&Section{Penalty: PenaltyIR, PosWeight: 5, NegWeight: 1}, in); err == nil || !strings.Contains(err.Error(), "model.pos_weight") {
		t.Fatalf("pos_weight with penalty ir: %v", err)
	}
	if err := f.Validate(f.Defaults(), models.Input{FloatShape: []int{12}}); err == nil {
		t.Fatal("examples without labels accepted")
	}
	if err := f.Validate(&struct{}{}, in); err == nil || !strings.Contains(err.Error(), "*linear.Section") {
		t.Fatalf("another section type: %v", err)
	}
	m, err := f.New(f.Defaults(), in, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteSummary(&buf); err != nil || !strings.Contains(buf.String(), "Dense 12->1") || !strings.Contains(buf.String(), "total") || m.Registry().Count() != 13 {
		t.Fatalf("summary %q (%d parameters), err %v", buf.String(), m.Registry().Count(), err)
	}
}
