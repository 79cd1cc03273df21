package sweep

import (
	"math"
	"math/rand/v2"
	"testing"
)

func nan() float64 { return math.NaN() }

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// mustSpace builds a space or fails the test.
func mustSpace(t testing.TB, ps ...Param) *Space {
	t.Helper()
	s, err := NewSpace(ps...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
