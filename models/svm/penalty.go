package svm

import (
	"fmt"
	"math"
)

// DefaultDensityK is the neighbour count of ClassDensities when k is 0.
const DefaultDensityK = 5

// ClassWeightsIR returns the imbalance-ratio penalties
//
//	C± = c · n / (2 n±),
//
// n± the number of positive (true) and negative labels and n their sum:
// scikit-learn's class_weight="balanced" times C. The penalties' mean over
// the training samples is c, and C+/C− = n−/n+. It returns an error
// wrapping ErrEmpty, ErrOneClass or ErrConfig (c not finite and > 0).
func ClassWeightsIR(y []bool, c float64) (cPos, cNeg float64, err error) {
	nPos, nNeg, err := classCounts(y, c)
	if err != nil {
		return 0, 0, err
	}
	n := float64(nPos + nNeg)
	return c * n / (2 * float64(nPos)), c * n / (2 * float64(nNeg)), nil
}

// ClassWeightsAD returns the average-density penalties
//
//	C± = c · n ρ± / (n± (ρ+ + ρ−)),
//
// ρ± = ClassDensities(x, y, k): each class is penalised in inverse
// proportion to its sample count over its average density, n±/ρ±,
// normalised, as ClassWeightsIR, so that the penalties' mean over the
// training samples is c. With equal densities it is ClassWeightsIR; of two
// classes of equal size, the denser one (the one whose points lie closer to
// each other) gets the larger penalty. Scaling every feature by the same
// factor scales both densities alike and leaves the penalties unchanged.
//
// Reading of "sample count over average density". The rule weighs each
// class by the quantity n±/ρ±; like the imbalance ratio it replaces (n±
// alone), that quantity sets the penalty inversely, C+/C− = (n−/ρ−)/(n+/ρ+),
// so that the minority gets C+ > C−, the purpose of a Biased-SVM. A direct
// proportion, C± ∝ n±/ρ±, would give the majority the larger penalty
// whenever the densities are comparable. "Average density" is read as the
// reciprocal of the class's mean k-nearest-neighbour distance (see
// ClassDensities): the k-NN radius is the standard nonparametric estimate
// of local density, it needs no bandwidth, and averaging distances before
// inverting keeps a duplicated point (distance 0) from making the density
// infinite.
//
// It returns the errors of ClassDensities, and ErrConfig for c not finite
// and > 0. The cost is O(n±²·d) per class.
func ClassWeightsAD(x [][]float64, y []bool, c float64, k int) (cPos, cNeg float64, err error) {
	nPos, nNeg, err := classCounts(y, c)
	if err != nil {
		return 0, 0, err
	}
	rhoPos, rhoNeg, err := ClassDensities(x, y, k)
	if err != nil {
		return 0, 0, err
	}
	n := float64(nPos + nNeg)
	sum := rhoPos + rhoNeg
	return c * n * rhoPos / (float64(nPos) * sum), c * n * rhoNeg / (float64(nNeg) * sum), nil
}

// ClassDensities returns the average density of the positive and the
// negative class: ρ = 1/d̄, d̄ the mean over the class's points of the mean
// Euclidean distance to their k nearest other points of the same class
// (k = min(k, class size − 1); 0 means DefaultDensityK). Units are inverse
// feature units. It returns an error wrapping ErrEmpty, ErrRagged,
// ErrNotFinite, ErrOneClass, or ErrConfig when k < 0, a class has a single
// point, or all of a class's points coincide (d̄ = 0).
func ClassDensities(x [][]float64, y []bool, k int) (pos, neg float64, err error) {
	flat, d, err := validate(x, y)
	if err != nil {
		return 0, 0, err
	}
	if k < 0 {
		return 0, 0, fmt.Errorf("svm: density k = %d, want ≥ 0 (0 = %d): %w", k, DefaultDensityK, ErrConfig)
	}
	if k == 0 {
		k = DefaultDensityK
	}
	var out [2]float64
	for ci, want := range []bool{true, false} {
		var rows [][]float64
		for i, v := range y {
			if v == want {
				rows = append(rows, flat[i*d:(i+1)*d])
			}
		}
		mean, err := meanKNNDistance(rows, k)
		if err != nil {
			return 0, 0, fmt.Errorf("svm: class %v: %w", want, err)
		}
		out[ci] = 1 / mean
	}
	return out[0], out[1], nil
}

// meanKNNDistance is the mean over rows of the mean distance to their
// min(k, len(rows)−1) nearest other rows.
func meanKNNDistance(rows [][]float64, k int) (float64, error) {
	if len(rows) < 2 {
		return 0, fmt.Errorf("%d point(s), need 2 for a neighbour distance: %w", len(rows), ErrConfig)
	}
	k = min(k, len(rows)-1)
	nearest := make([]float64, 0, k) // ascending
	var total float64
	for i, u := range rows {
		nearest = nearest[:0]
		for j, v := range rows {
			if j == i {
				continue
			}
			var s float64
			for f, a := range u {
				diff := a - v[f]
				s += diff * diff
			}
			dist := math.Sqrt(s)
			if len(nearest) == k && dist >= nearest[k-1] {
				continue
			}
			if len(nearest) < k {
				nearest = append(nearest, dist)
			} else {
				nearest[k-1] = dist
			}
			for p := len(nearest) - 1; p > 0 && nearest[p] < nearest[p-1]; p-- {
				nearest[p], nearest[p-1] = nearest[p-1], nearest[p]
			}
		}
		var s float64
		for _, v := range nearest {
			s += v
		}
		total += s / float64(k)
	}
	mean := total / float64(len(rows))
	if mean == 0 {
		return 0, fmt.Errorf("all %d points coincide: %w", len(rows), ErrConfig)
	}
	return mean, nil
}

// classCounts validates labels and a base penalty.
func classCounts(y []bool, c float64) (nPos, nNeg int, err error) {
	if len(y) == 0 {
		return 0, 0, fmt.Errorf("svm: %w", ErrEmpty)
	}
	if !(c > 0) || math.IsInf(c, 0) {
		return 0, 0, fmt.Errorf("svm: penalty c = %v, want finite and > 0: %w", c, ErrConfig)
	}
	for _, v := range y {
		if v {
			nPos++
		} else {
			nNeg++
		}
	}
	if nPos == 0 || nNeg == 0 {
		return 0, 0, fmt.Errorf("svm: all %d labels are %v: %w", len(y), y[0], ErrOneClass)
	}
	return nPos, nNeg, nil
}
