package syscalls

import (
	"context"
	"fmt"
	"time"

	ds "github.com/vigil-ml/vigil/datasets/syscalls"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/models"
)

// Task is the system-call task ("syscalls").
type Task struct{}

// Name is "syscalls".
func (Task) Name() string { return "syscalls" }

// DefaultKind is the next-call LSTM.
func (Task) DefaultKind() string { return "lstm" }

// Input validates the sections: windows of length+1 call ids. The
// vocabulary is known only once the training traces are read; Input gives
// Vocab 0 (unbounded) and the data's examples carry the real one.
func (Task) Input(m map[string]any) (models.Input, error) {
	c, err := sections(m)
	if err != nil {
		return models.Input{}, err
	}
	if err := c.Validate(); err != nil {
		return models.Input{}, err
	}
	return models.Input{IntShape: []int{c.Windows.Length + 1}}, nil
}

// data is the encoded traces of every split.
type data struct {
	cfg                         Config
	vocab                       *ds.Vocab
	train, val, normal, attacks []trace
	note                        string
	seconds                     float64 // reading and encoding
}

// Load reads the traces, builds the vocabulary on the training traces
// (unseen calls map to the unknown id 0) and encodes every split.
func (Task) Load(ctx context.Context, m map[string]any, env tasks.Env) (tasks.Data, error) {
	t0 := time.Now()
	c, err := sections(m)
	if err != nil {
		return nil, err
	}
	s, err := readSplits(*c.Data, env.Seed)
	if err != nil {
		return nil, err
	}
	vocab, err := loadVocab(s.train, env)
	if err != nil {
		return nil, err
	}
	ta := c.Data.ThreadAware
	d := &data{cfg: c, vocab: vocab, note: s.note,
		train: encode(s.train, vocab, ta), val: encode(s.val, vocab, ta),
		normal: encode(s.testNormal, vocab, ta), attacks: encode(s.testAttack, vocab, ta)}
	d.seconds = time.Since(t0).Seconds()
	env.Log.Info("traces loaded", "train", len(d.train), "validation", len(d.val), "test_normal", len(d.normal),
		"test_attack", len(d.attacks), "vocabulary", vocab.Len(), "seconds", fmt.Sprintf("%.1f", d.seconds))
	return d, ctx.Err()
}

// Units is one global model ("all"), or the models of an ensemble.
func (d *data) Units() []string {
	n := d.cfg.Ensemble.Size
	if n <= 1 {
		return []string{"all"}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("model%d", i+1)
	}
	return out
}

// Input is windows of length+1 call ids below the vocabulary's size.
func (d *data) Input() models.Input {
	return models.Input{IntShape: []int{d.cfg.Windows.Length + 1}, Vocab: d.vocab.Len()}
}

// test is the test traces: normal ones, then attacks.
func (d *data) test() []trace { return append(append([]trace(nil), d.normal...), d.attacks...) }

// Unit trains on windows of the training streams and validates (early
// stopping) on the scoring windows of the validation streams; it scores
// the validation and test traces.
func (d *data) Unit(int) (tasks.Unit, error) {
	L, in := d.cfg.Windows.Length, d.Input()
	pool := trainWindows(d.train, in, L, d.cfg.Windows.Stride)
	if pool.N == 0 {
		return tasks.Unit{}, fmt.Errorf("syscalls: the training traces give no windows (every stream has fewer than 2 calls)")
	}
	valEx, _ := scoreWindows(d.val, in, L, d.cfg.Windows.ScoreContext)
	u := tasks.Unit{Pool: pool, Train: seq(0, pool.N)}
	u.Pool.Int = append(u.Pool.Int, valEx.Int...)
	u.Pool.N += valEx.N
	u.Val = seq(pool.N, u.Pool.N)
	testEx, _ := scoreWindows(d.test(), in, L, d.cfg.Windows.ScoreContext)
	u.Sets = []tasks.Set{{Name: "validation", Examples: valEx}, {Name: "test", Examples: testEx}}
	return u, nil
}

func seq(lo, hi int) []int {
	out := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}
