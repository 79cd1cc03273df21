package oversample_test

import (
	"fmt"

	"github.com/vigil-ml/vigil/datasets/oversample"
)

func ExampleGeometricSMOTE_Balance() {
	// Training fold only: 8 normal rows, 4 anomalous (true) rows.
	x := [][]float64{
		{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.5, 0.5}, {0.2, 0.8}, {0.8, 0.2}, {0.4, 0.6},
		{3, 3}, {3, 4}, {4, 3}, {4, 4},
	}
	y := []bool{false, false, false, false, false, false, false, false, true, true, true, true}

	g := oversample.NewGeometricSMOTE(42)
	g.K = 3 // at most the minority count minus one
	xb, yb, err := g.Balance(x, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	anomalies := 0
	for _, v := range yb {
		if v {
			anomalies++
		}
	}
	fmt.Println(len(xb), "rows,", anomalies, "anomalous")
	// Output: 16 rows, 8 anomalous
}

func ExampleSMOTE_Resample() {
	x := [][]float64{{0, 0}, {2, 0}, {9, 9}}
	y := []bool{true, true, false}
	xNew, err := oversample.SMOTE{K: 1, Seed: 1}.Resample(x, y, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range xNew {
		// Every synthetic row lies on the segment from (0,0) to (2,0).
		fmt.Println(p[0] >= 0 && p[0] <= 2, p[1] == 0)
	}
	// Output:
	// true true
	// true true
	// true true
}
