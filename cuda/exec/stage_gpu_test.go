//go:build gpu

package exec

import "testing"

// TestGPUStagedUploads uploads large arrays through the pinned staging
// buffer (growing it, reusing it after a download drains the stream) and
// overwrites each source right after Upload returns: every value arrives.
func TestGPUStagedUploads(t *testing.T) {
	gpu := newGPU(t)
	const n, k = 3 * stageMin, 5
	must(t, gpu.Reserve(k*n+64))
	for round := range 3 {
		for i := range k {
			src := make([]float32, n+i)
			for j := range src {
				src[j] = float32(round*1000 + i*10 + j%7)
			}
			must(t, gpu.Upload(Buf{Off: i * n, Len: n}, src[:n]))
			for j := range src {
				src[j] = -1 // the upload must not see this
			}
		}
		for i := range k {
			got := make([]float32, n)
			must(t, gpu.Download(got, Buf{Off: i * n, Len: n}))
			for j, v := range got {
				if want := float32(round*1000 + i*10 + j%7); v != want {
					t.Fatalf("round %d, array %d: value %d is %v, want %v", round, i, j, v, want)
				}
			}
		}
	}
	if gpu.stage.buf == nil {
		t.Fatalf("uploads of %d values were not staged", n)
	}
}
