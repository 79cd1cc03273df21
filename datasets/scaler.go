package datasets

import (
	"errors"
	"fmt"
	"math"
)

// Scaler maps values linearly from the fitted range [Min, Max] onto [0, 1],
// the range a binary cross-entropy loss expects. One pair of bounds covers
// every dimension.
type Scaler struct {
	Min, Max float32
}

// FitScaler fits a Scaler to the global minimum and maximum over all values
// of table (typically the embedding vectors of the training commands). It
// fails when table holds no value, a value is NaN or infinite, or all values
// are equal.
func FitScaler(table [][]float32) (Scaler, error) {
	s := Scaler{Min: float32(math.Inf(1)), Max: float32(math.Inf(-1))}
	n := 0
	for i, v := range table {
		for j, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return Scaler{}, fmt.Errorf("datasets: scaler: value [%d][%d] is %v", i, j, x)
			}
			s.Min = min(s.Min, x)
			s.Max = max(s.Max, x)
			n++
		}
	}
	if n == 0 {
		return Scaler{}, errors.New("datasets: scaler: no values to fit")
	}
	if s.Max == s.Min {
		return Scaler{}, fmt.Errorf("datasets: scaler: all values equal %v", s.Min)
	}
	return s, nil
}

// Apply scales v in place to (x-Min)/(Max-Min). Values outside the fitted
// range (such as vectors of commands unseen when fitting) are clamped to
// 0 or 1, so the output always lies in [0, 1].
func (s Scaler) Apply(v []float32) {
	span := s.Max - s.Min
	for i, x := range v {
		y := (x - s.Min) / span
		v[i] = min(max(y, 0), 1)
	}
}

// ApplyAll applies the scaler in place to every vector of seq.
func (s Scaler) ApplyAll(seq [][]float32) {
	for _, v := range seq {
		s.Apply(v)
	}
}

// Invert maps scaled values in place back to the original range:
// x*(Max-Min)+Min. Values that Apply clamped are not recovered.
func (s Scaler) Invert(v []float32) {
	span := s.Max - s.Min
	for i, x := range v {
		v[i] = x*span + s.Min
	}
}
