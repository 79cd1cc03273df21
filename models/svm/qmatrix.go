package svm

// qMatrix serves columns of Q, Q_ij = y_i y_j K(x_i, x_j), for the solver,
// in the solver's current order of variables (shrinking permutes them).
// Columns are rounded to float32 as LIBSVM stores them (its Qfloat); the
// diagonal stays float64, as in LIBSVM. The rounding (relative 6e−8) is far
// below any useful tolerance, halves the cache, and keeps the iterates
// bit-for-bit LIBSVM's: with float64 columns, near-ties in the working-set
// selection resolve differently and the solution at Tol differs from
// LIBSVM's by up to the tolerance.
type qMatrix struct {
	kernel Kernel
	x      []float64 // training rows, row-major, in the solver's input order
	d      int       // features a row
	row    []int     // row[t]: the row of x that variable t is
	y      []int8    // ±1 by variable
	qd     []float64 // Q_tt by variable
	cache  *columnCache
}

// newQMatrix returns Q for rows x (d features each) and labels y, caching at
// most cacheEntries values (at least two columns).
func newQMatrix(k Kernel, x []float64, d int, y []int8, cacheEntries int) *qMatrix {
	l := len(y)
	q := &qMatrix{
		kernel: k, x: x, d: d,
		row:   make([]int, l),
		y:     append([]int8(nil), y...),
		qd:    make([]float64, l),
		cache: newColumnCache(l, cacheEntries),
	}
	for t := range l {
		q.row[t] = t
		xt := q.rowOf(t)
		q.qd[t] = k.Eval(xt, xt)
	}
	return q
}

func (q *qMatrix) rowOf(t int) []float64 {
	r := q.row[t]
	return q.x[r*q.d : (r+1)*q.d]
}

// column returns rows [0, n) of column i (the slice may be longer). The
// values stay valid until the next swap.
func (q *qMatrix) column(i, n int) []float32 {
	col, start := q.cache.get(i, n)
	if start < n {
		xi, yi := q.rowOf(i), float64(q.y[i])
		for j := start; j < n; j++ {
			col[j] = float32(yi * float64(q.y[j]) * q.kernel.Eval(xi, q.rowOf(j)))
		}
	}
	return col
}

// swap exchanges variables i and j.
func (q *qMatrix) swap(i, j int) {
	q.cache.swap(i, j)
	q.row[i], q.row[j] = q.row[j], q.row[i]
	q.y[i], q.y[j] = q.y[j], q.y[i]
	q.qd[i], q.qd[j] = q.qd[j], q.qd[i]
}
