package convvae

import (
	"math"
	"testing"
)

func TestInputEntropyHandComputed(t *testing.T) {
	w := Windows{N: 2, Size: 2, Data: []float32{0, 1, 0.5, 0.25}}
	got := InputEntropy(w, []int{0, 1})
	h25 := -(0.25*math.Log(0.25) + 0.75*math.Log(0.75))
	want := []float64{0, (math.Log(2) + h25) / 2}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-7 {
			t.Errorf("entropy[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}
