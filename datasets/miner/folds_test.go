package miner

import (
	"fmt"
	"testing"
)

func TestGroupFolds(t *testing.T) {
	var rows []FeatureRow
	for p := range 30 {
		for w := range 1 + p%4 {
			rows = append(rows, FeatureRow{Program: fmt.Sprintf("prog%d", p), PID: 100*p + w%2, WindowStart: int64(w), Miner: p%6 == 0})
		}
	}
	const k = 5
	folds, err := GroupFolds(rows, k, seeded(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	progFold := map[string]int{}
	minersIn := make([]int, k)
	for i, r := range rows {
		f := folds[i]
		if f < 0 || f >= k {
			t.Fatalf("fold %d", f)
		}
		if g, ok := progFold[r.Program]; ok && g != f {
			t.Fatalf("program %s in folds %d and %d", r.Program, g, f)
		}
		if _, ok := progFold[r.Program]; !ok && r.Miner {
			minersIn[f]++
		}
		progFold[r.Program] = f
	}
	for f, n := range minersIn {
		if n != 1 { // 5 miner programs dealt to 5 folds
			t.Errorf("fold %d has %d miner programs, want 1", f, n)
		}
	}
	again, _ := GroupFolds(rows, k, seeded(1, 1))
	for i := range folds {
		if folds[i] != again[i] {
			t.Fatal("GroupFolds is not deterministic")
		}
	}
	if _, err := GroupFolds(rows, 1, nil); err == nil {
		t.Error("1 fold accepted")
	}
	if _, err := GroupFolds(rows[:1], 2, nil); err == nil {
		t.Error("more folds than programs accepted")
	}
}
