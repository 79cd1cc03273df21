package program

import (
	"fmt"
	"math"
)

// refGather copies row ids[s] of the table [V, D] to row s of out.
func refGather(out, table []float32, ids []int32) error {
	d := len(out) / len(ids)
	vocab := len(table) / d
	for s, id := range ids {
		if id < 0 || int(id) >= vocab {
			return fmt.Errorf("id %d at position %d is outside [0, %d)", id, s, vocab)
		}
		copy(out[s*d:(s+1)*d], table[int(id)*d:(int(id)+1)*d])
	}
	return nil
}

// refScatterAdd sums row s of g into row ids[s] of out [V, D].
func refScatterAdd(out []float32, ids []int32, g []float32) error {
	d := len(g) / len(ids)
	vocab := len(out) / d
	acc := make([]float64, len(out))
	for s, id := range ids {
		if id < 0 || int(id) >= vocab {
			return fmt.Errorf("id %d at position %d is outside [0, %d)", id, s, vocab)
		}
		for j, v := range g[s*d : (s+1)*d] {
			acc[int(id)*d+j] += f64(v)
		}
	}
	for i, v := range acc {
		out[i] = float32(v)
	}
	return nil
}

// softmaxRow returns max l and Σ exp(l - max) of one row of logits.
func softmaxRow(l []float32) (float64, float64) {
	m := math.Inf(-1)
	for _, v := range l {
		m = math.Max(m, f64(v))
	}
	var s float64
	for _, v := range l {
		s += math.Exp(f64(v) - m)
	}
	return m, s
}

// xentTarget checks target t of row r for V classes: false for IgnoreTarget.
func xentTarget(t int32, r, v int) (bool, error) {
	if t == IgnoreTarget {
		return false, nil
	}
	if t < 0 || int(t) >= v {
		return false, fmt.Errorf("target %d of row %d is outside [0, %d) and not %d", t, r, v, IgnoreTarget)
	}
	return true, nil
}

// refSoftmaxXent computes out[n] = logsumexp(l[n, :]) - l[n, t[n]].
func refSoftmaxXent(out, l []float32, t []int32) error {
	v := len(l) / len(t)
	for r := range t {
		ok, err := xentTarget(t[r], r, v)
		if err != nil {
			return err
		}
		out[r] = 0
		if ok {
			row := l[r*v : (r+1)*v]
			m, s := softmaxRow(row)
			out[r] = float32(m + math.Log(s) - f64(row[t[r]]))
		}
	}
	return nil
}

// refSoftmaxXentGrad computes out[n, :] = (softmax(l[n, :]) - onehot(t[n]))·dy[n].
func refSoftmaxXentGrad(out, l []float32, t []int32, dy []float32) error {
	v := len(l) / len(t)
	for r := range t {
		ok, err := xentTarget(t[r], r, v)
		if err != nil {
			return err
		}
		o := out[r*v : (r+1)*v]
		if !ok {
			clear(o)
			continue
		}
		row := l[r*v : (r+1)*v]
		m, s := softmaxRow(row)
		for j, x := range row {
			p := math.Exp(f64(x)-m) / s
			if j == int(t[r]) {
				p--
			}
			o[j] = float32(p * f64(dy[r]))
		}
	}
	return nil
}
