package forest

import "math/bits"

// sortSamples sorts xf and, in step, samples by xf: scikit-learn's
// introsort (median-of-three pivot, three-way partition, heapsort past a
// depth of 2·⌊log₂ n⌋). It is not stable; reproducing it keeps the order of
// equal values, and so the order in which weights are summed, the same as
// scikit-learn's.
func sortSamples(xf []float32, samples []int) {
	n := len(xf)
	if n == 0 {
		return
	}
	// scikit-learn's bound is 2·int(ln n / ln 2); that quotient truncates
	// to ⌊log₂ n⌋ for every n ≤ 2²¹, every power of two up to 2⁶² and 2·10⁶
	// random n < 2⁴⁰ (checked with Python, which calls C's log).
	introsort(xf, samples, 2*(bits.Len(uint(n))-1))
}

func median3(xf []float32) float32 {
	n := len(xf)
	a, b, c := xf[0], xf[n/2], xf[n-1]
	if a < b {
		if b < c {
			return b
		} else if a < c {
			return c
		}
		return a
	} else if b < c {
		if a < c {
			return a
		}
		return c
	}
	return b
}

func introsort(xf []float32, samples []int, maxd int) {
	for len(xf) > 1 {
		if maxd <= 0 {
			heapsort(xf, samples)
			return
		}
		maxd--
		pivot := median3(xf)
		i, l, r := 0, 0, len(xf)
		for i < r {
			switch {
			case xf[i] < pivot:
				xf[i], xf[l] = xf[l], xf[i]
				samples[i], samples[l] = samples[l], samples[i]
				i++
				l++
			case xf[i] > pivot:
				r--
				xf[i], xf[r] = xf[r], xf[i]
				samples[i], samples[r] = samples[r], samples[i]
			default:
				i++
			}
		}
		introsort(xf[:l], samples[:l], maxd)
		xf, samples = xf[r:], samples[r:]
	}
}

func siftDown(xf []float32, samples []int, start, end int) {
	root := start
	for {
		child := 2*root + 1
		maxind := root
		if child < end && xf[maxind] < xf[child] {
			maxind = child
		}
		if child+1 < end && xf[maxind] < xf[child+1] {
			maxind = child + 1
		}
		if maxind == root {
			return
		}
		xf[root], xf[maxind] = xf[maxind], xf[root]
		samples[root], samples[maxind] = samples[maxind], samples[root]
		root = maxind
	}
}

func heapsort(xf []float32, samples []int) {
	n := len(xf)
	for start := (n - 2) / 2; ; start-- {
		siftDown(xf, samples, start, n)
		if start == 0 {
			break
		}
	}
	for end := n - 1; end > 0; end-- {
		xf[0], xf[end] = xf[end], xf[0]
		samples[0], samples[end] = samples[end], samples[0]
		siftDown(xf, samples, 0, end)
	}
}
