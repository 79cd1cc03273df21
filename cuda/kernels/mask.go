package kernels

import "math"

// MaskThreshold is bernoulli_mask_f32's threshold for keep probability
// keep: round(keep·2^32), so that a value is kept when its 32 random bits
// are below it.
func MaskThreshold(keep float64) uint64 {
	return uint64(math.Round(math.Min(math.Max(keep, 0), 1) * (1 << 32)))
}

// MaskBits is the 32 random bits bernoulli_mask_f32 draws for value i
// under key: the upper half of the SplitMix64 finalizer of
// key + (i+1)·0x9E3779B97F4A7C15.
func MaskBits(key uint64, i int) uint64 {
	x := key + uint64(i+1)*0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	x ^= x >> 31
	return x >> 32
}

// MaskValue is bernoulli_mask_f32's value i: scale when MaskBits(key, i)
// is below threshold, else 0.
func MaskValue(key uint64, i int, threshold uint64, scale float32) float32 {
	if MaskBits(key, i) < threshold {
		return scale
	}
	return 0
}
