package tabular

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/cv"
)

// FoldOutcome is one outer fold of a pipeline's nested cross-validation.
type FoldOutcome struct {
	Repeat int `json:"repeat"`
	Fold   int `json:"fold"`
	// Chosen is the grid point the inner folds chose, InnerAP each grid
	// point's mean inner average precision (empty with a one-point grid).
	Chosen  Params    `json:"chosen"`
	InnerAP []float64 `json:"inner_ap,omitempty"`
	// AP and F1 are the outer test fold's (NaN-free: 0 for a fold
	// without alarms).
	AP float64 `json:"ap"`
	F1 float64 `json:"f1"`
	// test holds the outer test fold's table rows.
	test []int
}

// estimate is a pipeline's nested cross-validation on the rows dev of t:
// every outer test row's score, per repeat, and the folds.
type estimate struct {
	scores [][]float64 // [repeat][k]: the score of row dev[k]
	cut    [][]float64 // [repeat][k]: the threshold of the model that scored it
	folds  []FoldOutcome
}

// seedOf derives the seed of one fit from the experiment's seed and the
// fit's coordinates, so that results do not depend on the order of fits.
func seedOf(base uint64, coords ...int) uint64 {
	h := base ^ 0x9e3779b97f4a7c15
	for _, c := range coords {
		h ^= uint64(c+1) * 0xbf58476d1ce4e5b9
		h = (h ^ (h >> 31)) * 0x94d049bb133111eb
		h ^= h >> 29
	}
	return h & (1<<53 - 1)
}

// nested runs repeated nested stratified group cross-validation of pipe
// over the rows dev of t. No outer test row reaches a fit or a choice.
func nested(ctx context.Context, e fitEnv, t *Table, dev []int, pipe Pipeline, seed uint64, progress io.Writer) (*estimate, error) {
	p := e.cfg.Protocol
	labels := make([]bool, len(dev))
	groups := make([]string, len(dev))
	for k, i := range dev {
		labels[k], groups[k] = t.Y[i], t.group(i)
	}
	// Every pipeline gets the same folds and the same fit seeds, so that
	// the ablation compares them on paired data.
	folds, err := cv.RepeatedNested(labels, groups, p.OuterFolds, p.InnerFolds, p.Repeats, seedOf(seed, 0))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pipe.Name, err)
	}
	cands := e.cfg.Candidates(pipe)
	est := &estimate{scores: make([][]float64, p.Repeats), cut: make([][]float64, p.Repeats), folds: make([]FoldOutcome, len(folds))}
	for r := range est.scores {
		est.scores[r] = make([]float64, len(dev))
		est.cut[r] = make([]float64, len(dev))
	}
	rows := rowsOf(dev)
	workers := p.Workers
	if workers == 0 {
		workers = runtime.NumCPU()
	}
	if pipe.Classifier == "linear" && e.factory != nil {
		workers = 1 // one device program at a time
	}
	errs := make([]error, len(folds))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < min(workers, len(folds)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				of := folds[f]
				fo := FoldOutcome{Repeat: of.Repeat, Fold: of.Fold}
				chosen := 0
				if len(cands) > 1 {
					fo.InnerAP = make([]float64, len(cands))
					for c := range cands {
						ap, err := innerAP(ctx, e, t, pipe, cands[c], of.Inner, rows, seedOf(seed, of.Repeat, of.Fold, c), of.Repeat, of.Fold)
						if err != nil {
							errs[f] = fmt.Errorf("%s: repeat %d fold %d: %w", pipe.Name, of.Repeat, of.Fold, err)
							break
						}
						fo.InnerAP[c] = ap
						if ap > fo.InnerAP[chosen] {
							chosen = c
						}
					}
					if errs[f] != nil {
						continue
					}
				}
				fo.Chosen = cands[chosen]
				train, test := rows(of.Outer.Train), rows(of.Outer.Test)
				e.seen(of.Repeat, of.Fold, train)
				x, y := t.subset(train)
				m, err := fit(ctx, e, pipe, fo.Chosen, x, y, seedOf(seed, of.Repeat, of.Fold, -1))
				if err != nil {
					errs[f] = fmt.Errorf("%s: repeat %d fold %d: %w", pipe.Name, of.Repeat, of.Fold, err)
					continue
				}
				s := make([]float64, len(test))
				l := make([]bool, len(test))
				for k, i := range test {
					s[k], l[k] = m.Score(t.X[i]), t.Y[i]
					est.scores[of.Repeat][of.Outer.Test[k]] = s[k]
					est.cut[of.Repeat][of.Outer.Test[k]] = m.Cut()
				}
				fo.AP, _ = eval.AveragePrecision(s, l)
				if prf, err := eval.PrecisionRecallAt(s, l, m.Cut()); err == nil && !math.IsNaN(prf.F1) {
					fo.F1 = prf.F1
				}
				fo.test = test
				est.folds[f] = fo
				mu.Lock()
				done++
				fmt.Fprintf(progress, "%s: outer fold %d/%d (AP %.3f, F1 %.3f, %s)\n", pipe.Name, done, len(folds), fo.AP, fo.F1, fo.Chosen.Describe(pipe))
				mu.Unlock()
			}
		}()
	}
	for f := range folds {
		if ctx.Err() != nil {
			break
		}
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return est, nil
}

// innerAP is a grid point's mean average precision over the inner folds
// that hold both classes.
func innerAP(ctx context.Context, e fitEnv, t *Table, pipe Pipeline, params Params, inner []cv.Split, rows func([]int) []int, seed uint64, repeat, fold int) (float64, error) {
	sum, n := 0.0, 0
	for k, sp := range inner {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		train := rows(sp.Train)
		e.seen(repeat, fold, train)
		x, y := t.subset(train)
		m, err := fit(ctx, e, pipe, params, x, y, seedOf(seed, k))
		if err != nil {
			return 0, fmt.Errorf("inner fold %d: %w", k, err)
		}
		test := rows(sp.Test)
		s := make([]float64, len(test))
		l := make([]bool, len(test))
		for j, i := range test {
			s[j], l[j] = m.Score(t.X[i]), t.Y[i]
		}
		if ap, err := eval.AveragePrecision(s, l); err == nil && !math.IsNaN(ap) {
			sum += ap
			n++
		}
	}
	if n == 0 {
		return math.Inf(-1), nil
	}
	return sum / float64(n), nil
}

// choose tunes pipe on the rows dev by stratified group k-fold over dev
// (protocol.inner_folds), returning the grid point with the best mean
// average precision.
func choose(ctx context.Context, e fitEnv, t *Table, dev []int, pipe Pipeline, seed uint64) (Params, []float64, error) {
	cands := e.cfg.Candidates(pipe)
	if len(cands) == 1 {
		return cands[0], nil, nil
	}
	labels := make([]bool, len(dev))
	groups := make([]string, len(dev))
	for k, i := range dev {
		labels[k], groups[k] = t.Y[i], t.group(i)
	}
	testFolds, err := cv.StratifiedGroupKFold(labels, groups, e.cfg.Protocol.InnerFolds, true, seed)
	if err != nil {
		return Params{}, nil, err
	}
	splits := complementSplits(testFolds, len(dev))
	rows := rowsOf(dev)
	aps := make([]float64, len(cands))
	best := 0
	for c := range cands {
		if aps[c], err = innerAP(ctx, e, t, pipe, cands[c], splits, rows, seedOf(seed, c), -1, -1); err != nil {
			return Params{}, nil, err
		}
		if aps[c] > aps[best] {
			best = c
		}
	}
	return cands[best], aps, nil
}

// complementSplits turns test folds over n items into train/test splits.
func complementSplits(testFolds [][]int, n int) []cv.Split {
	out := make([]cv.Split, len(testFolds))
	for f, test := range testFolds {
		in := make([]bool, n)
		for _, i := range test {
			in[i] = true
		}
		var train []int
		for i := 0; i < n; i++ {
			if !in[i] {
				train = append(train, i)
			}
		}
		out[f] = cv.Split{Train: train, Test: test}
	}
	return out
}

// rowsOf maps indices into dev to table rows.
func rowsOf(dev []int) func([]int) []int {
	return func(idx []int) []int {
		out := make([]int, len(idx))
		for k, i := range idx {
			out[k] = dev[i]
		}
		return out
	}
}
