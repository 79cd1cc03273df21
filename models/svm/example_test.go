package svm_test

import (
	"fmt"

	"github.com/vigil-ml/vigil/models/svm"
)

// A Biased-SVM: two positives among eight samples get the larger penalty
// that ClassWeightsIR derives from the class sizes.
func Example() {
	x := [][]float64{
		{2.0, 2.1}, {1.8, 2.4}, // positives
		{-1, -1}, {-1.5, -0.5}, {-0.5, -1.5}, {0, -1}, {-1, 0}, {0.5, 0.2},
	}
	y := []bool{true, true, false, false, false, false, false, false}

	cPos, cNeg, err := svm.ClassWeightsIR(y, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := svm.Train(x, y, svm.Config{
		Kernel:    svm.Kernel{Type: svm.Linear},
		CPos:      cPos,
		CNeg:      cNeg,
		Shrinking: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("C+ = %.1f, C- = %.3f\n", cPos, cNeg)
	fmt.Println("support vectors:", m.SupportVectors())
	for _, p := range [][]float64{{1.5, 1.5}, {-1, -2}} {
		fmt.Printf("%v: positive %v (decision %.2f)\n", p, m.Predict(p), m.Decision(p))
	}
	// Output:
	// C+ = 2.0, C- = 0.667
	// support vectors: [0 7]
	// [1.5 1.5]: positive true (decision 0.35)
	// [-1 -2]: positive false (decision -3.19)
}
