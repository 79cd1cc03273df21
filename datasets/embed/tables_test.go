package embed

import (
	"math"
	"testing"
)

func TestSigmoidTable(t *testing.T) {
	tests := []struct {
		x, want float32
	}{
		{0, 0.5},
		{-9, 0},
		{9, 1},
		{8, float32(1 / (1 + math.Exp(-8)))},
		{-8, float32(1 / (1 + math.Exp(8)))},
		{1.01, float32(1 / (1 + math.Exp(-1)))}, // index floor((1.01+8)*32) = 288, x = 1
	}
	for _, tc := range tests {
		if got := sigmoid(tc.x); got != tc.want {
			t.Errorf("sigmoid(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}

func TestLogTable(t *testing.T) {
	tests := []struct {
		x, want float32
	}{
		{2, 0},
		{1, float32(math.Log((512 + 1e-5) / 512))},
		{0.5, float32(math.Log((256 + 1e-5) / 512))},
		{0, float32(math.Log(1e-5 / 512))},
	}
	for _, tc := range tests {
		if got := logt(tc.x); got != tc.want {
			t.Errorf("logt(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}
