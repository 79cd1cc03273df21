package svm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// referenceWSS is LIBSVM's WSS2 loops as written in svm.cpp (and as this
// package had them before wss.go): branches on y and the status.
func referenceWSS(y []int8, status []uint8, g, qd []float64, col func(int) []float32) (gmax, gmax2 float64, gmaxIdx, gminIdx int) {
	gmax, gmax2 = math.Inf(-1), math.Inf(-1)
	gmaxIdx, gminIdx = -1, -1
	objDiffMin := math.Inf(1)
	for t := range y {
		if y[t] == +1 {
			if status[t] != atUpper && -g[t] >= gmax {
				gmax, gmaxIdx = -g[t], t
			}
		} else if status[t] != atLower && g[t] >= gmax {
			gmax, gmaxIdx = g[t], t
		}
	}
	i := gmaxIdx
	if i == -1 {
		return
	}
	qi := col(i)
	for j := range y {
		var gradDiff, quad float64
		if y[j] == +1 {
			if status[j] == atLower {
				continue
			}
			gradDiff = gmax + g[j]
			if g[j] >= gmax2 {
				gmax2 = g[j]
			}
			if gradDiff <= 0 {
				continue
			}
			quad = qd[i] + qd[j] - 2*float64(y[i])*float64(qi[j])
		} else {
			if status[j] == atUpper {
				continue
			}
			gradDiff = gmax - g[j]
			if -g[j] >= gmax2 {
				gmax2 = -g[j]
			}
			if gradDiff <= 0 {
				continue
			}
			quad = qd[i] + qd[j] + 2*float64(y[i])*float64(qi[j])
		}
		var objDiff float64
		if quad > 0 {
			objDiff = -(gradDiff * gradDiff) / quad
		} else {
			objDiff = -(gradDiff * gradDiff) / tau
		}
		if objDiff <= objDiffMin {
			gminIdx, objDiffMin = j, objDiff
		}
	}
	return
}

// TestWSSScansMatchReference: wssMax and wssMin (AVX2 where the CPU has
// it) pick the same pair as LIBSVM's loops and return the same gmax and
// gmax2, with many ties, every length up to 67 and some longer, zero and
// negative curvatures among them.
func TestWSSScansMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	lengths := []int{}
	for n := range 68 {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 500, 1001)
	for trial := range 40 {
		for _, n := range lengths {
			s := &solver{
				y: make([]int8, n), status: make([]uint8, n), alpha: make([]float64, n), c: make([]float64, n),
				upMul: make([]float64, n), lowMul: make([]float64, n),
			}
			g, qd := make([]float64, n), make([]float64, n)
			q := make([][]float32, n)
			levels := 1 + trial%7 // few distinct values: ties
			for k := range n {
				s.y[k] = int8(2*rng.IntN(2) - 1)
				s.c[k] = 1
				s.alpha[k] = float64(rng.IntN(3)) / 2 // 0, free, C
				s.updateStatus(k)
				g[k] = float64(rng.IntN(2*levels+1)-levels) / 4
				if rng.IntN(10) == 0 {
					g[k] = math.Copysign(0, -1)
				}
				qd[k] = 1 + float64(rng.IntN(3))/8
			}
			for k := range n {
				q[k] = make([]float32, n)
				for j := range n {
					q[k][j] = float32(rng.IntN(5)-2) / 2
				}
				if trial%5 == 0 && n > 0 {
					q[k][rng.IntN(n)] = float32(s.y[k]) * 5 // a → negative: τ
				}
			}
			wantMax, wantMax2, wantI, wantJ := referenceWSS(s.y, s.status, g, qd, func(i int) []float32 { return q[i] })
			gmax, i := wssMax(g, s.upMul)
			if i != wantI || (i != -1 && gmax != wantMax) {
				t.Fatalf("trial %d n %d: wssMax = %v at %d, reference %v at %d", trial, n, gmax, i, wantMax, wantI)
			}
			if i == -1 {
				continue
			}
			gmax2, j := wssMin(g, s.lowMul, qd, q[i], gmax, qd[i], 2*float64(s.y[i]))
			if j != wantJ || gmax2 != wantMax2 {
				t.Fatalf("trial %d n %d: wssMin = %v, %d, reference %v, %d", trial, n, gmax2, j, wantMax2, wantJ)
			}
		}
	}
}

// TestGradStepMatchesScalar: gradStep (AVX2 where the CPU has it) adds
// exactly what the scalar loop adds, at every length.
func TestGradStepMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := range 40 {
		g, want := make([]float64, n), make([]float64, n)
		qi, qj := make([]float32, n), make([]float32, n)
		for k := range n {
			g[k] = rng.NormFloat64()
			want[k] = g[k]
			qi[k], qj[k] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
		}
		dI, dJ := rng.NormFloat64(), rng.NormFloat64()
		gradStep(g, qi, qj, dI, dJ)
		for k := range n {
			want[k] += float64(float64(qi[k])*dI) + float64(float64(qj[k])*dJ)
			if g[k] != want[k] {
				t.Fatalf("n %d: g[%d] = %v, want %v", n, k, g[k], want[k])
			}
		}
	}
}
