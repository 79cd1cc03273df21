package kernels

import (
	"math"
	"testing"
)

// TestMaskBitsAreUniform draws a million values: the kept fraction
// matches keep within 5 standard errors, the bits' mean is 2^31 within
// the same, and neighbouring keys give unrelated masks.
func TestMaskBitsAreUniform(t *testing.T) {
	const n = 1 << 20
	for _, keep := range []float64{0.1, 0.5, 0.75} {
		thr := MaskThreshold(keep)
		kept, same := 0, 0
		var sum float64
		for i := range n {
			b := MaskBits(42, i)
			sum += float64(b)
			if MaskValue(42, i, thr, 2) == 2 {
				kept++
			}
			if (MaskBits(43, i) < thr) == (b < thr) {
				same++
			}
		}
		se := math.Sqrt(keep * (1 - keep) / n)
		if f := float64(kept) / n; math.Abs(f-keep) > 5*se {
			t.Errorf("keep %v: kept fraction %v", keep, f)
		}
		mean := sum / n / (1 << 32)
		if math.Abs(mean-0.5) > 5*math.Sqrt(1.0/12/n) {
			t.Errorf("mean of the bits %v of 2^32", mean)
		}
		// Agreement between independent masks is keep²+(1-keep)².
		want := keep*keep + (1-keep)*(1-keep)
		if f := float64(same) / n; math.Abs(f-want) > 5*math.Sqrt(want*(1-want)/n) {
			t.Errorf("keep %v: keys 42 and 43 agree on %v of the values, want %v", keep, f, want)
		}
	}
	if MaskThreshold(1) != 1<<32 || MaskThreshold(0) != 0 {
		t.Errorf("thresholds %d %d", MaskThreshold(1), MaskThreshold(0))
	}
}

// TestMaskBitsGolden pins the generator: the CUDA kernel computes the
// same function, so a change here changes every GPU run.
func TestMaskBitsGolden(t *testing.T) {
	// SplitMix64 of state 0x9E3779B97F4A7C15 (key 0, i 0) is the
	// published first output of SplitMix64 seeded with 0: 0xE220A8397B1DCDAF.
	if got := MaskBits(0, 0); got != 0xE220A839 {
		t.Fatalf("MaskBits(0, 0) = %#x, want 0xe220a839", got)
	}
}
