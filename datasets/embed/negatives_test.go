package embed

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestTableEntries(t *testing.T) {
	tests := []struct {
		counts []int64
		power  float64
		want   []int64
	}{
		// sqrt: 10, 5, 1 of 16
		{[]int64{100, 25, 1}, 0.5, []int64{6_250_000, 3_125_000, 625_000}},
		{[]int64{3, 1}, 1, []int64{7_500_000, 2_500_000}},
		// 16^0.75 = 8, 1^0.75 = 1: 8/9 and 1/9 of the table, rounded up
		{[]int64{16, 1}, 0.75, []int64{8_888_889, 1_111_112}},
	}
	for _, tc := range tests {
		if got := tableEntries(tc.counts, tc.power); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("tableEntries(%v, %v) = %v, want %v", tc.counts, tc.power, got, tc.want)
		}
	}
}

// TestNegTableExact checks that the alias tables give every word exactly
// its share of table entries.
func TestNegTableExact(t *testing.T) {
	counts := []int64{500, 120, 40, 40, 9, 3, 1, 1, 1}
	nt := newNegTable(counts, 0.5)
	var total int64
	for _, e := range nt.entries {
		total += e
	}
	n := float64(len(counts))
	p := make([]float64, len(counts))
	for col := range nt.prob {
		p[col] += float64(nt.prob[col]) / n
		p[nt.alias[col]] += (1 - float64(nt.prob[col])) / n
	}
	for i := range p {
		want := float64(nt.entries[i]) / float64(total)
		if math.Abs(p[i]-want) > 1e-6 {
			t.Errorf("word %d: probability %.7f, want %.7f", i, p[i], want)
		}
	}
}

func TestNegTableSampling(t *testing.T) {
	counts := []int64{900, 100, 16}
	nt := newNegTable(counts, 0.5) // sqrt: 30, 10, 4 of 44
	rng := rand.NewPCG(1, 2)
	const draws = 200_000
	hits := make([]float64, len(counts))
	for range draws {
		hits[nt.draw(rng.Uint64())]++
	}
	for i, want := range []float64{30.0 / 44, 10.0 / 44, 4.0 / 44} {
		if got := hits[i] / draws; math.Abs(got-want) > 0.005 {
			t.Errorf("word %d drawn %.4f of the time, want %.4f", i, got, want)
		}
	}
}
