package embed

import (
	"math/bits"
	"math/rand/v2"
	"sync/atomic"
)

// shared is the state all training goroutines see.
type shared struct {
	cfg    Config
	d      *dict
	neg    *negTable
	wi, wo []float32 // input rows (words then buckets) and output rows, dim floats each
	chunks [][]int32 // encoded corpus
	total  int64     // tokens to process: Epochs times the corpus tokens
	done   atomic.Int64
}

// lossSum accumulates loss over examples.
type lossSum struct {
	loss     float64
	examples int64
}

// worker is one training goroutine with its own generator and buffers.
type worker struct {
	s      *shared
	rng    *rand.PCG
	hidden []float32
	grad   []float32
	line   []int32
	// negatives per example: Negatives, or 0 with a one-word vocabulary,
	// where every draw would hit the target
	negatives int
	total     lossSum // whole run
	window    lossSum // since the last progress report
}

func newWorker(s *shared, id int) *worker {
	w := &worker{
		s:      s,
		rng:    rand.NewPCG(s.cfg.Seed, uint64(id)+1),
		hidden: make([]float32, s.cfg.Dim),
		grad:   make([]float32, s.cfg.Dim),
		line:   make([]int32, 0, maxLine),
	}
	if len(s.d.words) > 1 {
		w.negatives = s.cfg.Negatives
	}
	return w
}

// intn returns a uniform integer in [0, n).
func (w *worker) intn(n int) int {
	hi, _ := bits.Mul64(w.rng.Uint64(), uint64(n))
	return int(hi)
}

// run trains on chunks from start onwards, cycling, until the shared token
// count reaches the total. Goroutine 0 reports progress.
func (w *worker) run(start int, report bool) {
	s := w.s
	step := max(s.total/100, 1)
	next := step
	ci := start
	for {
		done := s.done.Load()
		if done >= s.total {
			return
		}
		lr := float32(s.cfg.LR * (1 - float64(done)/float64(s.total)))
		chunk := s.chunks[ci]
		if ci++; ci == len(s.chunks) {
			ci = 0
		}
		line := w.line[:0]
		for _, id := range chunk {
			if p := s.d.keep[id]; p < 1 {
				u := float32(w.rng.Uint64()>>40) * (1.0 / (1 << 24))
				if u > p {
					continue
				}
			}
			line = append(line, id)
		}
		w.line = line
		w.skipgram(line, lr)
		done = s.done.Add(int64(len(chunk)))
		if report && s.cfg.Progress != nil && done >= next && done < s.total {
			s.cfg.Progress(done, s.total, w.window.mean())
			w.window = lossSum{}
			next = (done/step + 1) * step
		}
	}
}

// skipgram trains every word of line to predict its neighbours within a
// window drawn uniformly in [1, Window].
func (w *worker) skipgram(line []int32, lr float32) {
	d := w.s.d
	for i, id := range line {
		b := 1 + w.intn(w.s.cfg.Window)
		rows := d.rows(id)
		lo, hi := max(0, i-b), min(len(line)-1, i+b)
		for c := lo; c <= hi; c++ {
			if c != i {
				w.update(rows, line[c], lr)
			}
		}
	}
}

// update is one skip-gram step: the hidden vector is the mean of the input
// rows, the loss is logistic on the target and Negatives sampled words, and
// the gradient is added to every input row.
func (w *worker) update(rows []int32, target int32, lr float32) {
	s := w.s
	dim := s.cfg.Dim
	h, g := w.hidden[:dim], w.grad[:dim]
	r0 := int(rows[0]) * dim
	copy(h, s.wi[r0:r0+dim])
	for _, r := range rows[1:] {
		ri := int(r) * dim
		add(h, s.wi[ri:ri+dim])
	}
	if len(rows) > 1 {
		scale(h, float32(1.0/float64(len(rows))))
	}
	clear(g)
	loss := w.binary(target, true, lr)
	for range w.negatives {
		n := s.neg.draw(w.rng.Uint64())
		for n == target {
			n = s.neg.draw(w.rng.Uint64())
		}
		loss += w.binary(n, false, lr)
	}
	for _, r := range rows {
		ri := int(r) * dim
		add(s.wi[ri:ri+dim], g)
	}
	w.total.add(loss)
	w.window.add(loss)
}

// binary is the logistic loss of output row t with label positive; it
// accumulates the gradient and updates the row.
func (w *worker) binary(t int32, positive bool, lr float32) float32 {
	dim := w.s.cfg.Dim
	ti := int(t) * dim
	o := w.s.wo[ti : ti+dim]
	score := sigmoid(dot(o, w.hidden))
	var label float32
	if positive {
		label = 1
	}
	gradStep(o, w.hidden, w.grad, lr*(label-score))
	if positive {
		return -logt(score)
	}
	return -logt(1 - score)
}

func (l *lossSum) add(x float32) {
	l.loss += float64(x)
	l.examples++
}

// mean is the loss per example, 0 when there is none.
func (l lossSum) mean() float64 {
	if l.examples == 0 {
		return 0
	}
	return l.loss / float64(l.examples)
}
