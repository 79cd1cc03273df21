package ocsvm_test

import (
	"fmt"

	"github.com/vigil-ml/vigil/models/ocsvm"
	"github.com/vigil-ml/vigil/models/svm"
)

// A one-class SVM learns the usual (login hour, megabytes sent) of a user
// and flags a session unlike them.
func Example() {
	var x [][]float64
	for i := range 60 {
		hour := 9 + float64(i*7%80)/10 // 9:00 to 16:54
		mb := 20 + float64(i*11%30)    // 20 to 49 MB
		x = append(x, []float64{hour / 24, mb / 100})
	}
	m, err := ocsvm.Train(x, ocsvm.Config{Nu: 0.05, Kernel: svm.Kernel{Gamma: 10}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range [][]float64{{13.0 / 24, 0.35}, {3.0 / 24, 4.8}} {
		fmt.Printf("%.2f: outlier %v\n", s, m.Outlier(s))
	}
	fmt.Println("support vectors:", len(m.SupportVectors()) >= 3)
	// Output:
	// [0.54 0.35]: outlier false
	// [0.12 4.80]: outlier true
	// support vectors: true
}
