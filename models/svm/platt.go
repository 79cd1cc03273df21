package svm

import (
	"math"
	"math/rand/v2"
)

// plattFolds is the number of cross-validation folds for the sigmoid, as in
// LIBSVM's svm_binary_svc_probability.
const plattFolds = 5

// plattCV returns Platt's sigmoid (A, B) fitted to decision values from
// 5-fold cross-validation, as LIBSVM does: the samples are shuffled (here by
// a PCG seeded with seed), split into five contiguous folds, and each fold
// is scored by a model trained on the other four with the same kernel and
// penalties. A fold whose training part has one class only scores +1 or −1
// by that class.
func plattCV(flat []float64, d int, y []bool, k Kernel, r resolved, seed uint64) (a, b float64) {
	n := len(y)
	rng := rand.New(rand.NewPCG(seed, seed))
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	for i := range n {
		j := i + rng.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	dec := make([]float64, n)
	for f := range plattFolds {
		begin, end := f*n/plattFolds, (f+1)*n/plattFolds
		subX := make([]float64, 0, (n-(end-begin))*d)
		subY := make([]bool, 0, n-(end-begin))
		pos, neg := 0, 0
		for j, i := range perm {
			if j >= begin && j < end {
				continue
			}
			subX = append(subX, flat[i*d:(i+1)*d]...)
			subY = append(subY, y[i])
			if y[i] {
				pos++
			} else {
				neg++
			}
		}
		switch {
		case pos == 0 && neg == 0:
			for _, i := range perm[begin:end] {
				dec[i] = 0
			}
		case neg == 0:
			for _, i := range perm[begin:end] {
				dec[i] = 1
			}
		case pos == 0:
			for _, i := range perm[begin:end] {
				dec[i] = -1
			}
		default:
			m := train(subX, d, subY, k, r)
			for _, i := range perm[begin:end] {
				dec[i] = m.Decision(flat[i*d : (i+1)*d])
			}
		}
	}
	return sigmoidTrain(dec, y)
}

// sigmoid is 1/(1 + exp(a·f + b)) without overflow.
func sigmoid(f, a, b float64) float64 {
	z := f*a + b
	if z >= 0 {
		return math.Exp(-z) / (1 + math.Exp(-z))
	}
	return 1 / (1 + math.Exp(z))
}

// sigmoidTrain fits P(true | f) = 1/(1 + exp(A·f + B)) to decision values
// dec by maximum likelihood with Platt's smoothed targets, using the Newton
// method with backtracking of Lin, Lin and Weng (2007), "A note on Platt's
// probabilistic outputs for support vector machines" (LIBSVM's
// sigmoid_train, same constants).
func sigmoidTrain(dec []float64, y []bool) (a, b float64) {
	var prior1, prior0 float64
	for _, v := range y {
		if v {
			prior1++
		} else {
			prior0++
		}
	}
	const (
		maxIter = 100
		minStep = 1e-10
		sigma   = 1e-12 // keeps the Hessian strictly positive definite
		eps     = 1e-5
	)
	hiTarget := (prior1 + 1) / (prior1 + 2)
	loTarget := 1 / (prior0 + 2)
	t := make([]float64, len(y))
	for i, v := range y {
		t[i] = loTarget
		if v {
			t[i] = hiTarget
		}
	}
	// loss is the negative log-likelihood of (a, b).
	loss := func(a, b float64) float64 {
		var f float64
		for i, d := range dec {
			z := d*a + b
			if z >= 0 {
				f += t[i]*z + math.Log1p(math.Exp(-z))
			} else {
				f += (t[i]-1)*z + math.Log1p(math.Exp(z))
			}
		}
		return f
	}
	a, b = 0, math.Log((prior0+1)/(prior1+1))
	fval := loss(a, b)
	for range maxIter {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i, d := range dec {
			z := d*a + b
			var p, q float64
			if z >= 0 {
				p = math.Exp(-z) / (1 + math.Exp(-z))
				q = 1 / (1 + math.Exp(-z))
			} else {
				p = 1 / (1 + math.Exp(z))
				q = math.Exp(z) / (1 + math.Exp(z))
			}
			d2 := p * q
			h11 += d * d * d2
			h22 += d2
			h21 += d * d2
			d1 := t[i] - p
			g1 += d * d1
			g2 += d1
		}
		if math.Abs(g1) < eps && math.Abs(g2) < eps {
			break
		}
		det := h11*h22 - h21*h21
		dA := -(h22*g1 - h21*g2) / det
		dB := -(-h21*g1 + h11*g2) / det
		gd := g1*dA + g2*dB
		step := 1.0
		for step >= minStep {
			na, nb := a+step*dA, b+step*dB
			if nf := loss(na, nb); nf < fval+1e-4*step*gd {
				a, b, fval = na, nb, nf
				break
			}
			step /= 2
		}
		if step < minStep {
			break // line search failed; keep the last point, as LIBSVM does
		}
	}
	return a, b
}
