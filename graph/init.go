package graph

import (
	"math"
	"math/rand/v2"
)

// Initializer fills dst (a tensor of the given shape) from rng. Unlike
// gorgonia's initializers it never reads the clock: same rng state, same values.
type Initializer func(rng *rand.Rand, shape []int, dst []float32)

// Zeros leaves every value at 0.
func Zeros() Initializer { return func(*rand.Rand, []int, []float32) {} }

// Constant sets every value to c.
func Constant(c float32) Initializer {
	return func(_ *rand.Rand, _ []int, dst []float32) {
		for i := range dst {
			dst[i] = c
		}
	}
}

// Uniform draws from U(-limit, limit).
func Uniform(limit float64) Initializer {
	return func(rng *rand.Rand, _ []int, dst []float32) {
		for i := range dst {
			dst[i] = float32((2*rng.Float64() - 1) * limit)
		}
	}
}

// Normal draws from N(0, std^2).
func Normal(std float64) Initializer {
	return func(rng *rand.Rand, _ []int, dst []float32) {
		for i := range dst {
			dst[i] = float32(rng.NormFloat64() * std)
		}
	}
}

// GlorotUniform is Keras' default kernel initializer: U(-l, l) with
// l = sqrt(6 / (fanIn + fanOut)).
func GlorotUniform(fanIn, fanOut int) Initializer {
	return Uniform(math.Sqrt(6 / float64(fanIn+fanOut)))
}

// HeUniform draws from U(-l, l) with l = sqrt(6 / fanIn), suited to ReLU layers.
func HeUniform(fanIn int) Initializer { return Uniform(math.Sqrt(6 / float64(fanIn))) }
