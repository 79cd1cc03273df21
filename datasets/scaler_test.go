package datasets

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestScaler(t *testing.T) {
	s, err := FitScaler([][]float32{{-1, 0.5}, {3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Min != -1 || s.Max != 3 {
		t.Fatalf("fitted [%v, %v], want [-1, 3]", s.Min, s.Max)
	}
	tests := []struct {
		name string
		in   []float32
		want []float32
	}{
		{"inside", []float32{-1, 0, 1, 3}, []float32{0, 0.25, 0.5, 1}},
		{"clamped", []float32{-5, 7}, []float32{0, 1}},
	}
	for _, tc := range tests {
		v := append([]float32(nil), tc.in...)
		s.Apply(v)
		if !reflect.DeepEqual(v, tc.want) {
			t.Errorf("%s: Apply(%v) = %v, want %v", tc.name, tc.in, v, tc.want)
		}
	}
	v := []float32{0, 0.25, 0.5, 1}
	s.Invert(v)
	if !reflect.DeepEqual(v, []float32{-1, 0, 1, 3}) {
		t.Fatalf("Invert = %v", v)
	}
	seq := [][]float32{{-1}, {3}}
	s.ApplyAll(seq)
	if seq[0][0] != 0 || seq[1][0] != 1 {
		t.Fatalf("ApplyAll = %v", seq)
	}
}

func TestFitScalerErrors(t *testing.T) {
	tests := []struct {
		name  string
		table [][]float32
		want  string
	}{
		{"empty", nil, "no values"},
		{"empty vectors", [][]float32{{}, {}}, "no values"},
		{"constant", [][]float32{{2, 2}, {2}}, "all values equal 2"},
		{"nan", [][]float32{{1, float32(math.NaN())}}, "value [0][1] is NaN"},
		{"inf", [][]float32{{1}, {float32(math.Inf(1))}}, "value [1][0] is +Inf"},
	}
	for _, tc := range tests {
		if _, err := FitScaler(tc.table); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
