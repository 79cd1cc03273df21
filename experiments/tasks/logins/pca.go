package logins

import (
	"errors"
	"math"
)

// pca holds the first two principal axes of a set of vectors.
type pca struct {
	mean     []float64
	axes     [2][]float64 // unit vectors; zero when the data has no variance left
	variance [2]float64   // the variance along each axis
}

// Power iteration limits.
const (
	pcaIterations = 500
	pcaTolerance  = 1e-10
)

// fitPCA finds the two leading eigenvectors of the covariance of rows by
// power iteration, deflating the covariance after the first. The start
// vector is fixed, so the result is deterministic; each axis's sign makes
// its largest component positive.
func fitPCA(rows [][]float32) (*pca, error) {
	if len(rows) == 0 || len(rows[0]) == 0 {
		return nil, errors.New("logins: PCA of no vectors")
	}
	n, dim := len(rows), len(rows[0])
	p := &pca{mean: make([]float64, dim)}
	for _, r := range rows {
		if len(r) != dim {
			return nil, errors.New("logins: PCA of vectors of different lengths")
		}
		for j, v := range r {
			p.mean[j] += float64(v) / float64(n)
		}
	}
	cov := make([][]float64, dim)
	for j := range cov {
		cov[j] = make([]float64, dim)
	}
	x := make([]float64, dim)
	for _, r := range rows {
		for j, v := range r {
			x[j] = float64(v) - p.mean[j]
		}
		for a := range dim {
			for b := a; b < dim; b++ {
				cov[a][b] += x[a] * x[b] / float64(n)
			}
		}
	}
	for a := range dim {
		for b := 0; b < a; b++ {
			cov[a][b] = cov[b][a]
		}
	}
	for k := range 2 {
		v, lambda := powerIteration(cov)
		p.axes[k], p.variance[k] = v, lambda
		for a := range dim {
			for b := range dim {
				cov[a][b] -= lambda * v[a] * v[b]
			}
		}
	}
	return p, nil
}

// powerIteration returns the leading unit eigenvector of the symmetric
// positive semi-definite matrix m and its eigenvalue (a zero vector and 0
// when m is zero).
func powerIteration(m [][]float64) ([]float64, float64) {
	dim := len(m)
	v := make([]float64, dim)
	for i := range v {
		v[i] = 1 + 0.1*math.Sin(float64(i+1)) // fixed, unlikely orthogonal to the axis
	}
	if normalize(v) == 0 {
		return v, 0
	}
	w := make([]float64, dim)
	for range pcaIterations {
		for a := range dim {
			w[a] = dot(m[a], v)
		}
		if normalize(w) < 1e-300 {
			return make([]float64, dim), 0
		}
		diff := 0.0
		for i := range v {
			diff = max(diff, math.Abs(w[i]-v[i]))
		}
		v, w = w, v
		if diff < pcaTolerance {
			break
		}
	}
	big := 0
	for i := range v {
		if math.Abs(v[i]) > math.Abs(v[big]) {
			big = i
		}
	}
	if v[big] < 0 {
		for i := range v {
			v[i] = -v[i]
		}
	}
	mv := make([]float64, dim)
	for a := range dim {
		mv[a] = dot(m[a], v)
	}
	return v, dot(v, mv)
}

// project returns the coordinates of r on the two axes.
func (p *pca) project(r []float32) (x, y float64) {
	for j, v := range r {
		c := float64(v) - p.mean[j]
		x += c * p.axes[0][j]
		y += c * p.axes[1][j]
	}
	return x, y
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// normalize scales v to unit length and returns its former length.
func normalize(v []float64) float64 {
	l := math.Sqrt(dot(v, v))
	if l > 0 {
		for i := range v {
			v[i] /= l
		}
	}
	return l
}
