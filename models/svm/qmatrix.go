package svm

// qMatrix serves columns of Q, Q_ij = y_i y_j K(x_i, x_j), for the solver,
// in the solver's current order of variables (shrinking permutes them).
// Columns are rounded to float32 as LIBSVM stores them (its Qfloat); the
// diagonal stays float64, as in LIBSVM. The rounding (relative 6e−8) is far
// below any useful tolerance, halves the cache, and keeps the iterates
// bit-for-bit LIBSVM's: with float64 columns, near-ties in the working-set
// selection resolve differently and the solution at Tol differs from
// LIBSVM's by up to the tolerance.
//
// The training rows are kept in the solver's order too (swap moves them), so
// that the rows of a column's active part are contiguous: a column is
// computed by one row-kernel call (simd.go) over them, then turned into
// kernel values in a second loop.
type qMatrix struct {
	kernel Kernel
	x      []float64 // training rows, row-major, in the solver's order (a copy)
	d      int       // features a row
	y      []int8    // ±1 by variable
	qd     []float64 // Q_tt by variable
	buf    []float64 // scratch for fill: a column's distances or dot products, then its kernel values
	cache  *columnCache
}

// newQMatrix returns Q for rows x (d features each; not modified) and
// labels y, caching at most cacheEntries values (at least two columns).
func newQMatrix(k Kernel, x []float64, d int, y []int8, cacheEntries int) *qMatrix {
	l := len(y)
	q := &qMatrix{
		kernel: k, x: append([]float64(nil), x[:l*d]...), d: d,
		y:     append([]int8(nil), y...),
		qd:    make([]float64, l),
		buf:   make([]float64, 2*l),
		cache: newColumnCache(l, cacheEntries),
	}
	for t := range l {
		xt := q.rowOf(t)
		q.qd[t] = k.Eval(xt, xt)
	}
	return q
}

func (q *qMatrix) rowOf(t int) []float64 {
	return q.x[t*q.d : (t+1)*q.d]
}

// column returns rows [0, n) of column i (the slice may be longer). The
// values stay valid until the next swap.
func (q *qMatrix) column(i, n int) []float32 {
	col, start := q.cache.get(i, n)
	if start < n {
		q.fill(i, start, col[start:n])
	}
	return col
}

// fill sets out to rows [start, start+len(out)) of column i.
func (q *qMatrix) fill(i, start int, out []float32) {
	n := start + len(out)
	l := len(q.y)
	s, kv := q.buf[start:n], q.buf[l+start:l+n]
	q.kernel.values(q.rowOf(i), q.x[start*q.d:n*q.d], s, kv)
	ys := q.y[start:n]
	yi := q.y[i]
	for j, v := range kv {
		if ys[j] != yi {
			v = -v
		}
		out[j] = float32(v)
	}
}

// swap exchanges variables i and j.
func (q *qMatrix) swap(i, j int) {
	if i == j {
		return
	}
	q.cache.swap(i, j)
	xi, xj := q.rowOf(i), q.rowOf(j)
	for k := range xi {
		xi[k], xj[k] = xj[k], xi[k]
	}
	q.y[i], q.y[j] = q.y[j], q.y[i]
	q.qd[i], q.qd[j] = q.qd[j], q.qd[i]
}
