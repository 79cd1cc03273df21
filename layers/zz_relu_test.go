package layers

import (
	"math"
	"math/rand/v2"
	"testing"
)

func BenchmarkZZRelu(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x, _ := randVec(rng, 640000)
	y := make([]float32, len(x))
	b.Run("bits", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for i, xv := range x {
				bb := math.Float32bits(xv)
				y[i] = math.Float32frombits(bb &^ uint32(int32(bb)>>31))
			}
		}
	})
	b.Run("max", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for i, xv := range x {
				y[i] = max(xv, 0)
			}
		}
	})
	b.Run("branch", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for i, xv := range x {
				if xv > 0 {
					y[i] = xv
				} else {
					y[i] = 0
				}
			}
		}
	})
	b.Run("alloc+bits", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			y := make([]float32, len(x))
			for i, xv := range x {
				bb := math.Float32bits(xv)
				y[i] = math.Float32frombits(bb &^ uint32(int32(bb)>>31))
			}
		}
	})
}
